/*
 * session: one user's MaxCompute console session: who is executing
 * (credentials and the RAM identity they stand for), the current project
 * and schema, SET flags, the output format. session_run executes one
 * statement and renders its outcome the way odpscmd does (reference/
 * maxcompute-sql.md §4.1): results to `out` (stdout), framing such as
 * `ID = ...`, `OK` and `FAILED: ...` to `diag` (stderr).
 *
 * The session knows endpoints and credentials only (from a profile): it
 * never knows whether they belong to the emulator.
 */
#ifndef MC_ENGINE_SESSION_H
#define MC_ENGINE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "mc_err.h"
#include "sql/console_format.h"

typedef struct session session;

/* profile is copied; its endpoints and credentials must be resolved. */
int session_open(session **out, const config_profile *profile, sql_out_format fmt, mc_err *err);
void session_free(session *s);

/* Runs one statement (text without the trailing ';'), whose first byte is
 * at [line, col] of the user's input (for error positions). Returns 0 on
 * success, -1 when the statement failed. Output is emitted in order:
 * results with is_err false (stdout), framing with is_err true (stderr). */
typedef void (*session_emit_fn)(void *ud, bool is_err, const char *data, size_t n);
int session_run(session *s, const char *stmt, size_t len, int line, int col, session_emit_fn emit, void *ud);

/* Progress of a writing statement while it runs (rows evaluated, data
 * files uploaded; sql/exec.h sql_progress_fn). fn NULL: none, the default.
 * The caller decides where it shows, if anywhere. */
typedef void (*session_progress_fn)(void *ud, int64_t rows, int64_t files);
void session_set_progress(session *s, session_progress_fn fn, void *ud);

/* A SET flag's value, or NULL. */
const char *session_flag(const session *s, const char *key);
const char *session_schema(const session *s);

#endif
