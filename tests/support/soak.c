/*
 * soak: `mcdlf-soak --endpoints FILE --pid PID [--seconds S] [--threads T]`,
 * the load half of ci/soak. Drives a running `mcdlf serve` (its
 * endpoints.json, owner keys) over loopback with T threads for S seconds,
 * each repeating a bounded cycle of OSS and DLF requests:
 *   OSS: PUT one of 32 keys of its own (1-16 KiB), GET it back and compare,
 *        HEAD it, LIST its prefix, every 8th cycle DELETE a key;
 *   DLF: list databases, get the soak table, list tables, every 16th cycle
 *        create and drop a database.
 * The keys and names cycle, so the server's state stays the same size and
 * any memory growth is the server's own. Samples the server's RSS
 * (/proc/PID/status VmRSS) before the load, at half time and at the end.
 *
 * Prints per-service request counts and latency percentiles, the error
 * count and the three RSS figures. Exit status 1 when any request failed or
 * gave a wrong answer, or when RSS grew in the second half of the run by
 * more than max(16 MiB, 20% of the half-time figure): the first half warms
 * allocator arenas, connection buffers and SQLite's page cache, the second
 * must be flat for a server that does not leak.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "client/oss_client.h"
#include "client/rest_catalog.h"
#include "mc_err.h"
#include "timeutil.h"

#define SOAK_KEYS 32
#define SOAK_MAX_THREADS 16
#define SOAK_TABLE "soak_t"

enum { SVC_OSS, SVC_DLF, SVC_N };
static const char *const SVC_NAMES[SVC_N] = {"oss", "dlf"};

typedef struct {
    uint32_t *us; /* latencies in microseconds */
    size_t n, cap;
} lat_vec;

typedef struct {
    int id;
    int64_t deadline_ms;
    oss_client_config oss;
    rest_catalog_config dlf;
    const char *bucket;
    lat_vec lat[SVC_N];
    long errors;
    char first_error[1200];
} soak_thread;

static atomic_long total_errors;

static void lat_add(lat_vec *v, int64_t us)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4096;
        v->us = realloc(v->us, v->cap * sizeof *v->us);
        if (!v->us)
            abort();
    }
    v->us[v->n++] = (uint32_t)(us > UINT32_MAX ? UINT32_MAX : us);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void fail(soak_thread *t, const char *what, const mc_err *err)
{
    if (!t->errors++)
        snprintf(t->first_error, sizeof t->first_error, "%s: %s", what, err ? err->msg : "wrong answer");
    atomic_fetch_add(&total_errors, 1);
}

/* Times one call into the service's latency vector; counts a failure. */
#define TIMED(t, svc, what, call)                                                                                  \
    do {                                                                                                           \
        int64_t t0_ = now_us();                                                                                    \
        int rc_ = (call);                                                                                          \
        lat_add(&(t)->lat[svc], now_us() - t0_);                                                                   \
        if (rc_)                                                                                                   \
            fail(t, what, &err);                                                                                   \
    } while (0)

static void oss_cycle(soak_thread *t, oss_client *c, unsigned long i, char *payload)
{
    mc_err err;
    char key[64], prefix[32];
    snprintf(prefix, sizeof prefix, "t%d/", t->id);
    snprintf(key, sizeof key, "t%d/k%lu", t->id, i % SOAK_KEYS);
    size_t n = 1024 + (i * 977) % (15 * 1024);
    memset(payload, 'a' + (int)(i % 26), n);
    TIMED(t, SVC_OSS, "PUT", oss_client_put(c, t->bucket, key, payload, n, "application/octet-stream", NULL, &err));
    mc_buf got = MC_BUF_INIT;
    TIMED(t, SVC_OSS, "GET", oss_client_get(c, t->bucket, key, 0, -1, &got, &err));
    if (got.len != n || (n && memcmp(got.data, payload, n) != 0))
        fail(t, "GET returned other bytes than were put", NULL);
    mc_buf_free(&got);
    oss_client_head_info h;
    TIMED(t, SVC_OSS, "HEAD", oss_client_head(c, t->bucket, key, &h, &err));
    oss_client_listing l;
    memset(&l, 0, sizeof l);
    TIMED(t, SVC_OSS, "LIST", oss_client_list(c, t->bucket, prefix, NULL, &l, &err));
    oss_client_listing_clear(&l);
    if (i % 8 == 7) {
        snprintf(key, sizeof key, "t%d/k%lu", t->id, (i / 8) % SOAK_KEYS);
        TIMED(t, SVC_OSS, "DELETE", oss_client_delete(c, t->bucket, key, &err));
    }
}

static void dlf_cycle(soak_thread *t, rest_catalog *c, unsigned long i)
{
    mc_err err;
    char **names = NULL;
    size_t n = 0;
    TIMED(t, SVC_DLF, "list databases", rest_list_databases(c, &names, &n, &err));
    rest_names_free(names, n);
    json_t *o = NULL;
    TIMED(t, SVC_DLF, "get table", rest_get_table(c, "default", SOAK_TABLE, &o, &err));
    json_decref(o);
    names = NULL;
    n = 0;
    TIMED(t, SVC_DLF, "list tables", rest_list_tables(c, "default", &names, &n, &err));
    rest_names_free(names, n);
    if (i % 16 == 15) {
        char db[32];
        snprintf(db, sizeof db, "soak_db_%d", t->id);
        TIMED(t, SVC_DLF, "create database", rest_create_database(c, db, NULL, &err));
        TIMED(t, SVC_DLF, "drop database", rest_drop_database(c, db, &err));
    }
}

static void *run(void *arg)
{
    soak_thread *t = arg;
    mc_err err;
    oss_client *oc = NULL;
    rest_catalog *rc = NULL;
    if (oss_client_new(&oc, &t->oss, &err)) {
        fail(t, "OSS client", &err);
        return NULL;
    }
    if (rest_catalog_open(&rc, &t->dlf, &err)) {
        fail(t, "DLF config handshake", &err);
        oss_client_free(oc);
        return NULL;
    }
    char *payload = malloc(16 * 1024);
    for (unsigned long i = 0; mc_monotonic_ms() < t->deadline_ms; i++) {
        oss_cycle(t, oc, i, payload);
        dlf_cycle(t, rc, i);
    }
    free(payload);
    rest_catalog_close(rc);
    oss_client_free(oc);
    return NULL;
}

static long rss_kib(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static double pct(const lat_vec *v, double p)
{
    if (!v->n)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(v->n - 1) + 0.5);
    return v->us[i] / 1000.0;
}

static int usage(void)
{
    fprintf(stderr, "usage: mcdlf-soak --endpoints FILE --pid PID [--seconds S] [--threads T]\n");
    return 2;
}

/* Creates the bucket and the table every thread uses. */
static int prepare(const soak_thread *proto, mc_err *err)
{
    oss_client *oc;
    if (oss_client_new(&oc, &proto->oss, err))
        return -1;
    int rc = oss_client_bucket_create(oc, proto->bucket, err);
    oss_client_free(oc);
    if (rc)
        return -1;
    rest_catalog *c;
    if (rest_catalog_open(&c, &proto->dlf, err))
        return -1;
    json_t *schema = json_pack("{s:[{s:i, s:s, s:s}], s:[], s:[], s:{}}", "fields", "id", 0, "name", "id", "type",
                               "INT", "partitionKeys", "primaryKeys", "options");
    rc = rest_create_table(c, "default", SOAK_TABLE, schema, err);
    json_decref(schema);
    rest_catalog_close(c);
    return rc;
}

int main(int argc, char **argv)
{
    const char *endpoints = NULL;
    int pid = 0, seconds = 60, threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--endpoints"))
            endpoints = argv[i + 1];
        else if (!strcmp(argv[i], "--pid"))
            pid = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else
            return usage();
    }
    if (!endpoints || pid <= 0 || seconds < 2 || threads < 1 || threads > SOAK_MAX_THREADS)
        return usage();
    json_error_t je;
    json_t *ep = json_load_file(endpoints, 0, &je);
    const char *oss = json_string_value(json_object_get(json_object_get(ep, "endpoints"), "oss"));
    const char *dlf = json_string_value(json_object_get(json_object_get(ep, "endpoints"), "dlf"));
    const char *ak = json_string_value(json_object_get(ep, "access_key_id"));
    const char *sk = json_string_value(json_object_get(ep, "access_key_secret"));
    const char *region = json_string_value(json_object_get(ep, "region"));
    const char *catalog = json_string_value(json_object_get(ep, "catalog"));
    if (!oss || !dlf || !ak || !sk || !region || !catalog) {
        fprintf(stderr, "mcdlf-soak: %s lacks endpoints, keys, region or catalog\n", endpoints);
        return 2;
    }
    soak_thread proto = {
        .oss = {.endpoint = oss, .region = region, .access_key_id = ak, .access_key_secret = sk, .path_style = 1},
        .dlf = {.uri = dlf, .warehouse = catalog, .region = region, .access_key_id = ak, .access_key_secret = sk},
        .bucket = "soak",
    };
    mc_err err;
    if (prepare(&proto, &err)) {
        fprintf(stderr, "mcdlf-soak: preparing the bucket and table: %s\n", err.msg);
        return 1;
    }

    long rss_start = rss_kib(pid);
    int64_t start = mc_monotonic_ms();
    soak_thread *t = calloc((size_t)threads, sizeof *t);
    pthread_t tid[SOAK_MAX_THREADS];
    for (int i = 0; i < threads; i++) {
        t[i] = proto;
        t[i].id = i;
        t[i].deadline_ms = start + seconds * 1000LL;
        pthread_create(&tid[i], NULL, run, &t[i]);
    }
    usleep((useconds_t)seconds * 500000u);
    long rss_mid = rss_kib(pid);
    for (int i = 0; i < threads; i++)
        pthread_join(tid[i], NULL);
    long rss_end = rss_kib(pid);
    double wall = (double)(mc_monotonic_ms() - start) / 1000.0;

    long errors = atomic_load(&total_errors);
    for (int s = 0; s < SVC_N; s++) {
        lat_vec all = {0};
        for (int i = 0; i < threads; i++)
            for (size_t j = 0; j < t[i].lat[s].n; j++)
                lat_add(&all, t[i].lat[s].us[j]);
        qsort(all.us, all.n, sizeof *all.us, cmp_u32);
        printf("%s: %zu requests (%.0f/s), latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f\n", SVC_NAMES[s],
               all.n, (double)all.n / wall, pct(&all, 50), pct(&all, 90), pct(&all, 99), pct(&all, 99.9),
               pct(&all, 100));
        free(all.us);
    }
    printf("errors: %ld\n", errors);
    for (int i = 0; i < threads; i++)
        if (t[i].errors)
            printf("  thread %d: %ld errors, first: %s\n", i, t[i].errors, t[i].first_error);
    printf("server RSS: start %ld KiB, middle %ld KiB, end %ld KiB\n", rss_start, rss_mid, rss_end);
    long bound = rss_mid / 5 > 16 * 1024 ? rss_mid / 5 : 16 * 1024;
    bool grew = rss_mid < 0 || rss_end < 0 || rss_end - rss_mid > bound;
    if (grew)
        printf("FAILED: RSS grew by %ld KiB in the second half (bound %ld KiB)\n", rss_end - rss_mid, bound);
    for (int i = 0; i < threads; i++)
        for (int s = 0; s < SVC_N; s++)
            free(t[i].lat[s].us);
    free(t);
    json_decref(ep);
    return errors || grew ? 1 : 0;
}
