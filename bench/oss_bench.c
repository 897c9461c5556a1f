/*
 * oss_bench: `mcdlf-bench-oss [--nginx URL] [--seconds S] [--threads T]`,
 * a benchmark (not a test) of the OSS emulator's GET and PUT throughput for
 * 4 KiB and 1 MiB objects, beside a plain file server (nginx with WebDAV,
 * started by bench/oss) serving the same objects from disk.
 *
 * For each size and op, T threads (each with its own client) run for S
 * seconds over a fixed set of keys; ops and bytes are summed and divided by
 * the wall time of the round. Both sides go through the engine's HTTP client
 * (libcurl, one connection per request), so the ratio emulator/nginx is the
 * server-side difference plus the OSS protocol's own client work (signing,
 * Content-MD5 on PUT). Every GET is compared with the bytes put there; a
 * wrong answer or any failed request stops the run and the exit status is 1.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "client/http.h"
#include "client/oss_client.h"
#include "emulator.h"
#include "fsutil.h"
#include "mc_err.h"
#include "timeutil.h"

#define BENCH_BUCKET "bench"
#define BENCH_NKEYS 16 /* objects per size, read round-robin by GET */
#define BENCH_MAX_THREADS 64

typedef enum { OP_PUT, OP_GET } bench_op;

/* Where requests go: the emulator through oss_client, or nginx through plain http_send. */
typedef struct {
    const char *name;
    const char *nginx_url; /* NULL: the emulator */
    oss_client_config oss;
} bench_target;

/* The objects of one size: BENCH_NKEYS distinct payloads, key i holds data[i]. */
typedef struct {
    size_t size;
    char *data[BENCH_NKEYS];
} bench_set;

typedef struct {
    double ops_per_s;
    double mib_per_s;
} bench_result;

/* One round (target, size, op) shared by its threads. */
typedef struct {
    const bench_target *target;
    const bench_set *set;
    bench_op op;
    int64_t deadline_ms;
    atomic_bool failed;
} bench_round;

typedef struct {
    bench_round *round;
    int id;
    uint64_t ops;
    uint64_t bytes;
    mc_err err;
} bench_worker;

static void fill_pattern(char *p, size_t n, uint64_t seed)
{
    /* xorshift64: cheap, and distinct per key so a swapped object is caught. */
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (char)x;
    }
}

static void set_init(bench_set *s, size_t size)
{
    s->size = size;
    for (int i = 0; i < BENCH_NKEYS; i++) {
        s->data[i] = mc_malloc(size);
        fill_pattern(s->data[i], size, size * BENCH_NKEYS + (uint64_t)i);
    }
}

static void set_free(bench_set *s)
{
    for (int i = 0; i < BENCH_NKEYS; i++)
        free(s->data[i]);
}

/* PUT keys are per thread so writers never race on one object. */
static char *key_for(bench_op op, size_t size, int thread, int i)
{
    if (op == OP_GET)
        return mc_asprintf("get/s%zu/k%d", size, i);
    return mc_asprintf("put/s%zu/t%d/k%d", size, thread, i);
}

static int nginx_request(const char *base, const char *method, const char *key, const void *body, size_t n,
                         mc_buf *out, mc_err *err)
{
    char *url = mc_asprintf("%s/%s", base, key);
    http_request req = {.method = method, .url = url, .body = body, .body_len = n};
    http_response resp;
    int rc = http_send(&resp, &req, err);
    if (rc == 0 && (resp.status < 200 || resp.status > 299))
        rc = mc_err_set(err, MC_ERR_REMOTE, "%s %s: HTTP %ld", method, url, resp.status);
    if (rc == 0 && out) {
        mc_buf_free(out);
        *out = resp.body;
        mc_buf_init(&resp.body);
    }
    http_response_clear(&resp);
    free(url);
    return rc;
}

/* One PUT or GET of key i; a GET is checked against the bytes that were put. */
static int bench_one(const bench_target *t, oss_client *c, const bench_set *s, bench_op op, int thread, int i,
                     mc_buf *got, mc_err *err)
{
    char *key = key_for(op, s->size, thread, i);
    int rc;
    if (op == OP_PUT)
        rc = t->nginx_url ? nginx_request(t->nginx_url, "PUT", key, s->data[i], s->size, NULL, err)
                          : oss_client_put(c, BENCH_BUCKET, key, s->data[i], s->size, NULL, NULL, err);
    else
        rc = t->nginx_url ? nginx_request(t->nginx_url, "GET", key, NULL, 0, got, err)
                          : oss_client_get(c, BENCH_BUCKET, key, 0, -1, got, err);
    if (rc == 0 && op == OP_GET && (got->len != s->size || memcmp(got->data, s->data[i], s->size) != 0))
        rc = mc_err_set(err, MC_ERR_PROTOCOL, "%s: GET %s: %zu bytes back, not the %zu bytes put there", t->name,
                        key, got->len, s->size);
    free(key);
    return rc;
}

static int client_open(oss_client **out, const bench_target *t, mc_err *err)
{
    *out = NULL;
    return t->nginx_url ? 0 : oss_client_new(out, &t->oss, err);
}

static void *worker_main(void *arg)
{
    bench_worker *w = arg;
    bench_round *r = w->round;
    mc_buf got = MC_BUF_INIT;
    oss_client *c;
    mc_err_clear(&w->err);
    if (client_open(&c, r->target, &w->err)) {
        atomic_store(&r->failed, true);
        return NULL;
    }
    for (int i = w->id % BENCH_NKEYS; !atomic_load(&r->failed) && mc_monotonic_ms() < r->deadline_ms;
         i = (i + 1) % BENCH_NKEYS) {
        if (bench_one(r->target, c, r->set, r->op, w->id, i, &got, &w->err)) {
            atomic_store(&r->failed, true);
            break;
        }
        w->ops++;
        w->bytes += r->set->size;
    }
    mc_buf_free(&got);
    oss_client_free(c);
    return NULL;
}

static int bench_run(bench_result *out, const bench_target *t, const bench_set *s, bench_op op, int threads,
                     int seconds, mc_err *err)
{
    bench_round r = {.target = t, .set = s, .op = op};
    atomic_init(&r.failed, false);
    bench_worker w[BENCH_MAX_THREADS];
    pthread_t tid[BENCH_MAX_THREADS];
    int started = 0;
    int64_t t0 = mc_monotonic_ms();
    r.deadline_ms = t0 + (int64_t)seconds * 1000;
    for (; started < threads; started++) {
        w[started] = (bench_worker){.round = &r, .id = started};
        if (pthread_create(&tid[started], NULL, worker_main, &w[started])) {
            atomic_store(&r.failed, true);
            mc_err_set(err, MC_ERR_INTERNAL, "pthread_create failed");
            break;
        }
    }
    uint64_t ops = 0, bytes = 0;
    int rc = started < threads ? -1 : 0;
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
        ops += w[i].ops;
        bytes += w[i].bytes;
        if (rc == 0 && w[i].err.code != MC_OK) {
            *err = w[i].err;
            rc = -1;
        }
    }
    double secs = (double)(mc_monotonic_ms() - t0) / 1000.0;
    out->ops_per_s = (double)ops / secs;
    out->mib_per_s = (double)bytes / secs / (1024.0 * 1024.0);
    return rc;
}

/* Puts every GET object once, so the GET rounds read what is known. */
static int bench_prepare(const bench_target *t, const bench_set *s, mc_err *err)
{
    oss_client *c;
    if (client_open(&c, t, err))
        return -1;
    int rc = 0;
    for (int i = 0; i < BENCH_NKEYS && rc == 0; i++) {
        char *key = key_for(OP_GET, s->size, 0, i);
        rc = t->nginx_url ? nginx_request(t->nginx_url, "PUT", key, s->data[i], s->size, NULL, err)
                          : oss_client_put(c, BENCH_BUCKET, key, s->data[i], s->size, NULL, NULL, err);
        free(key);
    }
    oss_client_free(c);
    return rc;
}

typedef struct {
    const char *nginx;
    int seconds;
    int threads;
} bench_args;

static int parse_args(bench_args *a, int argc, char **argv)
{
    *a = (bench_args){.seconds = 5, .threads = 4};
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--nginx") && v)
            a->nginx = v;
        else if (!strcmp(argv[i], "--seconds") && v)
            a->seconds = atoi(v);
        else if (!strcmp(argv[i], "--threads") && v)
            a->threads = atoi(v);
        else
            return -1;
        i++;
    }
    if (a->seconds < 1 || a->threads < 1 || a->threads > BENCH_MAX_THREADS)
        return -1;
    return 0;
}

static void print_row(const char *op, const char *size, const bench_result *e, const bench_result *n)
{
    if (!n) {
        printf("%-4s %-6s %14.0f %9.1f %12s %9s %7s\n", op, size, e->ops_per_s, e->mib_per_s, "-", "-", "-");
        return;
    }
    printf("%-4s %-6s %14.0f %9.1f %12.0f %9.1f %7.2f\n", op, size, e->ops_per_s, e->mib_per_s, n->ops_per_s,
           n->mib_per_s, n->ops_per_s > 0 ? e->ops_per_s / n->ops_per_s : 0.0);
    fflush(stdout);
}

/* Every round of one size: prepare the GET objects, then PUT and GET on each target. */
static int bench_size(const bench_target *emu, const bench_target *ngx, size_t size, const char *label,
                      const bench_args *a, mc_err *err)
{
    bench_set s;
    set_init(&s, size);
    int rc = bench_prepare(emu, &s, err);
    if (rc == 0 && ngx)
        rc = bench_prepare(ngx, &s, err);
    static const bench_op ops[] = {OP_PUT, OP_GET};
    for (size_t k = 0; k < 2 && rc == 0; k++) {
        bench_result re = {0}, rn = {0};
        rc = bench_run(&re, emu, &s, ops[k], a->threads, a->seconds, err);
        if (rc == 0 && ngx)
            rc = bench_run(&rn, ngx, &s, ops[k], a->threads, a->seconds, err);
        if (rc == 0)
            print_row(ops[k] == OP_PUT ? "PUT" : "GET", label, &re, ngx ? &rn : NULL);
    }
    set_free(&s);
    return rc;
}

static int bench_main(const bench_args *a, const char *state_dir, mc_err *err)
{
    emulator_options opts;
    emulator_options_init(&opts);
    emulator *emu;
    if (emulator_start(&emu, state_dir, &opts, err))
        return mc_err_prefix(err, "emulator_start");
    bench_target e = {
        .name = "emulator",
        .oss = {.endpoint = emulator_endpoint(emu, "oss"),
                .region = emulator_region(emu),
                .access_key_id = emulator_owner_key_id(emu),
                .access_key_secret = emulator_owner_key_secret(emu),
                .path_style = -1},
    };
    bench_target n = {.name = "nginx", .nginx_url = a->nginx};
    oss_client *c;
    int rc = oss_client_new(&c, &e.oss, err);
    if (rc == 0) {
        rc = oss_client_bucket_create(c, BENCH_BUCKET, err);
        oss_client_free(c);
    }
    if (rc == 0) {
        printf("%d threads, %d s per round, %d keys per size\n", a->threads, a->seconds, BENCH_NKEYS);
        printf("%-4s %-6s %14s %9s %12s %9s %7s\n", "op", "size", "emulator ops/s", "MiB/s", "nginx ops/s", "MiB/s",
               "ratio");
    }
    if (rc == 0)
        rc = bench_size(&e, a->nginx ? &n : NULL, 4096, "4KiB", a, err);
    if (rc == 0)
        rc = bench_size(&e, a->nginx ? &n : NULL, 1024 * 1024, "1MiB", a, err);
    emulator_stop(emu);
    return rc;
}

int main(int argc, char **argv)
{
    bench_args a;
    if (parse_args(&a, argc, argv)) {
        fprintf(stderr, "usage: %s [--nginx URL] [--seconds S] [--threads T (1-%d)]\n", argv[0], BENCH_MAX_THREADS);
        return 2;
    }
    const char *base = getenv("TMPDIR");
    char *dir = mc_asprintf("%s/mcdlf-bench-oss-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror(dir);
        free(dir);
        return 1;
    }
    mc_err err;
    mc_err_clear(&err);
    int rc = bench_main(&a, dir, &err);
    if (rc)
        fprintf(stderr, "mcdlf-bench-oss: %s\n", err.msg);
    mc_rm_rf(dir);
    free(dir);
    return rc ? 1 : 0;
}
