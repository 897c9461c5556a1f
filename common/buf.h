/*
 * mc_buf: a growable byte buffer, the one container for bytes and strings
 * (STYLE.md, "plain data structures").
 *
 * Invariants: data is NULL iff cap == 0; when data != NULL, data[len] == '\0'
 * (there is always room for a terminator), so a buffer holding text can be
 * used as a C string. Allocation failure aborts: the process cannot continue
 * meaningfully without memory, and every caller would otherwise repeat the check.
 */
#ifndef MC_BUF_H
#define MC_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} mc_buf;

#define MC_BUF_INIT {NULL, 0, 0}

void mc_buf_init(mc_buf *b);
void mc_buf_free(mc_buf *b);              /* frees data, leaves an empty buffer */
void mc_buf_reset(mc_buf *b);             /* len = 0, keeps capacity */
void mc_buf_reserve(mc_buf *b, size_t extra);
void mc_buf_append(mc_buf *b, const void *p, size_t n);
void mc_buf_puts(mc_buf *b, const char *s);
void mc_buf_putc(mc_buf *b, char c);
void mc_buf_printf(mc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mc_buf_vprintf(mc_buf *b, const char *fmt, va_list ap);
/* Returns the data (caller frees) and leaves b empty. Never NULL. */
char *mc_buf_detach(mc_buf *b, size_t *len_out);
const char *mc_buf_cstr(const mc_buf *b); /* "" for an empty buffer */

/* Allocation helpers that abort on failure. */
void *mc_malloc(size_t n);
void *mc_calloc(size_t n, size_t size);
void *mc_realloc(void *p, size_t n);
char *mc_strdup(const char *s);
char *mc_strndup(const char *s, size_t n);
char *mc_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
