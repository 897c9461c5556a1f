/*
 * sql_error: the catalogue of generic descriptions per ODPS code and the one
 * renderer of MaxCompute error text. Texts are from
 * reference/maxcompute-sql.md §5.2; each code maps to exactly one description
 * (§5.1 [ERRFMT]).
 */
#include "sql/error.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *desc;
} catalogue[] = {
    {"ODPS-0110011", "Authorization exception"},
    {"ODPS-0110021", "Invalid parameters"},
    {"ODPS-0110041", "Invalid meta operation"},
    {"ODPS-0110061", "Failed to run ddltask"},
    {"ODPS-0121011", "Invalid regular expression pattern"},
    {"ODPS-0121035", "Illegal implicit type cast"},
    {"ODPS-0121055", "Empty argument value"},
    {"ODPS-0121065", "Argument value out of range"},
    {"ODPS-0121075", "Invalid number of arguments"},
    {"ODPS-0121095", "Invalid arguments"},
    {"ODPS-0121145", "Data overflow"},
    {"ODPS-0123031", "Partition exception"},
    {"ODPS-0123081", "Invalid datetime string"},
    {"ODPS-0123091", "Illegal type cast"},
    {"ODPS-0123111", "Format string does not match datetime string"},
    {"ODPS-0123121", "Mapjoin exception"},
    {"ODPS-0130013", "Authorization exception"},
    {"ODPS-0130031", "Failed to drop table"},
    {"ODPS-0130071", "Semantic analysis exception"},
    {"ODPS-0130121", "Invalid argument type"},
    {"ODPS-0130131", "Table not found"},
    {"ODPS-0130141", "Illegal implicit type cast"},
    {"ODPS-0130161", "Parse exception"},
    {"ODPS-0130181", "Window function exception"},
    {"ODPS-0130191", "Invalid column or partition key"},
    {"ODPS-0130201", "View not found"},
    {"ODPS-0130211", "Table or view already exists"},
    {"ODPS-0130221", "Invalid number of arguments"},
    {"ODPS-0130241", "Illegal union operation"},
    {"ODPS-0130252", "Cartesian product is not allowed"},
    {"ODPS-0130271", "Partition does not exist"},
    {"ODPS-0140011", "Illegal type cast"},
    {"ODPS-0140051", "Invalid function"},
    {"ODPS-0140081", "Unsupported join type"},
};

const char *sql_error_description(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++)
        if (strcmp(catalogue[i].code, code) == 0)
            return catalogue[i].desc;
    return NULL;
}

void sql_error_clear(sql_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void fill(sql_error *err, const char *code, bool has_pos, int line, int col,
                 const char *fmt, va_list ap)
{
    sql_error_clear(err);
    snprintf(err->code, sizeof err->code, "%s", code);
    err->has_pos = has_pos;
    err->line = line;
    err->col = col;
    const char *d = sql_error_description(code);
    snprintf(err->desc, sizeof err->desc, "%s", d ? d : "");
    if (fmt)
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
}

int sql_error_vset(sql_error *err, const char *code, int line, int col, const char *fmt, va_list ap)
{
    if (err)
        fill(err, code, true, line, col, fmt, ap);
    return -1;
}

int sql_error_set(sql_error *err, const char *code, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sql_error_vset(err, code, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

int sql_error_set_nopos(sql_error *err, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err)
        fill(err, code, false, 0, 0, fmt, ap);
    va_end(ap);
    return -1;
}

void sql_error_format(mc_buf *out, const sql_error *err)
{
    mc_buf_puts(out, err->code);
    mc_buf_putc(out, ':');
    if (err->has_pos)
        mc_buf_printf(out, "[%d,%d] ", err->line, err->col);
    mc_buf_puts(out, err->desc);
    if (err->detail[0]) {
        mc_buf_puts(out, err->desc[0] ? " - " : "");
        mc_buf_puts(out, err->detail);
    }
}

int sql_error_to_mc(mc_err *out, const sql_error *err)
{
    mc_buf b = MC_BUF_INIT;
    sql_error_format(&b, err);
    mc_err_set(out, MC_ERR_INVALID, "%s", mc_buf_cstr(&b));
    if (out)
        snprintf(out->remote_code, sizeof out->remote_code, "%s", err->code);
    mc_buf_free(&b);
    return -1;
}
