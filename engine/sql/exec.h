/*
 * sql/exec: runs parsed MaxCompute statements against Paimon tables in a
 * DLF catalog (through engine/lake) the way a Paimon_DLF external project
 * does: schemas are catalog databases, tables are Paimon tables.
 *
 * Queries are translated into SQLite SQL over a virtual table per Paimon
 * table (module "paimon", rows streamed file by file from lake_scan); SQLite
 * executes, our translation owns MaxCompute's semantics where they differ
 * (`/` is DOUBLE division, ORDER BY needs LIMIT, LIKE is case-sensitive,
 * `_c<N>` names, names resolved with MaxCompute's errors). INSERT evaluates
 * its VALUES or query the same way and writes through lake_write, one
 * atomic commit per statement.
 *
 * What is not implemented fails with a FAILED line that says so; nothing
 * is approximated silently.
 */
#ifndef MC_SQL_EXEC_H
#define MC_SQL_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "lake.h"
#include "sql/ast.h"
#include "sql/console_format.h"

typedef struct sql_exec sql_exec;

/* l is borrowed for the executor's lifetime. */
int sql_exec_new(sql_exec **out, lake *l, mc_err *err);
void sql_exec_free(sql_exec *x);

/* Progress of a writing statement (INSERT, CTAS): rows evaluated so far
 * and data files uploaded. Called every PROGRESS_ROWS rows while the rows
 * are evaluated, once when they all are, and after each data file. */
typedef void (*sql_progress_fn)(void *ud, int64_t rows, int64_t files);

typedef struct {
    const char *project;         /* for messages: proj.schema.table */
    const char *schema;          /* current schema (USE SCHEMA) */
    bool namespace_schema;       /* odps.namespace.schema=true: a.b is schema.table */
    bool orderby_needs_limit;    /* odps.sql.validate.orderby.limit (default true) */
    sql_out_format fmt;
    sql_progress_fn progress;    /* NULL: none */
    void *progress_ud;
} sql_exec_env;

/* Runs one statement. Results go to out (stdout text); on failure msg gets
 * the text after "FAILED: " (an ODPS error or a plain explanation).
 * *is_query tells the caller whether to print OK (odpscmd prints OK after
 * every statement but a query). */
int sql_exec_run(sql_exec *x, const sql_exec_env *env, const sql_stmt *st, mc_buf *out, mc_buf *msg,
                 bool *is_query);

#endif
