/*
 * state: the emulator's one SQLite state store (<state>/state.db, WAL,
 * synchronous=FULL so a commit the emulator acknowledged survives kill -9).
 *
 * One connection shared by all worker threads, guarded by one mutex: a
 * caller holds emu_state_lock for the whole of a transaction, so a
 * transaction is never interleaved with another thread's statements.
 * Modules own their tables and evolve them through emu_state_migrate, which
 * records per-module schema versions in table schema_versions.
 */
#ifndef MC_EMU_STATE_H
#define MC_EMU_STATE_H

#include <sqlite3.h>
#include <stdint.h>

#include "mc_err.h"

typedef struct emu_state emu_state;

int emu_state_open(emu_state **out, const char *state_dir, mc_err *err);
void emu_state_close(emu_state *s);

sqlite3 *emu_state_db(emu_state *s);
void emu_state_lock(emu_state *s);
void emu_state_unlock(emu_state *s);

/* Applies steps[version..n) of module's migrations, each in its own
 * transaction. Takes the lock itself. */
int emu_state_migrate(emu_state *s, const char *module, const char *const *steps, int n, mc_err *err);

/* Helpers for callers already holding the lock. */
int emu_state_exec(emu_state *s, const char *sql, mc_err *err);
int emu_state_begin(emu_state *s, mc_err *err);   /* BEGIN IMMEDIATE */
int emu_state_commit(emu_state *s, mc_err *err);
void emu_state_rollback(emu_state *s);
/* Prepares a statement; on failure fills err with SQLite's message. */
int emu_state_prepare(emu_state *s, sqlite3_stmt **out, const char *sql, mc_err *err);
/* Fills err from the connection's last error; returns -1. */
int emu_state_err(emu_state *s, mc_err *err, const char *what);

#endif
