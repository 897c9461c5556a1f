/* mc_buf and allocation helpers: see buf.h. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("mcdlf: out of memory\n", stderr);
    abort();
}

void *mc_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *mc_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *mc_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *mc_strndup(const char *s, size_t n)
{
    char *d = mc_malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mc_strdup(const char *s)
{
    return s ? mc_strndup(s, strlen(s)) : NULL;
}

char *mc_asprintf(const char *fmt, ...)
{
    mc_buf b = MC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    mc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return mc_buf_detach(&b, NULL);
}

void mc_buf_init(mc_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void mc_buf_free(mc_buf *b)
{
    free(b->data);
    mc_buf_init(b);
}

void mc_buf_reset(mc_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void mc_buf_reserve(mc_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = mc_realloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';
}

void mc_buf_append(mc_buf *b, const void *p, size_t n)
{
    mc_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void mc_buf_puts(mc_buf *b, const char *s)
{
    mc_buf_append(b, s, strlen(s));
}

void mc_buf_putc(mc_buf *b, char c)
{
    mc_buf_append(b, &c, 1);
}

void mc_buf_vprintf(mc_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    mc_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void mc_buf_printf(mc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *mc_buf_detach(mc_buf *b, size_t *len_out)
{
    if (!b->data)
        mc_buf_reserve(b, 0);
    char *d = b->data;
    if (len_out)
        *len_out = b->len;
    mc_buf_init(b);
    return d;
}

const char *mc_buf_cstr(const mc_buf *b)
{
    return b->data ? b->data : "";
}
