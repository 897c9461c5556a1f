/* console_format: see console_format.h. Layout rules: reference/maxcompute-sql.md §4.2-4.3. */
#include "sql/console_format.h"

#include <stdlib.h>
#include <string.h>

sql_result *sql_result_new(size_t ncols, const char *const *names)
{
    sql_result *r = mc_calloc(1, sizeof *r);
    r->ncols = ncols;
    r->names = mc_calloc(ncols, sizeof *r->names);
    r->is_boolean = mc_calloc(ncols, sizeof *r->is_boolean);
    for (size_t i = 0; i < ncols; i++)
        r->names[i] = mc_strdup(names[i]);
    return r;
}

void sql_result_free(sql_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncols; i++)
        free(r->names[i]);
    for (size_t i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    free(r->names);
    free(r->is_boolean);
    free(r->cells);
    free(r);
}

void sql_result_add_row(sql_result *r, const char *const *cells)
{
    if (r->nrows == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->cells = mc_realloc(r->cells, r->cap * r->ncols * sizeof *r->cells);
    }
    for (size_t i = 0; i < r->ncols; i++)
        r->cells[r->nrows * r->ncols + i] = cells[i] ? mc_strdup(cells[i]) : NULL;
    r->nrows++;
}

int sql_out_format_parse(const char *s, sql_out_format *out)
{
    static const struct { const char *name; sql_out_format f; } names[] = {
        {"table", SQL_OUT_TABLE}, {"csv", SQL_OUT_CSV}, {"tsv", SQL_OUT_TSV}, {"json", SQL_OUT_JSON}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i].name)) {
            *out = names[i].f;
            return 0;
        }
    return -1;
}

/* Display width in characters: UTF-8 continuation bytes do not count. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void pad(mc_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mc_buf_putc(out, ' ');
}

static void frame(mc_buf *out, const size_t *w, size_t ncols)
{
    mc_buf_putc(out, '+');
    for (size_t i = 0; i < ncols; i++) {
        for (size_t k = 0; k < w[i] + 2; k++)
            mc_buf_putc(out, '-');
        mc_buf_putc(out, '+');
    }
    mc_buf_putc(out, '\n');
}

/* "| a | b | " — each cell left-aligned in its width; values wider than the
 * column are not cut (the line grows), as odpscmd does (§4.2). */
static void line(mc_buf *out, const char *const *cells, const size_t *w, size_t ncols)
{
    mc_buf_puts(out, "| ");
    for (size_t i = 0; i < ncols; i++) {
        const char *v = cells[i] ? cells[i] : "NULL";
        mc_buf_puts(out, v);
        size_t tw = text_width(v);
        if (tw < w[i])
            pad(out, w[i] - tw);
        mc_buf_puts(out, " | ");
    }
    mc_buf_putc(out, '\n');
}

static void render_table(mc_buf *out, const sql_result *r)
{
    size_t *w = mc_calloc(r->ncols ? r->ncols : 1, sizeof *w);
    for (size_t i = 0; i < r->ncols; i++) {
        size_t min = r->is_boolean[i] ? 4 : 10;
        size_t nw = text_width(r->names[i]);
        w[i] = nw > min ? nw : min;
    }
    frame(out, w, r->ncols);
    line(out, (const char *const *)r->names, w, r->ncols);
    frame(out, w, r->ncols);
    for (size_t row = 0; row < r->nrows; row++)
        line(out, (const char *const *)&r->cells[row * r->ncols], w, r->ncols);
    frame(out, w, r->ncols);
    free(w);
}

static void csv_cell(mc_buf *out, const char *v)
{
    if (!v)
        return; /* NULL is an empty field in csv */
    if (!strpbrk(v, ",\"\r\n")) {
        mc_buf_puts(out, v);
        return;
    }
    mc_buf_putc(out, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            mc_buf_putc(out, '"');
        mc_buf_putc(out, *p);
    }
    mc_buf_putc(out, '"');
}

static void tsv_cell(mc_buf *out, const char *v)
{
    if (!v) {
        mc_buf_puts(out, "\\N");
        return;
    }
    for (const char *p = v; *p; p++) {
        switch (*p) {
        case '\t': mc_buf_puts(out, "\\t"); break;
        case '\n': mc_buf_puts(out, "\\n"); break;
        case '\r': mc_buf_puts(out, "\\r"); break;
        case '\\': mc_buf_puts(out, "\\\\"); break;
        default: mc_buf_putc(out, *p);
        }
    }
}

static void json_string(mc_buf *out, const char *v)
{
    mc_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            mc_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            mc_buf_printf(out, "\\u%04x", *p);
        else
            mc_buf_putc(out, (char)*p);
    }
    mc_buf_putc(out, '"');
}

static void render_delimited(mc_buf *out, const sql_result *r, char sep, void (*cell)(mc_buf *, const char *))
{
    for (size_t i = 0; i < r->ncols; i++) {
        if (i)
            mc_buf_putc(out, sep);
        cell(out, r->names[i]);
    }
    mc_buf_putc(out, '\n');
    for (size_t row = 0; row < r->nrows; row++) {
        for (size_t i = 0; i < r->ncols; i++) {
            if (i)
                mc_buf_putc(out, sep);
            cell(out, r->cells[row * r->ncols + i]);
        }
        mc_buf_putc(out, '\n');
    }
}

/* One JSON object per row, one per line (JSON Lines), values as strings or null. */
static void render_json(mc_buf *out, const sql_result *r)
{
    for (size_t row = 0; row < r->nrows; row++) {
        mc_buf_putc(out, '{');
        for (size_t i = 0; i < r->ncols; i++) {
            if (i)
                mc_buf_putc(out, ',');
            json_string(out, r->names[i]);
            mc_buf_putc(out, ':');
            const char *v = r->cells[row * r->ncols + i];
            if (v)
                json_string(out, v);
            else
                mc_buf_puts(out, "null");
        }
        mc_buf_puts(out, "}\n");
    }
}

void sql_result_render(mc_buf *out, const sql_result *r, sql_out_format fmt)
{
    switch (fmt) {
    case SQL_OUT_TABLE: render_table(out, r); break;
    case SQL_OUT_CSV: render_delimited(out, r, ',', csv_cell); break;
    case SQL_OUT_TSV: render_delimited(out, r, '\t', tsv_cell); break;
    case SQL_OUT_JSON: render_json(out, r); break;
    }
}

void sql_render_lines(mc_buf *out, const char *const *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mc_buf_puts(out, lines[i]);
        mc_buf_putc(out, '\n');
    }
    mc_buf_puts(out, "\n\n");
}
