/*
 * sql_error: a MaxCompute compile-time error as structured fields (ODPS code,
 * [line,col] position, generic description, context), and the one function
 * that renders it the way the service does (reference/maxcompute-sql.md §5):
 *
 *   ODPS-0130161:[1,8] Parse exception - invalid token 'x'
 *   ODPS-0121145:Data overflow                      (no position)
 *
 * The generic description is fixed per code (§5.1), so callers give only the
 * code and the context; sql_error_set looks the description up. The parser,
 * the binder and the executor all report through this type, so every
 * MaxCompute error is rendered by sql_error_format alone.
 *
 * Invariants: code[0] == '\0' iff there is no error; line/col are 1-based
 * when has_pos is set ([0,0] is a legal position for plan-time errors).
 * A sql_error is a plain value; it needs no cleanup.
 */
#ifndef SQL_ERROR_H
#define SQL_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

#include "buf.h"
#include "mc_err.h"

/* Codes used by the SQL front end (reference/maxcompute-sql.md §5.2). */
#define SQL_ODPS_PARSE            "ODPS-0130161" /* Parse exception */
#define SQL_ODPS_SEMANTIC         "ODPS-0130071" /* Semantic analysis exception */
#define SQL_ODPS_INVALID_ARG_TYPE "ODPS-0130121" /* Invalid argument type */
#define SQL_ODPS_TABLE_NOT_FOUND  "ODPS-0130131" /* Table not found */
#define SQL_ODPS_TABLE_EXISTS     "ODPS-0130211" /* Table or view already exists */
#define SQL_ODPS_ARG_COUNT        "ODPS-0130221" /* Invalid number of arguments */
#define SQL_ODPS_UNION            "ODPS-0130241" /* Illegal union operation */
#define SQL_ODPS_DROP_TABLE       "ODPS-0130031" /* Failed to drop table */
#define SQL_ODPS_PARTITION_EXC    "ODPS-0123031" /* Partition exception */
#define SQL_ODPS_ILLEGAL_CAST     "ODPS-0123091" /* Illegal type cast */
#define SQL_ODPS_DATA_OVERFLOW    "ODPS-0121145" /* Data overflow */

typedef struct {
    char code[16];      /* "ODPS-0130161"; empty when no error */
    bool has_pos;
    int line, col;      /* 1-based; [0,0] for plan-time errors */
    char desc[64];      /* generic description, fixed per code */
    char detail[960];   /* context part after " - "; may be empty */
} sql_error;

void sql_error_clear(sql_error *err);   /* err may be NULL */

/* Fills err (may be NULL) with a positioned error; the description comes from
 * the catalogue for code. Returns -1 so callers can `return sql_error_set(...)`. */
int sql_error_set(sql_error *err, const char *code, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int sql_error_vset(sql_error *err, const char *code, int line, int col, const char *fmt, va_list ap);
/* Same without a [line,col] position. */
int sql_error_set_nopos(sql_error *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The generic description of a code ("Parse exception"), or NULL if unknown. */
const char *sql_error_description(const char *code);

/* Appends the MaxCompute text of err to out (no "FAILED: " prefix, no newline). */
void sql_error_format(mc_buf *out, const sql_error *err);

/* Copies err into an mc_err: code MC_ERR_INVALID, remote_code = ODPS code,
 * msg = the formatted text. Returns -1. */
int sql_error_to_mc(mc_err *out, const sql_error *err);

#endif
