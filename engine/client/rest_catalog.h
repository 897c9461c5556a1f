/*
 * rest_catalog: the engine's Paimon REST catalog client (reference/
 * paimon-rest.md), as Java's RESTCatalog speaks it to DLF: the
 * `GET /v1/config?warehouse=` handshake that yields the prefix, requests
 * signed with DLF4-HMAC-SHA256 (§3.3, common/sign_dlf), paging through
 * every list (§5), and server errors turned into mc_err the way the Java
 * client words them (§1 error path): 403 -> "Forbidden: <message>",
 * 401 -> "Not authorized: <message>", 500 -> "Server error: <message>".
 * err->http_status is the ErrorResponse code and err->remote_code its
 * resourceType (TABLE, SNAPSHOT, ...). Only GETs are retried; a commit is
 * never replayed blindly. Nothing in it is specific to the emulator.
 */
#ifndef MC_REST_CATALOG_H
#define MC_REST_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "strutil.h"

typedef struct {
    const char *uri;        /* http://127.0.0.1:PORT or https://cn-hangzhou-vpc.dlf.aliyuncs.com */
    const char *warehouse;  /* the catalog name */
    const char *region;
    const char *access_key_id;
    const char *access_key_secret;
    const char *security_token; /* NULL unless STS */
    const char *ca_file;
    int max_retries;        /* GETs; 0: 3 */
} rest_catalog_config;

typedef struct rest_catalog rest_catalog;

/* Performs the config handshake. */
int rest_catalog_open(rest_catalog **out, const rest_catalog_config *cfg, mc_err *err);
void rest_catalog_close(rest_catalog *c);
/* The merged option `key` from the handshake (defaults + overrides), or NULL. */
const char *rest_catalog_option(const rest_catalog *c, const char *key);

/* One call below /v1/{prefix}/: segs are raw names (encoded here). body may
 * be NULL; *out (may be NULL) receives the parsed answer or NULL for an
 * empty one. */
int rest_catalog_call(rest_catalog *c, const char *method, const char *const *segs, size_t nsegs,
                      const mc_query_param *q, size_t nq, const json_t *body, json_t **out, mc_err *err);

/* Calls fn for every element of the `key` array of a paged GET below
 * /v1/{prefix}/, all pages; stops at the first non-zero return. */
int rest_catalog_each(rest_catalog *c, const char *const *segs, size_t nsegs, const char *key,
                      int (*fn)(void *ud, json_t *item, mc_err *err), void *ud, mc_err *err);

/* Every database name, all pages. Caller frees with rest_names_free. */
int rest_list_databases(rest_catalog *c, char ***names, size_t *n, mc_err *err);
int rest_create_database(rest_catalog *c, const char *name, const json_t *options, mc_err *err);
int rest_get_database(rest_catalog *c, const char *name, json_t **out, mc_err *err);
int rest_drop_database(rest_catalog *c, const char *name, mc_err *err);
int rest_list_tables(rest_catalog *c, const char *db, char ***names, size_t *n, mc_err *err);
void rest_names_free(char **names, size_t n);

/* GetTableResponse. */
int rest_get_table(rest_catalog *c, const char *db, const char *table, json_t **out, mc_err *err);
/* schema: {fields, partitionKeys, primaryKeys, options, comment?}. */
int rest_create_table(rest_catalog *c, const char *db, const char *table, const json_t *schema, mc_err *err);
int rest_drop_table(rest_catalog *c, const char *db, const char *table, mc_err *err);
/* TableSnapshot of the latest snapshot, or *out = NULL when the table has none. */
int rest_latest_snapshot(rest_catalog *c, const char *db, const char *table, json_t **out, mc_err *err);
/* POST .../commit; *success false means the base moved (retry from a fresh read).
 * base_uuid: the uuid of the snapshot the commit builds on, NULL when none. */
int rest_commit(rest_catalog *c, const char *db, const char *table, const char *table_id, const char *base_uuid,
                const json_t *snapshot, const json_t *statistics, bool *success, mc_err *err);

typedef struct {
    char *access_key_id;
    char *access_key_secret;
    char *security_token;
    char *endpoint;
    char *region;
    int64_t expires_at_ms;
} rest_data_token;
int rest_table_token(rest_catalog *c, const char *db, const char *table, rest_data_token *out, mc_err *err);
void rest_data_token_clear(rest_data_token *t);

#endif
