/*
 * http: the engine's one HTTP client (libcurl). Requests from memory,
 * responses into memory with their headers; retries with jittered
 * exponential backoff on connection errors and 5xx only, never on 4xx
 * (a 4xx is the service's answer, not a transient fault). Nothing here
 * knows which service it talks to.
 */
#ifndef MC_HTTP_H
#define MC_HTTP_H

#include <stddef.h>

#include "buf.h"
#include "http_types.h"
#include "mc_err.h"

typedef struct {
    const char *method;
    const char *url;
    const mc_header *headers;
    size_t nheaders;
    const void *body;
    size_t body_len;
    long timeout_ms;    /* 0: 60 s */
    int max_retries;    /* retries after the first attempt; 0: none */
    const char *ca_file; /* NULL: system CAs */
} http_request;

typedef struct {
    long status;
    mc_buf body;
    char **header_names;   /* lower-case */
    char **header_values;
    size_t nheaders;
} http_response;

/* 0 when a response arrived (any status); -1 with MC_ERR_NETWORK when none did. */
int http_send(http_response *out, const http_request *req, mc_err *err);
const char *http_response_header(const http_response *r, const char *name);
void http_response_clear(http_response *r);

#endif
