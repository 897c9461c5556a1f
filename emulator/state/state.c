/* state: see state.h. */
#include "state/state.h"

#include <pthread.h>
#include <stdlib.h>

#include "buf.h"
#include "fsutil.h"

struct emu_state {
    sqlite3 *db;
    pthread_mutex_t mu;
};

int emu_state_err(emu_state *s, mc_err *err, const char *what)
{
    return mc_err_set(err, MC_ERR_IO, "state store: %s: %s", what, sqlite3_errmsg(s->db));
}

int emu_state_open(emu_state **out, const char *state_dir, mc_err *err)
{
    *out = NULL;
    if (mc_mkdir_p(state_dir, 0700, err))
        return -1;
    char *path = mc_path_join(state_dir, "state.db");
    emu_state *s = mc_calloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    int rc = sqlite3_open_v2(path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    free(path);
    if (rc != SQLITE_OK) {
        mc_err_set(err, MC_ERR_IO, "state store: open: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
        emu_state_close(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (emu_state_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                          "CREATE TABLE IF NOT EXISTS schema_versions(module TEXT PRIMARY KEY, version INTEGER NOT NULL);",
                       err)) {
        emu_state_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void emu_state_close(emu_state *s)
{
    if (!s)
        return;
    if (s->db)
        sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

sqlite3 *emu_state_db(emu_state *s) { return s->db; }
void emu_state_lock(emu_state *s) { pthread_mutex_lock(&s->mu); }
void emu_state_unlock(emu_state *s) { pthread_mutex_unlock(&s->mu); }

int emu_state_exec(emu_state *s, const char *sql, mc_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        mc_err_set(err, MC_ERR_IO, "state store: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int emu_state_begin(emu_state *s, mc_err *err) { return emu_state_exec(s, "BEGIN IMMEDIATE", err); }
int emu_state_commit(emu_state *s, mc_err *err) { return emu_state_exec(s, "COMMIT", err); }

void emu_state_rollback(emu_state *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int emu_state_prepare(emu_state *s, sqlite3_stmt **out, const char *sql, mc_err *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK)
        return emu_state_err(s, err, "prepare");
    return 0;
}

static int module_version(emu_state *s, const char *module, int *version, mc_err *err)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s, &st, "SELECT version FROM schema_versions WHERE module = ?", err))
        return -1;
    sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
    *version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return 0;
}

int emu_state_migrate(emu_state *s, const char *module, const char *const *steps, int n, mc_err *err)
{
    emu_state_lock(s);
    int version = 0, rc = 0;
    if (module_version(s, module, &version, err)) {
        rc = -1;
        goto out;
    }
    if (version > n) {
        rc = mc_err_set(err, MC_ERR_INVALID,
                        "state store: module %s is at schema version %d, newer than this build (%d)",
                        module, version, n);
        goto out;
    }
    for (int i = version; i < n; i++) {
        char *bump = mc_asprintf("INSERT INTO schema_versions(module, version) VALUES ('%s', %d) "
                                 "ON CONFLICT(module) DO UPDATE SET version = excluded.version;",
                                 module, i + 1);
        if (emu_state_begin(s, err) || emu_state_exec(s, steps[i], err) || emu_state_exec(s, bump, err) ||
            emu_state_commit(s, err)) {
            free(bump);
            emu_state_rollback(s);
            mc_err_prefix(err, "migrating %s to version %d", module, i + 1);
            rc = -1;
            goto out;
        }
        free(bump);
    }
out:
    emu_state_unlock(s);
    return rc;
}
