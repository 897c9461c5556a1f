/*
 * Integration tests: hostile requests against the in-process emulator over
 * HTTP, beyond the credential errors test_oss.c and test_dlf.c check (wrong
 * secret, unknown key, clock skew, expired presigned URLs and STS tokens,
 * anonymous access). Each request here is refused with the protocol's own
 * error (OSS XML code, DLF JSON status) and leaves the stored data as it
 * was:
 *   - a captured signature replayed on another method, key, date or body;
 *   - V4 signatures whose credential scope or date is off, presigned URLs
 *     from the future or with unreadable expiry;
 *   - object names with '..' segments, absolute paths, NUL, control
 *     characters (never echoed into response headers);
 *   - oversized headers, bodies over the server's limit (announced or sent);
 *   - slow clients holding connections open with half a request;
 *   - another account's catalog and bucket (a second emulator, its own account).
 * Raw requests are written on a socket so that nothing normalises them.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client/http.h"
#include "client/oss_client.h"
#include "client/rest_catalog.h"
#include "emulator.h"
#include "sign_dlf.h"
#include "sign_oss.h"
#include "timeutil.h"

#define THREADS 4
#define MAX_BODY (256 * 1024)

typedef struct {
    char *dir;
    emulator *emu;
    oss_client *oss;
    rest_catalog *cat;
    char prefix[128];
} fx;

#define OK(call)                                                                                                   \
    do {                                                                                                           \
        mc_err err_;                                                                                               \
        if ((call) != 0)                                                                                           \
            fail_msg("%s: %s", #call, err_.msg);                                                                   \
    } while (0)
#define E (&err_)

static int start(fx *f, const char *tag)
{
    f->dir = tu_tmpdir(tag);
    emulator_options o;
    emulator_options_init(&o);
    o.num_threads = THREADS;
    o.max_body_bytes = MAX_BODY;
    mc_err err;
    if (emulator_start(&f->emu, f->dir, &o, &err)) {
        fprintf(stderr, "emulator_start: %s\n", err.msg);
        return -1;
    }
    oss_client_config oc = {
        .endpoint = emulator_endpoint(f->emu, "oss"),
        .region = emulator_region(f->emu),
        .access_key_id = emulator_owner_key_id(f->emu),
        .access_key_secret = emulator_owner_key_secret(f->emu),
        .path_style = 1,
        .max_retries = 1,
    };
    rest_catalog_config rc = {
        .uri = emulator_endpoint(f->emu, "dlf"),
        .warehouse = emulator_catalog(f->emu),
        .region = emulator_region(f->emu),
        .access_key_id = emulator_owner_key_id(f->emu),
        .access_key_secret = emulator_owner_key_secret(f->emu),
    };
    if (oss_client_new(&f->oss, &oc, &err) || rest_catalog_open(&f->cat, &rc, &err)) {
        fprintf(stderr, "clients: %s\n", err.msg);
        return -1;
    }
    snprintf(f->prefix, sizeof f->prefix, "%s", rest_catalog_option(f->cat, "prefix"));
    if (oss_client_bucket_create(f->oss, "sec", &err) ||
        oss_client_put(f->oss, "sec", "k", "original", 8, "text/plain", NULL, &err)) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static void stop(fx *f)
{
    rest_catalog_close(f->cat);
    oss_client_free(f->oss);
    emulator_stop(f->emu);
    tu_rmdir(f->dir);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    *state = f;
    return start(f, "security");
}

static int teardown(void **state)
{
    fx *f = *state;
    stop(f);
    free(f);
    return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

static int port_of(const char *url)
{
    const char *colon = strrchr(url, ':');
    assert_non_null(colon);
    return atoi(colon + 1);
}

static int connect_to(const char *url)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port_of(url))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void send_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the server may close early on a refused request */
        p += w;
        n -= (size_t)w;
    }
}

/* Reads until the server closes or a whole response (headers + Content-Length) is in. */
static void read_response(int fd, mc_buf *out, int timeout_ms)
{
    int64_t deadline = mc_monotonic_ms() + timeout_ms;
    char chunk[4096];
    for (;;) {
        const char *end = out->len ? strstr(mc_buf_cstr(out), "\r\n\r\n") : NULL;
        if (end) {
            const char *cl = strcasestr(mc_buf_cstr(out), "\r\nContent-Length:");
            if (cl && cl < end && out->len >= (size_t)(end + 4 - out->data) + (size_t)atol(cl + 17))
                return;
        }
        int left = (int)(deadline - mc_monotonic_ms());
        if (left <= 0)
            fail_msg("no whole response within %d ms, got: %.200s", timeout_ms, mc_buf_cstr(out));
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, left) <= 0)
            continue;
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return;
        mc_buf_append(out, chunk, (size_t)n);
    }
}

/* One raw request on a fresh connection; the whole answer lands in out. */
static void raw(const char *url, const void *req, size_t n, mc_buf *out)
{
    int fd = connect_to(url);
    send_all(fd, req, n);
    mc_buf_reset(out);
    read_response(fd, out, 10000);
    close(fd);
}

static int status_of(const mc_buf *resp)
{
    int s = 0;
    if (sscanf(mc_buf_cstr(resp), "HTTP/1.%*d %d", &s) != 1)
        fail_msg("not an HTTP response: %.200s", mc_buf_cstr(resp));
    return s;
}

static void expect_oss(const mc_buf *resp, int status, const char *code)
{
    char want[128];
    snprintf(want, sizeof want, "<Code>%s</Code>", code);
    if (status_of(resp) != status || !strstr(mc_buf_cstr(resp), want))
        fail_msg("expected %d %s, got: %.600s", status, code, mc_buf_cstr(resp));
    assert_non_null(strcasestr(mc_buf_cstr(resp), "\r\nx-oss-request-id: "));
}

static void expect_dlf(const mc_buf *resp, int status)
{
    const char *body = strstr(mc_buf_cstr(resp), "\r\n\r\n");
    json_t *j = body ? json_loads(body + 4, 0, NULL) : NULL;
    if (status_of(resp) != status || json_integer_value(json_object_get(j, "code")) != status ||
        !json_is_string(json_object_get(j, "message")))
        fail_msg("expected %d with a JSON error, got: %.600s", status, mc_buf_cstr(resp));
    json_decref(j);
}

/* The object `k` of bucket `sec` still holds what the fixture put there. */
static void expect_untouched(fx *f)
{
    mc_buf got = MC_BUF_INIT;
    OK(oss_client_get(f->oss, "sec", "k", 0, -1, &got, E));
    assert_int_equal(got.len, 8);
    assert_memory_equal(got.data, "original", 8);
    mc_buf_free(&got);
    oss_client_listing l;
    OK(oss_client_list(f->oss, "sec", "", NULL, &l, E));
    assert_int_equal(l.nkeys, 1);
    assert_string_equal(l.keys[0], "k");
    oss_client_listing_clear(&l);
}

/* A V4-signed request (reference/oss-api.md §3) as raw text: the request
 * line for method and path (path-style, already encoded), the signed headers
 * for the decoded bucket and key, extra headers after them. datetime NULL:
 * now. The signature covers what it covers; the caller may send the text
 * with another method or path to replay it. */
static void oss_v4(mc_buf *out, fx *f, const char *method, const char *path, const char *bucket, const char *key,
                   const char *datetime, const char *extra)
{
    char now[32];
    if (!datetime) {
        mc_time_iso8601_basic(now, sizeof now, time(NULL));
        datetime = now;
    }
    mc_header h[] = {{"x-oss-date", datetime}, {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"}};
    sign_oss_request r = {method, bucket, key, NULL, h, 2};
    mc_buf creq = MC_BUF_INIT, sts = MC_BUF_INIT;
    sign_oss_v4_canonical_request(&creq, &r, NULL, false);
    sign_oss_v4_string_to_sign(&sts, datetime, emulator_region(f->emu), "oss", creq.data);
    char date8[9], sig[65];
    snprintf(date8, sizeof date8, "%.8s", datetime);
    sign_oss_v4_signature(sig, emulator_owner_key_secret(f->emu), date8, emulator_region(f->emu), "oss", sts.data);
    mc_buf_reset(out);
    mc_buf_printf(out,
                  "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nx-oss-date: %s\r\nx-oss-content-sha256: UNSIGNED-PAYLOAD\r\n"
                  "Authorization: OSS4-HMAC-SHA256 Credential=%s/%s/%s/oss/aliyun_v4_request,Signature=%s\r\n%s\r\n",
                  method, path, datetime, emulator_owner_key_id(f->emu), date8, emulator_region(f->emu), sig,
                  extra ? extra : "Content-Length: 0\r\n");
    mc_buf_free(&creq);
    mc_buf_free(&sts);
}

/* Replaces the first occurrence of from in b with to. */
static void replace(mc_buf *b, const char *from, const char *to)
{
    char *p = strstr(mc_buf_cstr(b), from);
    assert_non_null(p);
    mc_buf o = MC_BUF_INIT;
    mc_buf_append(&o, b->data, (size_t)(p - b->data));
    mc_buf_puts(&o, to);
    mc_buf_puts(&o, p + strlen(from));
    mc_buf_reset(b);
    mc_buf_append(b, o.data, o.len);
    mc_buf_free(&o);
}

/* ---- signatures ----------------------------------------------------------------- */

static void test_replayed_oss_signature_is_refused_for_any_other_request(void **state)
{
    fx *f = *state;
    const char *oss = emulator_endpoint(f->emu, "oss");
    mc_buf req = MC_BUF_INIT, resp = MC_BUF_INIT;
    oss_v4(&req, f, "GET", "/sec/k", "sec", "k", NULL, NULL);
    raw(oss, req.data, req.len, &resp);
    assert_int_equal(status_of(&resp), 200); /* the captured request itself is good */
    assert_non_null(strstr(resp.data, "\r\n\r\noriginal"));

    /* The same headers on another method, another key, a body, another date. */
    mc_buf bad = MC_BUF_INIT;
    mc_buf_append(&bad, req.data, req.len);
    replace(&bad, "GET /sec/k", "DELETE /sec/k");
    raw(oss, bad.data, bad.len, &resp);
    expect_oss(&resp, 403, "SignatureDoesNotMatch");

    mc_buf_reset(&bad);
    mc_buf_append(&bad, req.data, req.len);
    replace(&bad, "GET /sec/k", "GET /sec/k2");
    raw(oss, bad.data, bad.len, &resp);
    expect_oss(&resp, 403, "SignatureDoesNotMatch");

    mc_buf_reset(&bad);
    mc_buf_append(&bad, req.data, req.len);
    replace(&bad, "GET /sec/k", "PUT /sec/k");
    replace(&bad, "Content-Length: 0\r\n", "Content-Length: 6\r\n");
    mc_buf_puts(&bad, "forged");
    raw(oss, bad.data, bad.len, &resp);
    expect_oss(&resp, 403, "SignatureDoesNotMatch");

    /* A later x-oss-date with the old signature (scope date unchanged). */
    char later[32];
    mc_time_iso8601_basic(later, sizeof later, time(NULL) + 1);
    mc_buf_reset(&bad);
    mc_buf_append(&bad, req.data, req.len);
    char *d = strstr(bad.data, "x-oss-date: ") + 12;
    memcpy(d, later, 16);
    if (memcmp(later, strstr(req.data, "x-oss-date: ") + 12, 16) != 0) { /* same second: nothing to replay */
        raw(oss, bad.data, bad.len, &resp);
        expect_oss(&resp, 403, "SignatureDoesNotMatch");
    }

    /* A forged signature: one hex digit changed. */
    mc_buf_reset(&bad);
    mc_buf_append(&bad, req.data, req.len);
    char *sig = strstr(bad.data, "Signature=") + 10;
    *sig = *sig == '0' ? '1' : '0';
    raw(oss, bad.data, bad.len, &resp);
    expect_oss(&resp, 403, "SignatureDoesNotMatch");

    expect_untouched(f);
    mc_buf_free(&bad);
    mc_buf_free(&req);
    mc_buf_free(&resp);
}

static void test_v4_scope_and_date_must_agree_and_presigned_urls_must_be_current(void **state)
{
    fx *f = *state;
    const char *oss = emulator_endpoint(f->emu, "oss");
    mc_buf req = MC_BUF_INIT, resp = MC_BUF_INIT;

    /* Signed correctly, but an x-oss-date of yesterday: the window is 15 minutes (§5). */
    char old[32];
    mc_time_iso8601_basic(old, sizeof old, time(NULL) - 86400);
    oss_v4(&req, f, "DELETE", "/sec/k", "sec", "k", old, NULL);
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 403, "RequestTimeTooSkewed");

    /* Credential scope of another day than x-oss-date. */
    oss_v4(&req, f, "DELETE", "/sec/k", "sec", "k", NULL, NULL);
    char *scope = strstr(req.data, "Credential=");
    scope = strchr(scope, '/') + 1;
    memcpy(scope, "20000101", 8);
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 403, "SignatureDoesNotMatch");

    /* No x-oss-date at all, or one that is not a date. */
    oss_v4(&req, f, "DELETE", "/sec/k", "sec", "k", NULL, NULL);
    replace(&req, "x-oss-date: ", "x-oss-dates: ");
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 403, "AccessDenied");
    oss_v4(&req, f, "DELETE", "/sec/k", "sec", "k", "2026-11-24 00:17", NULL);
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 403, "AccessDenied");

    /* Malformed credential scopes. */
    const char *bad_scopes[] = {"Credential=x/y", "Credential=", "Signature"};
    for (size_t i = 0; i < sizeof bad_scopes / sizeof *bad_scopes; i++) {
        mc_buf_reset(&req);
        mc_buf_printf(&req,
                      "DELETE /sec/k HTTP/1.1\r\nHost: 127.0.0.1\r\nx-oss-date: 20261124T001705Z\r\n"
                      "Authorization: OSS4-HMAC-SHA256 %s,Signature=00\r\nContent-Length: 0\r\n\r\n",
                      bad_scopes[i]);
        raw(oss, req.data, req.len, &resp);
        expect_oss(&resp, 400, "InvalidArgument");
    }

    /* A V4 presigned URL dated a day ahead: not valid yet, however long it lasts. */
    char ahead[32], path[512];
    mc_time_iso8601_basic(ahead, sizeof ahead, time(NULL) + 86400);
    snprintf(path, sizeof path,
             "/sec/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=%s%%2F%.8s%%2F%s%%2Foss%%2F"
             "aliyun_v4_request&x-oss-date=%s&x-oss-expires=604800&x-oss-signature=00",
             emulator_owner_key_id(f->emu), ahead, emulator_region(f->emu), ahead);
    mc_buf_reset(&req);
    mc_buf_printf(&req, "DELETE %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", path);
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 403, "AccessDenied");
    assert_non_null(strstr(resp.data, "not valid yet"));

    /* V1 presigned URLs whose Expires is past or unreadable. */
    const char *v1[] = {"Expires=1000000000&Signature=AAAA", "Expires=soon&Signature=AAAA", "Expires=99"};
    int want_status[] = {403, 400, 400};
    const char *want_code[] = {"AccessDenied", "InvalidArgument", "InvalidArgument"};
    for (size_t i = 0; i < sizeof v1 / sizeof *v1; i++) {
        mc_buf_reset(&req);
        mc_buf_printf(&req, "DELETE /sec/k?OSSAccessKeyId=%s&%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n",
                      emulator_owner_key_id(f->emu), v1[i]);
        raw(oss, req.data, req.len, &resp);
        expect_oss(&resp, want_status[i], want_code[i]);
    }
    expect_untouched(f);
    mc_buf_free(&req);
    mc_buf_free(&resp);
}

static void test_replayed_dlf_signature_is_refused_for_a_write(void **state)
{
    fx *f = *state;
    const char *dlf = emulator_endpoint(f->emu, "dlf");
    char path[256], date[32];
    snprintf(path, sizeof path, "/v1/%s/databases", f->prefix);
    mc_time_iso8601_basic(date, sizeof date, time(NULL));
    mc_header h[] = {{"x-dlf-date", date}, {"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-dlf-version", "v1"}};
    sign_dlf_request sr = {"GET", path, NULL, h, 3};
    mc_buf auth = MC_BUF_INIT, req = MC_BUF_INIT, resp = MC_BUF_INIT;
    sign_dlf_authorization(&auth, &sr, emulator_owner_key_id(f->emu), emulator_owner_key_secret(f->emu),
                           emulator_region(f->emu));
    const char *body = "{\"name\":\"evil\",\"options\":{}}";
    const char *methods[] = {"GET", "POST"};
    for (int i = 0; i < 2; i++) {
        mc_buf_reset(&req);
        mc_buf_printf(&req,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nx-dlf-date: %s\r\nx-dlf-content-sha256: UNSIGNED-PAYLOAD\r\n"
                      "x-dlf-version: v1\r\nAuthorization: %s\r\n%sContent-Length: %zu\r\n\r\n%s",
                      methods[i], path, date, auth.data, i ? "Content-Type: application/json\r\n" : "",
                      i ? strlen(body) : 0, i ? body : "");
        raw(dlf, req.data, req.len, &resp);
        if (i == 0)
            assert_int_equal(status_of(&resp), 200); /* the captured list request is good */
        else
            expect_dlf(&resp, 401);
    }
    json_t *db = NULL;
    mc_err err;
    assert_int_equal(rest_get_database(f->cat, "evil", &db, &err), -1);
    assert_int_equal(err.http_status, 404);
    mc_buf_free(&auth);
    mc_buf_free(&req);
    mc_buf_free(&resp);
}

/* ---- object names ----------------------------------------------------------------- */

static void test_object_names_that_leave_the_bucket_are_refused(void **state)
{
    fx *f = *state;
    const char *oss = emulator_endpoint(f->emu, "oss");
    mc_buf req = MC_BUF_INIT, resp = MC_BUF_INIT;
    /* As sent on the wire (not normalised by a client), and their decoded keys. */
    static const struct {
        const char *path, *key, *code;
    } bad[] = {
        {"/sec/../k", "../k", "InvalidObjectName"},
        {"/sec/a/%2e%2e/%2E%2E/etc/passwd", "a/../../etc/passwd", "InvalidObjectName"},
        {"/sec/..", "..", "InvalidObjectName"},
        {"/sec//etc/passwd", "/etc/passwd", "InvalidObjectName"},
        {"/sec/%5Cwindows", "\\windows", "InvalidObjectName"},
        {"/sec/a%00.txt", "a", "InvalidURI"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        oss_v4(&req, f, "PUT", bad[i].path, "sec", bad[i].key, NULL, "Content-Length: 1\r\n");
        mc_buf_puts(&req, "x");
        raw(oss, req.data, req.len, &resp);
        expect_oss(&resp, 400, bad[i].code);
    }
    /* 1024 bytes is one too many (§9). */
    mc_buf path = MC_BUF_INIT, key = MC_BUF_INIT;
    mc_buf_puts(&path, "/sec/");
    for (int i = 0; i < 1024; i++) {
        mc_buf_putc(&path, 'a');
        mc_buf_putc(&key, 'a');
    }
    oss_v4(&req, f, "PUT", path.data, "sec", key.data, NULL, "Content-Length: 1\r\n");
    mc_buf_puts(&req, "x");
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 400, "InvalidObjectName");
    expect_untouched(f);
    mc_buf_free(&path);
    mc_buf_free(&key);
    mc_buf_free(&req);
    mc_buf_free(&resp);
}

/* The response to a raw request has no header line X-Injected. */
static void expect_no_injected_header(const mc_buf *resp)
{
    const char *end = strstr(mc_buf_cstr(resp), "\r\n\r\n");
    assert_non_null(end);
    char *head = mc_strndup(resp->data, (size_t)(end - resp->data));
    assert_null(strcasestr(head, "\nX-Injected"));
    free(head);
}

static void test_control_characters_in_keys_never_reach_response_headers(void **state)
{
    fx *f = *state;
    const char *key = "a\r\nX-Injected: 1\r\n\r\nb";
    OK(oss_client_put(f->oss, "sec", key, "v", 1, "text/plain", NULL, E));
    mc_buf req = MC_BUF_INIT, resp = MC_BUF_INIT;
    oss_v4(&req, f, "GET", "/sec/a%0D%0AX-Injected%3A%201%0D%0A%0D%0Ab", "sec", key, NULL, NULL);
    raw(emulator_endpoint(f->emu, "oss"), req.data, req.len, &resp);
    assert_int_equal(status_of(&resp), 200);
    expect_no_injected_header(&resp);
    oss_v4(&req, f, "GET", "/sec/nope%0D%0AX-Injected%3A%201", "sec", "nope\r\nX-Injected: 1", NULL, NULL);
    raw(emulator_endpoint(f->emu, "oss"), req.data, req.len, &resp);
    expect_oss(&resp, 404, "NoSuchKey");
    expect_no_injected_header(&resp);
    /* Listed as data, escaped in XML. */
    oss_client_listing l;
    OK(oss_client_list(f->oss, "sec", "a", NULL, &l, E));
    assert_int_equal(l.nkeys, 1);
    assert_string_equal(l.keys[0], key);
    oss_client_listing_clear(&l);
    OK(oss_client_delete(f->oss, "sec", key, E));
    expect_untouched(f);
    mc_buf_free(&req);
    mc_buf_free(&resp);
}

/* ---- sizes and slow clients ------------------------------------------------------- */

static void test_oversized_headers_and_bodies_are_refused(void **state)
{
    fx *f = *state;
    const char *oss = emulator_endpoint(f->emu, "oss"), *dlf = emulator_endpoint(f->emu, "dlf");
    mc_buf req = MC_BUF_INIT, resp = MC_BUF_INIT, big = MC_BUF_INIT;

    /* 64 KiB of headers: the HTTP layer refuses it with 400 and closes. */
    const char *urls[] = {oss, dlf};
    for (int i = 0; i < 2; i++) {
        mc_buf_reset(&big);
        mc_buf_puts(&big, i ? "GET /v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\n" : "DELETE /sec/k HTTP/1.1\r\nHost: x\r\n");
        for (int j = 0; j < 64; j++) {
            mc_buf_printf(&big, "X-Pad-%d: ", j);
            for (int k = 0; k < 1000; k++)
                mc_buf_putc(&big, 'p');
            mc_buf_puts(&big, "\r\n");
        }
        mc_buf_puts(&big, "\r\n");
        raw(urls[i], big.data, big.len, &resp);
        assert_int_equal(status_of(&resp), 400);
    }

    /* A body over the server's limit, announced (and never sent) or sent. */
    oss_v4(&req, f, "PUT", "/sec/k", "sec", "k", NULL, "Content-Length: 10737418240\r\n");
    raw(oss, req.data, req.len, &resp);
    expect_oss(&resp, 400, "EntityTooLarge");
    char *data = malloc(MAX_BODY + 1);
    memset(data, 'x', MAX_BODY + 1);
    mc_err err;
    assert_int_equal(oss_client_put(f->oss, "sec", "k", data, MAX_BODY + 1, NULL, NULL, &err), -1);
    assert_int_equal(err.http_status, 400);
    assert_string_equal(err.remote_code, "EntityTooLarge");

    /* The catalog: a JSON body over the limit. */
    json_t *opts = json_object();
    json_object_set_new(opts, "pad", json_stringn(data, MAX_BODY));
    assert_int_equal(rest_create_database(f->cat, "huge", opts, &err), -1);
    assert_int_equal(err.http_status, 400);
    json_decref(opts);
    json_t *db = NULL;
    assert_int_equal(rest_get_database(f->cat, "huge", &db, &err), -1);
    assert_int_equal(err.http_status, 404);
    free(data);
    expect_untouched(f);
    mc_buf_free(&req);
    mc_buf_free(&resp);
    mc_buf_free(&big);
}

static void test_slow_clients_do_not_block_others(void **state)
{
    fx *f = *state;
    /* All workers but one of each service held by half-sent requests: half
     * the headers, or whole headers and a tenth of the body. */
    int slow[2 * (THREADS - 1)];
    const char *urls[] = {emulator_endpoint(f->emu, "oss"), emulator_endpoint(f->emu, "dlf")};
    for (int i = 0; i < 2 * (THREADS - 1); i++) {
        slow[i] = connect_to(urls[i % 2]);
        const char *half = i % 4 < 2 ? "PUT /sec/k HTTP/1.1\r\nHost: 127.0.0.1\r\nx-oss-da"
                                     : "POST /v1/x/databases HTTP/1.1\r\nHost: 1\r\nContent-Length: 100\r\n\r\n{\"na";
        send_all(slow[i], half, strlen(half));
    }
    usleep(200 * 1000); /* let the server pick them up */
    for (int round = 0; round < 5; round++) {
        int64_t t0 = mc_monotonic_ms();
        expect_untouched(f);
        char **names;
        size_t n;
        OK(rest_list_databases(f->cat, &names, &n, E));
        rest_names_free(names, n);
        int64_t took = mc_monotonic_ms() - t0;
        if (took > 5000)
            fail_msg("requests took %lld ms beside %d slow clients", (long long)took, 2 * (THREADS - 1));
    }
    for (int i = 0; i < 2 * (THREADS - 1); i++)
        close(slow[i]);
    expect_untouched(f);
}

/* ---- another account ------------------------------------------------------------ */

static void test_another_accounts_catalog_and_bucket_are_out_of_reach(void **state)
{
    fx *a = *state, b;
    memset(&b, 0, sizeof b);
    assert_int_equal(start(&b, "security-b"), 0);
    assert_string_not_equal(emulator_account_id(a->emu), emulator_account_id(b.emu));
    mc_buf req = MC_BUF_INIT, resp = MC_BUF_INIT;

    /* A's owner asks A's catalog service for B's catalog. */
    char path[256], date[32];
    snprintf(path, sizeof path, "/v1/%s/databases", b.prefix);
    mc_time_iso8601_basic(date, sizeof date, time(NULL));
    mc_header h[] = {{"x-dlf-date", date}, {"x-dlf-content-sha256", "UNSIGNED-PAYLOAD"}, {"x-dlf-version", "v1"}};
    sign_dlf_request sr = {"GET", path, NULL, h, 3};
    mc_buf auth = MC_BUF_INIT;
    sign_dlf_authorization(&auth, &sr, emulator_owner_key_id(a->emu), emulator_owner_key_secret(a->emu),
                           emulator_region(a->emu));
    mc_buf_printf(&req,
                  "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nx-dlf-date: %s\r\nx-dlf-content-sha256: UNSIGNED-PAYLOAD\r\n"
                  "x-dlf-version: v1\r\nAuthorization: %s\r\n\r\n",
                  path, date, auth.data);
    raw(emulator_endpoint(a->emu, "dlf"), req.data, req.len, &resp);
    expect_dlf(&resp, 404);
    assert_non_null(strstr(resp.data, "does not exist"));

    /* A's keys at B's endpoints: unknown there. */
    rest_catalog_config rc = {
        .uri = emulator_endpoint(b.emu, "dlf"),
        .warehouse = emulator_catalog(b.emu),
        .region = emulator_region(b.emu),
        .access_key_id = emulator_owner_key_id(a->emu),
        .access_key_secret = emulator_owner_key_secret(a->emu),
    };
    rest_catalog *c;
    mc_err err;
    assert_int_equal(rest_catalog_open(&c, &rc, &err), -1);
    assert_int_equal(err.http_status, 401);
    oss_client_config oc = {
        .endpoint = emulator_endpoint(b.emu, "oss"),
        .region = emulator_region(b.emu),
        .access_key_id = emulator_owner_key_id(a->emu),
        .access_key_secret = emulator_owner_key_secret(a->emu),
        .path_style = 1,
        .max_retries = 1,
    };
    oss_client *o;
    OK(oss_client_new(&o, &oc, E));
    assert_int_equal(oss_client_delete(o, "sec", "k", &err), -1);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.remote_code, "InvalidAccessKeyId");
    assert_int_equal(oss_client_put(o, b.prefix, "x", "x", 1, NULL, NULL, &err), -1);
    assert_int_equal(err.http_status, 403);
    oss_client_free(o);

    /* B's data is as it was, and so is A's. */
    expect_untouched(&b);
    expect_untouched(a);
    char **names;
    size_t n;
    OK(rest_list_databases(b.cat, &names, &n, E));
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "default");
    rest_names_free(names, n);
    mc_buf_free(&auth);
    mc_buf_free(&req);
    mc_buf_free(&resp);
    stop(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replayed_oss_signature_is_refused_for_any_other_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v4_scope_and_date_must_agree_and_presigned_urls_must_be_current, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_replayed_dlf_signature_is_refused_for_a_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_object_names_that_leave_the_bucket_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_characters_in_keys_never_reach_response_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversized_headers_and_bodies_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_clients_do_not_block_others, setup, teardown),
        cmocka_unit_test_setup_teardown(test_another_accounts_catalog_and_bucket_are_out_of_reach, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
