/*
 * http_types: the neutral description of an HTTP request's headers shared by
 * the signing code (both sides) and the clients. Names compare
 * case-insensitively. The strings are borrowed.
 */
#ifndef MC_HTTP_TYPES_H
#define MC_HTTP_TYPES_H

#include <stddef.h>

typedef struct {
    const char *name;
    const char *value;
} mc_header;

/* First header named name (case-insensitive), or NULL. */
const char *mc_header_get(const mc_header *h, size_t n, const char *name);

#endif
