/*
 * libFuzzer target for the JSON request bodies of the DLF catalog
 * (emulator/dlf/service.c, reference/paimon-rest.md): create/alter database,
 * create/alter/rename table (schemas and SchemaChanges), commit (snapshot and
 * statistics), rollback, tags, partitions, views, functions. The bodies go
 * through the real handler: the target starts the emulator in-process once,
 * on a scratch state with three fixture tables, and sends each input as one
 * request signed with the owner's key (DLF4-HMAC-SHA256), so authentication
 * passes and the body parsers see the bytes as they are. Built and run by
 * ci/fuzz (seed corpus: tests/fuzz/corpus/dlf_json).
 *
 * Input: "METHOD PATH\n" then the body, PATH being what follows
 * /v1/{prefix}/ (e.g. "POST databases/default/tables/t/commit"), with an
 * optional "?query". "@TID@" in the body stands for the id of the table the
 * path names (commits need it).
 * Properties: no crash or sanitizer report in the emulator; no 500 (bad
 * input gets a 4xx in the protocol's JSON, never an internal error); the
 * server still answers afterwards.
 */
#include <ctype.h>
#include <jansson.h>
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
#include "fsutil.h"
#include "sign_dlf.h"
#include "strutil.h"
#include "timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emulator *emu;
static rest_catalog *cat;
static char *state_dir;
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

static void die(const char *what, const mc_err *err)
{
    fprintf(stderr, "fuzz_dlf_json: %s: %s\n", what, err ? err->msg : "");
    abort();
}

/* (Re)creates the database `default` and the fixture tables when an input
 * dropped or renamed them. */
static void ensure_fixtures(void)
{
    mc_err err;
    json_t *o = NULL;
    if (rest_get_database(cat, "default", &o, &err) && rest_create_database(cat, "default", NULL, &err))
        die("create database default", &err);
    json_decref(o);
    for (size_t i = 0; i < sizeof FIXTURES / sizeof *FIXTURES; i++) {
        o = NULL;
        if (rest_get_table(cat, "default", FIXTURES[i][0], &o, &err) == 0) {
            json_decref(o);
            continue;
        }
        json_t *schema = json_loads(FIXTURES[i][1], 0, NULL);
        if (rest_create_table(cat, "default", FIXTURES[i][0], schema, &err))
            die("create fixture table", &err);
        json_decref(schema);
    }
}

static void stop(void)
{
    rest_catalog_close(cat);
    emulator_stop(emu);
    if (state_dir) {
        mc_rm_rf(state_dir);
        free(state_dir);
    }
}

static void start(void)
{
    setenv("MCDLF_LOG", "error", 0);
    const char *tmp = getenv("TMPDIR");
    state_dir = mc_asprintf("%s/mcdlf-fuzz-dlf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(state_dir))
        die("mkdtemp", NULL);
    emulator_options o;
    emulator_options_init(&o);
    o.num_threads = 2;
    o.max_body_bytes = 1 << 20;
    mc_err err;
    if (emulator_start(&emu, state_dir, &o, &err))
        die("emulator_start", &err);
    rest_catalog_config cfg = {
        .uri = emulator_endpoint(emu, "dlf"),
        .warehouse = emulator_catalog(emu),
        .region = emulator_region(emu),
        .access_key_id = emulator_owner_key_id(emu),
        .access_key_secret = emulator_owner_key_secret(emu),
    };
    if (rest_catalog_open(&cat, &cfg, &err))
        die("rest_catalog_open", &err);
    snprintf(prefix, sizeof prefix, "%s", rest_catalog_option(cat, "prefix"));
    ensure_fixtures();
    atexit(stop);
}

/* The body with "@TID@" replaced by the id of the table that path names. */
static void expand_body(mc_buf *out, const char *body, size_t n, const char *path)
{
    char *tid = NULL;
    char db[256], table[256];
    if (memmem(body, n, "@TID@", 5) &&
        sscanf(path, "databases/%255[^/]/tables/%255[^/?]", db, table) == 2) {
        json_t *t;
        mc_err err;
        if (rest_get_table(cat, db, table, &t, &err) == 0) {
            tid = mc_strdup(json_string_value(json_object_get(t, "id")) ? json_string_value(json_object_get(t, "id"))
                                                                         : "");
            json_decref(t);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (tid && i + 5 <= n && !memcmp(body + i, "@TID@", 5)) {
            mc_buf_puts(out, tid);
            i += 4;
        } else {
            mc_buf_putc(out, body[i]);
        }
    }
    free(tid);
}

/* One signed request; returns the HTTP status (0: no answer). */
static long send_request(const char *method, const char *path, const mc_buf *body, mc_buf *answer)
{
    const char *qs = strchr(path, '?');
    char *p = mc_asprintf("/v1/%s/%.*s", prefix, (int)(qs ? (size_t)(qs - path) : strlen(path)), path);
    mc_query q;
    if (mc_query_parse(&q, qs ? qs + 1 : "")) {
        free(p);
        return -1; /* not a query a client would sign */
    }
    char date[32];
    mc_time_iso8601_basic(date, sizeof date, time(NULL));
    mc_header h[6] = {{"x-dlf-date", date},
                      {"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"},
                      {"x-dlf-version", "v1"},
                      {"Content-Type", "application/json"}};
    size_t nh = 4;
    sign_dlf_request sr = {method, p, &q, h, nh};
    mc_buf auth = MC_BUF_INIT;
    sign_dlf_authorization(&auth, &sr, emulator_owner_key_id(emu), emulator_owner_key_secret(emu),
                           emulator_region(emu));
    h[nh++] = (mc_header){"Authorization", auth.data};
    char *url = mc_asprintf("%s%s%s", emulator_endpoint(emu, "dlf"), p, qs ? qs : "");
    http_request req = {.method = method, .url = url, .headers = h, .nheaders = nh,
                        .body = body->data, .body_len = body->len, .timeout_ms = 20000};
    http_response resp;
    mc_err err;
    long status = 0;
    if (http_send(&resp, &req, &err) == 0) {
        status = resp.status;
        mc_buf_append(answer, resp.body.data ? resp.body.data : "", resp.body.len);
        http_response_clear(&resp);
    }
    free(url);
    mc_buf_free(&auth);
    mc_query_free(&q);
    free(p);
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long runs;
    if (!emu)
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
    for (const char *c = method; *c; c++)
        if (!isupper((unsigned char)*c))
            return 0;
    for (const char *c = path; *c; c++)
        if (*c <= ' ' || *c > '~')
            return 0; /* what a client can put on a request line */

    mc_buf body = MC_BUF_INIT, answer = MC_BUF_INIT;
    expand_body(&body, nl + 1, size - (size_t)(nl + 1 - text), path);
    long status = send_request(method, path, &body, &answer);
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
