/*
 * oss_client: the engine's OSS client (reference/oss-api.md). Signs every
 * request with V4 by default (V1 selectable) through common/sign_oss, adds
 * STS tokens, picks path-style addressing for IP/localhost endpoints and
 * virtual-host style otherwise, retries GET-like requests on 5xx and
 * connection errors, and turns OSS XML errors into mc_err with the service's
 * code (err->remote_code) and message intact. Nothing in it is specific to
 * the emulator: it is meant to work unchanged against live OSS.
 */
#ifndef MC_OSS_CLIENT_H
#define MC_OSS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "http_types.h"
#include "mc_err.h"
#include "strutil.h"

typedef struct {
    const char *endpoint;          /* http://127.0.0.1:PORT or https://oss-cn-hangzhou.aliyuncs.com */
    const char *region;            /* cn-hangzhou */
    const char *access_key_id;
    const char *access_key_secret;
    const char *security_token;    /* NULL unless STS */
    bool sign_v1;                  /* default V4 */
    int path_style;                /* -1 auto (default), 0 virtual host, 1 path */
    size_t part_size;              /* multipart above this size; 0: 8 MiB */
    int max_retries;               /* 0: 3 */
    int64_t clock_offset_s;        /* added to the signing time (tests of skew) */
    const char *ca_file;
} oss_client_config;

typedef struct oss_client oss_client;

int oss_client_new(oss_client **out, const oss_client_config *cfg, mc_err *err);
void oss_client_free(oss_client *c);

/* One signed request. A non-2xx answer becomes an MC_ERR_REMOTE error with
 * the service's code; out->status and out->body are kept either way. */
typedef struct {
    const char *method;
    const char *bucket;   /* NULL: service level */
    const char *key;      /* NULL: bucket level */
    const mc_query_param *params; /* decoded query parameters (encoded here) */
    size_t nparams;
    const mc_header *headers;
    size_t nheaders;
    const void *body;
    size_t body_len;
} oss_client_call;

typedef struct {
    long status;
    mc_buf body;
    mc_buf etag;
    mc_buf headers; /* "name: value\n" lines, names lower-case */
} oss_client_result;

int oss_client_send(oss_client *c, const oss_client_call *call, oss_client_result *out, mc_err *err);
void oss_client_result_clear(oss_client_result *r);
/* A response header from a result (case-insensitive), copied into out; 0 or -1. */
int oss_client_result_header(const oss_client_result *r, const char *name, mc_buf *out);

int oss_client_bucket_create(oss_client *c, const char *bucket, mc_err *err);
int oss_client_bucket_delete(oss_client *c, const char *bucket, mc_err *err);
/* Uses multipart upload when n exceeds the part size. etag may be NULL. */
int oss_client_put(oss_client *c, const char *bucket, const char *key, const void *data, size_t n,
                   const char *content_type, mc_buf *etag, mc_err *err);
/* off/len: a range (len < 0: to the end; off 0 len < 0: whole object). */
/* A streamed upload: read(ud, buf, n) returns bytes read, 0 at the end, -1 on
 * error. Sources longer than one part go up as a multipart upload, one part
 * in memory at a time. */
typedef ssize_t (*oss_read_fn)(void *ud, void *buf, size_t n);
int oss_client_put_stream(oss_client *c, const char *bucket, const char *key, oss_read_fn read, void *ud,
                          const char *content_type, mc_buf *etag, mc_err *err);
int oss_client_get(oss_client *c, const char *bucket, const char *key, int64_t off, int64_t len, mc_buf *out,
                   mc_err *err);
typedef struct {
    int64_t size;
    char etag[80];
    char content_type[128];
    char type[16];
} oss_client_head_info;
int oss_client_head(oss_client *c, const char *bucket, const char *key, oss_client_head_info *out, mc_err *err);
int oss_client_delete(oss_client *c, const char *bucket, const char *key, mc_err *err);
int oss_client_delete_multiple(oss_client *c, const char *bucket, const char *const *keys, size_t n, mc_err *err);
int oss_client_copy(oss_client *c, const char *src_bucket, const char *src_key, const char *bucket, const char *key,
                    mc_err *err);
int oss_client_append(oss_client *c, const char *bucket, const char *key, int64_t position, const void *data,
                      size_t n, int64_t *next_position, mc_err *err);

typedef struct {
    char **keys;
    int64_t *sizes;
    size_t nkeys;
    char **prefixes;   /* common prefixes */
    size_t nprefixes;
} oss_client_listing;
/* Lists every page (ListObjectsV2) under prefix; delimiter may be NULL. */
int oss_client_list(oss_client *c, const char *bucket, const char *prefix, const char *delimiter,
                    oss_client_listing *out, mc_err *err);
void oss_client_listing_clear(oss_client_listing *l);

/* A presigned GET/PUT URL valid for expires_s seconds. */
int oss_client_presign(oss_client *c, const char *method, const char *bucket, const char *key, int64_t expires_s,
                       mc_buf *url, mc_err *err);

#endif
