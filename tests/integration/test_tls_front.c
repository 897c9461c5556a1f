/*
 * Integration tests of the emulator's HTTPS listeners (server/tls_front):
 * libcurl verifying a test certificate, the relayed request keeping its Host
 * header and client address and being marked secure, large bodies both ways
 * on one kept-alive connection, plain HTTP and non-TLS bytes refused without
 * harm to the listener, bad key material refused at start, and a stop that
 * returns while a client still holds a connection open.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "emulator.h"
#include "server/service.h"

#define BIG (3 * 1024 * 1024 + 17) /* several TLS records and relay chunks, not a multiple of either */

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + i / 4099);
}

static int echo_open(void **ctx, const emu_env *env, mc_err *err)
{
    (void)env;
    (void)err;
    *ctx = NULL;
    return 0;
}

static void echo_error(void *ctx, emu_request *r, int status, const char *code, const char *message)
{
    (void)ctx;
    char body[512];
    int n = snprintf(body, sizeof body, "%s:%s", code, message);
    emu_resp_send(r, status, "text/plain", body, (size_t)n);
}

/* GET /big: BIG pattern bytes. PUT: "<length> ok|bad" against the pattern.
 * Anything else: what the service saw of the connection. */
static void echo_handle(void *ctx, emu_request *r)
{
    if (!strcmp(emu_req_method(r), "PUT")) {
        mc_buf body = MC_BUF_INIT;
        mc_err err;
        if (emu_req_body(r, &body, &err)) {
            echo_error(ctx, r, 400, "Body", err.msg);
            mc_buf_free(&body);
            return;
        }
        bool ok = true;
        for (size_t i = 0; i < body.len && ok; i++)
            ok = (unsigned char)body.data[i] == pattern(i);
        char out[64];
        int n = snprintf(out, sizeof out, "%zu %s", body.len, ok ? "ok" : "bad");
        emu_resp_send(r, 200, "text/plain", out, (size_t)n);
        mc_buf_free(&body);
        return;
    }
    if (!strcmp(emu_req_raw_path(r), "/big")) {
        emu_resp_begin(r, 200, "application/octet-stream", BIG);
        unsigned char chunk[10000];
        for (size_t off = 0; off < BIG; off += sizeof chunk) {
            size_t n = BIG - off < sizeof chunk ? BIG - off : sizeof chunk;
            for (size_t i = 0; i < n; i++)
                chunk[i] = pattern(off + i);
            if (emu_resp_write(r, chunk, n))
                return;
        }
        return;
    }
    const char *host = emu_req_header(r, "Host");
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "secure=%d addr=%s host=%s %s %s", emu_req_secure(r), emu_req_remote_addr(r),
                  host ? host : "-", emu_req_method(r), emu_req_raw_path(r));
    emu_resp_send(r, 200, "text/plain", b.data, b.len);
    mc_buf_free(&b);
}

static const emu_service_def echo_service = {
    .name = "oss",
    .request_id_header = "x-oss-request-id",
    .open = echo_open,
    .handle = echo_handle,
    .send_error = echo_error,
};

static const emu_service_def *const echo_services[] = {&echo_service, NULL};

typedef struct {
    char *dir, *cert, *key, *other_key;
} fixture;

/* A self-signed certificate for 127.0.0.1 (its own CA) and an unrelated key. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir("tls");
    f->cert = mc_asprintf("%s/cert.pem", f->dir);
    f->key = mc_asprintf("%s/key.pem", f->dir);
    f->other_key = mc_asprintf("%s/other.pem", f->dir);
    char *cmd = mc_asprintf("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                            "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s 2>/dev/null && "
                            "openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out %s 2>/dev/null",
                            f->key, f->cert, f->other_key);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0)
        fail_msg("the openssl command could not make a test certificate");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->cert);
    free(f->key);
    free(f->other_key);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

static emulator *start_tls(const fixture *f, const char *key, mc_err *err)
{
    emulator_options o;
    emulator_options_init(&o);
    o.tls_cert = f->cert;
    o.tls_key = key;
    emulator *e = NULL;
    mc_err_clear(err);
    char *state = mc_asprintf("%s/state", f->dir);
    emulator_start_services(&e, state, &o, echo_services, err);
    free(state);
    return e;
}

/* The echo service on HTTPS with the fixture's certificate and key. */
static emulator *started(const fixture *f)
{
    mc_err err;
    emulator *e = start_tls(f, f->key, &err);
    if (!e)
        fail_msg("emulator_start: %s", err.msg);
    return e;
}

typedef struct {
    const unsigned char *data;
    size_t off, len;
} upload;

static size_t collect(char *p, size_t s, size_t n, void *ud)
{
    mc_buf_append(ud, p, s * n);
    return s * n;
}

static size_t feed(char *p, size_t s, size_t n, void *ud)
{
    upload *u = ud;
    size_t k = u->len - u->off < s * n ? u->len - u->off : s * n;
    memcpy(p, u->data + u->off, k);
    u->off += k;
    return k;
}

/* One request on handle c; returns the status, body in out. */
static long request(CURL *c, const char *url, const char *ca, upload *up, mc_buf *out)
{
    mc_buf_reset(out);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (ca)
        curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    curl_easy_setopt(c, CURLOPT_UPLOAD, up ? 1L : 0L);
    if (up) {
        curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
        curl_easy_setopt(c, CURLOPT_READDATA, up);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up->len);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        fail_msg("%s: %s", url, curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static void test_https_relay_keeps_host_and_client_address_and_is_secure(void **state)
{
    const fixture *f = *state;
    emulator *e = started(f);
    const char *ep = emulator_endpoint(e, "oss");
    assert_non_null(ep);
    assert_int_equal(strncmp(ep, "https://127.0.0.1:", 18), 0);
    CURL *c = curl_easy_init();
    mc_buf body = MC_BUF_INIT;
    char url[160];
    snprintf(url, sizeof url, "%s/some/path", ep);
    assert_int_equal(request(c, url, f->cert, NULL, &body), 200);
    char expect[160];
    snprintf(expect, sizeof expect, "secure=1 addr=127.0.0.1 host=%s GET /some/path", ep + 8);
    assert_string_equal(mc_buf_cstr(&body), expect);

    /* Large bodies both ways, on the same kept-alive connection. */
    snprintf(url, sizeof url, "%s/big", ep);
    assert_int_equal(request(c, url, f->cert, NULL, &body), 200);
    assert_int_equal(body.len, BIG);
    for (size_t i = 0; i < body.len; i++)
        if ((unsigned char)body.data[i] != pattern(i))
            fail_msg("downloaded byte %zu differs", i);
    long connects = -1;
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
    assert_int_equal(connects, 0);
    unsigned char *data = malloc(BIG);
    for (size_t i = 0; i < BIG; i++)
        data[i] = pattern(i);
    upload up = {data, 0, BIG};
    snprintf(url, sizeof url, "%s/up", ep);
    assert_int_equal(request(c, url, f->cert, &up, &body), 200);
    snprintf(expect, sizeof expect, "%d ok", BIG);
    assert_string_equal(mc_buf_cstr(&body), expect);
    free(data);

    /* The client still holds its connection open: stop must not wait for it. */
    emulator_stop(e);
    curl_easy_cleanup(c);
    mc_buf_free(&body);
}

static void test_plain_http_and_garbage_are_refused_and_the_listener_lives_on(void **state)
{
    const fixture *f = *state;
    emulator *e = started(f);
    const char *ep = emulator_endpoint(e, "oss");
    int port = atoi(strrchr(ep, ':') + 1);
    CURL *c = curl_easy_init();
    mc_buf body = MC_BUF_INIT;
    char url[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
    assert_int_equal(request(c, url, NULL, NULL, &body), 400);
    assert_string_equal(mc_buf_cstr(&body), "This port speaks HTTPS: use an https:// URL.\n");
    curl_easy_cleanup(c);

    /* Bytes that are neither TLS nor HTTP, and a client that says nothing. */
    for (int i = 0; i < 2; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        if (i == 0) {
            assert_int_equal(send(fd, "\x01\x02\x03", 3, 0), 3);
            /* Closed without an answer (reset, as the bytes were left unread). */
            char got;
            ssize_t n = recv(fd, &got, 1, 0);
            assert_true(n == 0 || (n < 0 && errno == ECONNRESET));
        }
        close(fd);
    }
    /* An untrusted certificate is the client's refusal; the listener carries on. */
    c = curl_easy_init();
    snprintf(url, sizeof url, "%s/after", ep);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    assert_int_equal(curl_easy_perform(c), CURLE_PEER_FAILED_VERIFICATION);
    curl_easy_cleanup(c);
    c = curl_easy_init();
    assert_int_equal(request(c, url, f->cert, NULL, &body), 200);
    char expect[160];
    snprintf(expect, sizeof expect, "secure=1 addr=127.0.0.1 host=127.0.0.1:%d GET /after", port);
    assert_string_equal(mc_buf_cstr(&body), expect);
    curl_easy_cleanup(c);
    mc_buf_free(&body);
    emulator_stop(e);
}

static void test_key_of_another_certificate_is_refused_at_start(void **state)
{
    const fixture *f = *state;
    mc_err err;
    emulator *e = start_tls(f, f->other_key, &err);
    assert_null(e);
    char expect[1024];
    snprintf(expect, sizeof expect, "TLS key %s does not belong to certificate %s", f->other_key, f->cert);
    assert_string_equal(err.msg, expect);
    char *missing = mc_asprintf("%s/missing.pem", f->dir);
    e = start_tls(f, missing, &err);
    assert_null(e);
    snprintf(expect, sizeof expect, "cannot read TLS key %s: No such file or directory", missing);
    assert_string_equal(err.msg, expect);
    free(missing);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_https_relay_keeps_host_and_client_address_and_is_secure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_plain_http_and_garbage_are_refused_and_the_listener_lives_on, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_key_of_another_certificate_is_refused_at_start, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
