/*
 * libFuzzer target for the JSON request bodies of the DLF catalog
 * (emulator/dlf/service.c, reference/paimon-rest.md): create/alter database,
 * create/alter/rename table (schemas and SchemaChanges), commit (snapshot and
 * statistics), rollback, tags, partitions, views, functions, and the
 * permission OpenAPI beside it (emulator/dlf/permissions_api.c: batch grant
 * and revoke bodies). The bodies go through the real handler: the target
 * starts the emulator in-process once, on a scratch state with three fixture
 * tables and a RAM user alice, and sends each input as one request signed
 * with the owner's key (DLF4-HMAC-SHA256 for the REST catalog, ACS3-HMAC-SHA256
 * for the OpenAPI), so authentication passes and the body parsers see the
 * bytes as they are. Built and run by ci/fuzz (seed corpus:
 * tests/fuzz/corpus/dlf_json).
 *
 * Input: "METHOD PATH\n" then the body, PATH being what follows
 * /v1/{prefix}/ (e.g. "POST databases/default/tables/t/commit"), or an
 * absolute OpenAPI path (e.g. "POST /dlf/v1/auth/permissions/@CAT@/batchgrant"),
 * with an optional "?query". "@CAT@" in a path stands for the catalog id;
 * in the body "@TID@" stands for the id of the table the path names
 * (commits need it) and "@UID@" for the account id (principal ARNs).
 * MCDLF_FUZZ_TRACE=1 prints each request's status and answer (for checking
 * that new seeds get past authentication).
 * Properties: no crash or sanitizer report in the emulator; no 500 (bad
 * input gets a 4xx in the protocol's JSON, never an internal error); the
 * server still answers afterwards.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "client/http.h"
#include "client/rest_catalog.h"
#include "emulator.h"
#include "fuzz_emu.h"
#include "crypto.h"
#include "sign_dlf.h"
#include "sign_pop.h"
#include "strutil.h"
#include "timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rest_catalog *cat;
static char prefix[160];

/* Schemas of the fixture tables (as test_dlf.c creates them): a primary-key
 * table, an append table partitioned by dt, a partitioned primary-key table. */
static const char *const FIXTURES[][2] = {
    {"emp", "{\"fields\":[{\"id\":0,\"name\":\"id\",\"type\":\"INT NOT NULL\"},{\"id\":1,\"name\":\"name\","
            "\"type\":\"STRING\"}],\"partitionKeys\":[],\"primaryKeys\":[\"id\"],\"options\":{\"bucket\":\"2\"}}"},
    {"pt", "{\"fields\":[{\"id\":0,\"name\":\"id\",\"type\":\"INT\"},{\"id\":1,\"name\":\"dt\",\"type\":\"STRING\"}],"
           "\"partitionKeys\":[\"dt\"],\"primaryKeys\":[],\"options\":{}}"},
    {"t", "{\"fields\":[{\"id\":0,\"name\":\"id\",\"type\":\"INT NOT NULL\"},{\"id\":1,\"name\":\"name\",\"type\":"
          "\"STRING\"},{\"id\":2,\"name\":\"dt\",\"type\":\"STRING NOT NULL\"}],\"partitionKeys\":[\"dt\"],"
          "\"primaryKeys\":[\"id\",\"dt\"],\"options\":{}}"},
};

/* (Re)creates the database `default` and the fixture tables when an input
 * dropped or renamed them. */
static void ensure_fixtures(void)
{
    mc_err err;
    json_t *o = NULL;
    if (rest_get_database(cat, "default", &o, &err) && rest_create_database(cat, "default", NULL, &err))
        fuzz_die("create database default", &err);
    json_decref(o);
    for (size_t i = 0; i < sizeof FIXTURES / sizeof *FIXTURES; i++) {
        o = NULL;
        if (rest_get_table(cat, "default", FIXTURES[i][0], &o, &err) == 0) {
            json_decref(o);
            continue;
        }
        json_t *schema = json_loads(FIXTURES[i][1], 0, NULL);
        if (rest_create_table(cat, "default", FIXTURES[i][0], schema, &err))
            fuzz_die("create fixture table", &err);
        json_decref(schema);
    }
}

static void stop(void)
{
    rest_catalog_close(cat);
    cat = NULL;
}

static void start(void)
{
    fuzz_emu_start("dlf");
    mc_err err;
    rest_catalog_config cfg = {
        .uri = emulator_endpoint(fuzz_emu, "dlf"),
        .warehouse = emulator_catalog(fuzz_emu),
        .region = emulator_region(fuzz_emu),
        .access_key_id = emulator_owner_key_id(fuzz_emu),
        .access_key_secret = emulator_owner_key_secret(fuzz_emu),
    };
    if (rest_catalog_open(&cat, &cfg, &err))
        fuzz_die("rest_catalog_open", &err);
    snprintf(prefix, sizeof prefix, "%s", rest_catalog_option(cat, "prefix"));
    emulator_key alice;
    if (emulator_ram_user_key(fuzz_emu, "alice", 1, &alice, &err))
        fuzz_die("RAM user alice", &err);
    ensure_fixtures();
    atexit(stop); /* before fuzz_emu_stop */
}

/* text with "@TID@" replaced by the id of the table that path names (when
 * it names one), "@UID@" by the account id and "@CAT@" by the catalog id. */
static void expand(mc_buf *out, const char *text, size_t n, const char *path)
{
    char *tid = NULL;
    char db[256], table[256];
    if (memmem(text, n, "@TID@", 5) && sscanf(path, "databases/%255[^/]/tables/%255[^/?]", db, table) == 2) {
        json_t *t;
        mc_err err;
        if (rest_get_table(cat, db, table, &t, &err) == 0) {
            const char *id = json_string_value(json_object_get(t, "id"));
            tid = mc_strdup(id ? id : "");
            json_decref(t);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (tid && i + 5 <= n && !memcmp(text + i, "@TID@", 5)) {
            mc_buf_puts(out, tid);
            i += 4;
        } else if (i + 5 <= n && !memcmp(text + i, "@UID@", 5)) {
            mc_buf_puts(out, emulator_account_id(fuzz_emu));
            i += 4;
        } else if (i + 5 <= n && !memcmp(text + i, "@CAT@", 5)) {
            mc_buf_puts(out, prefix);
            i += 4;
        } else {
            mc_buf_putc(out, text[i]);
        }
    }
    free(tid);
}

/* The Authorization of an OpenAPI request (reference/ram-sts.md §5.2) with
 * the headers the Tea SDKs send; h has room for 8, *nh grows. */
static void sign_acs3(mc_buf *auth, mc_header *h, size_t *nh, char date[32], char hash[65], const char *method,
                      const char *path, const mc_query *q, const mc_buf *body)
{
    const char *url = emulator_endpoint(fuzz_emu, "dlf");
    uint8_t d[MC_SHA256_LEN];
    mc_sha256(d, body->data ? body->data : "", body->len);
    mc_hex_lower(hash, d, sizeof d);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    static unsigned long nonce;
    static char nonce_text[32];
    snprintf(nonce_text, sizeof nonce_text, "%lu", ++nonce);
    h[(*nh)++] = (mc_header){"host", strstr(url, "://") + 3};
    h[(*nh)++] = (mc_header){"x-acs-version", "2025-03-10"};
    h[(*nh)++] = (mc_header){"x-acs-date", date};
    h[(*nh)++] = (mc_header){"x-acs-signature-nonce", nonce_text};
    h[(*nh)++] = (mc_header){"x-acs-content-sha256", hash};
    h[(*nh)++] = (mc_header){"content-type", "application/json; charset=utf-8"};
    sign_pop_request sr = {method, path, q, h, *nh, hash};
    sign_pop_v3_authorization(auth, &sr, NULL, emulator_owner_key_id(fuzz_emu), emulator_owner_key_secret(fuzz_emu));
}

/* One signed request; returns the HTTP status (0: no answer, -1: not sent). */
static long send_request(const char *method, const char *path, const mc_buf *body, mc_buf *answer)
{
    const char *qs = strchr(path, '?');
    size_t plen = qs ? (size_t)(qs - path) : strlen(path);
    bool openapi = path[0] == '/';
    mc_buf p = MC_BUF_INIT;
    if (openapi)
        mc_buf_append(&p, path, plen);
    else
        mc_buf_printf(&p, "/v1/%s/%.*s", prefix, (int)plen, path);
    mc_query q;
    if (mc_query_parse(&q, qs ? qs + 1 : "")) {
        mc_buf_free(&p);
        return -1; /* not a query a client would sign */
    }
    char date[32], hash[65];
    mc_header h[10];
    size_t nh = 0;
    mc_buf auth = MC_BUF_INIT;
    if (openapi) {
        sign_acs3(&auth, h, &nh, date, hash, method, p.data, &q, body);
    } else {
        mc_time_iso8601_basic(date, sizeof date, time(NULL));
        h[nh++] = (mc_header){"x-dlf-date", date};
        h[nh++] = (mc_header){"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"};
        h[nh++] = (mc_header){"x-dlf-version", "v1"};
        h[nh++] = (mc_header){"Content-Type", "application/json"};
        sign_dlf_request sr = {method, p.data, &q, h, nh};
        sign_dlf_authorization(&auth, &sr, emulator_owner_key_id(fuzz_emu), emulator_owner_key_secret(fuzz_emu),
                               emulator_region(fuzz_emu));
    }
    h[nh++] = (mc_header){"Authorization", auth.data};
    char *url = mc_asprintf("%s%s%s", emulator_endpoint(fuzz_emu, "dlf"), p.data, qs ? qs : "");
    long status = fuzz_http(method, url, h, nh, body->data, body->len, answer);
    free(url);
    mc_buf_free(&auth);
    mc_query_free(&q);
    mc_buf_free(&p);
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long runs;
    if (!fuzz_emu)
        start();
    const char *text = (const char *)data, *nl = memchr(text, '\n', size);
    if (!nl || nl - text > 600)
        return 0;
    char line[601];
    memcpy(line, text, (size_t)(nl - text));
    line[nl - text] = '\0';
    char *sp = strchr(line, ' ');
    if (!sp || sp == line || sp - line > 7)
        return 0;
    *sp = '\0';
    const char *method = line, *path = sp + 1;
    if (!*path)
        return 0;
    for (const char *c = method; *c; c++)
        if (!isupper((unsigned char)*c))
            return 0;
    for (const char *c = path; *c; c++)
        if (*c <= ' ' || *c > '~')
            return 0; /* what a client can put on a request line */

    mc_buf body = MC_BUF_INIT, answer = MC_BUF_INIT, target = MC_BUF_INIT;
    expand(&body, nl + 1, size - (size_t)(nl + 1 - text), path);
    expand(&target, path, strlen(path), "");
    long status = send_request(method, mc_buf_cstr(&target), &body, &answer);
    mc_buf_free(&target);
    if (getenv("MCDLF_FUZZ_TRACE"))
        fprintf(stderr, "%s %s -> %ld %.300s\n", method, path, status, mc_buf_cstr(&answer));
    if (status == -1) {
        mc_buf_free(&body);
        return 0;
    }
    if (status == 0 || (status >= 500 && status != 501)) {
        fprintf(stderr, "fuzz_dlf_json: %s %s answered %ld: %s\n", method, path, status, mc_buf_cstr(&answer));
        abort();
    }
    mc_buf_free(&body);
    mc_buf_free(&answer);
    if (!strcmp(method, "DELETE") || strstr(path, "rename") || ++runs % 256 == 0)
        ensure_fixtures();
    return 0;
}
