/*
 * Integration tests of the emulator's server mechanism with a small echo
 * service: ephemeral ports, request ids on every response, bounded bodies,
 * raw (still encoded) paths, endpoints.json, account persistence.
 */
#include "testutil.h"

#include <curl/curl.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#include "emulator.h"
#include "fsutil.h"
#include "server/service.h"
#include "strutil.h"

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

/* GET echoes "METHOD raw-path ?query"; PUT echoes the body length; /silent sends nothing. */
static void echo_handle(void *ctx, emu_request *r)
{
    (void)ctx;
    if (!strcmp(emu_req_raw_path(r), "/silent"))
        return;
    if (!strcmp(emu_req_method(r), "PUT")) {
        mc_buf body = MC_BUF_INIT;
        mc_err err;
        if (emu_req_body(r, &body, &err)) {
            echo_error(ctx, r, 413, "EntityTooLarge", err.msg);
        } else {
            char out[64];
            int n = snprintf(out, sizeof out, "%zu", body.len);
            emu_resp_send(r, 200, "text/plain", out, (size_t)n);
        }
        mc_buf_free(&body);
        return;
    }
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s %s ?%s", emu_req_method(r), emu_req_raw_path(r), emu_req_query(r));
    emu_resp_header(r, "X-Echo", "1");
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
    long status;
    mc_buf body;
    mc_buf headers;
} response;

static size_t collect(char *p, size_t s, size_t n, void *ud)
{
    mc_buf_append(ud, p, s * n);
    return s * n;
}

static void http(response *out, const char *method, const char *url, const char *body, size_t n)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out->headers);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)n);
    }
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_cleanup(c);
}

static void response_free(response *r)
{
    mc_buf_free(&r->body);
    mc_buf_free(&r->headers);
}

static emulator *start(const char *dir, size_t max_body)
{
    emulator_options o;
    emulator_options_init(&o);
    if (max_body)
        o.max_body_bytes = max_body;
    emulator *e = NULL;
    mc_err err;
    mc_err_clear(&err);
    if (emulator_start_services(&e, dir, &o, echo_services, &err))
        fail_msg("emulator_start: %s", err.msg);
    return e;
}

static void test_ephemeral_port_serves_with_request_id_and_raw_path(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("server");
    emulator *e = start(dir, 0);
    const char *ep = emulator_endpoint(e, "oss");
    assert_non_null(ep);
    assert_true(mc_str_starts_with(ep, "http://127.0.0.1:"));
    assert_null(emulator_endpoint(e, "dlf"));
    char *url = mc_asprintf("%s/b/dir/a%%20b%%2Bc.txt?uploads=&prefix=x%%2F", ep);
    response r;
    http(&r, "GET", url, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "GET /b/dir/a%20b%2Bc.txt ?uploads=&prefix=x%2F");
    const char *rid = strcasestr(r.headers.data, "x-oss-request-id: ");
    assert_non_null(rid);
    assert_int_equal(strspn(rid + 18, "0123456789ABCDEF"), 24);
    assert_non_null(strcasestr(r.headers.data, "X-Echo: 1"));
    response_free(&r);
    free(url);
    emulator_stop(e);
    tu_rmdir(dir);
}

static void test_body_over_limit_is_refused_and_silent_handler_gets_500(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("server");
    emulator *e = start(dir, 1000);
    char *url = mc_asprintf("%s/b/k", emulator_endpoint(e, "oss"));
    char big[2000];
    memset(big, 'x', sizeof big);
    response r;
    http(&r, "PUT", url, big, 999);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "999");
    response_free(&r);
    http(&r, "PUT", url, big, sizeof big);
    assert_int_equal(r.status, 413);
    assert_true(mc_str_starts_with(r.body.data, "EntityTooLarge:"));
    response_free(&r);
    free(url);
    url = mc_asprintf("%s/silent", emulator_endpoint(e, "oss"));
    http(&r, "GET", url, NULL, 0);
    assert_int_equal(r.status, 500);
    assert_string_equal(r.body.data, "InternalError:The service did not produce a response.");
    response_free(&r);
    free(url);
    emulator_stop(e);
    tu_rmdir(dir);
}

static void test_endpoints_json_is_private_and_account_survives_restart(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("server");
    emulator *e = start(dir, 0);
    char account[32], key[64];
    snprintf(account, sizeof account, "%s", emulator_account_id(e));
    snprintf(key, sizeof key, "%s", emulator_owner_key_id(e));
    assert_int_equal(strlen(account), 16);
    assert_true(mc_str_starts_with(key, "LTAI"));
    char *path = mc_path_join(dir, "endpoints.json");
    mc_err err;
    assert_int_equal(emulator_write_endpoints_json(e, path, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "region")), "cn-hangzhou");
    assert_string_equal(json_string_value(json_object_get(j, "account_id")), account);
    assert_string_equal(json_string_value(json_object_get(j, "access_key_id")), key);
    assert_string_equal(json_string_value(json_object_get(j, "access_key_secret")), emulator_owner_key_secret(e));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "endpoints"), "oss")),
                        emulator_endpoint(e, "oss"));
    json_decref(j);
    emulator_stop(e);
    e = start(dir, 0);
    assert_string_equal(emulator_account_id(e), account);
    assert_string_equal(emulator_owner_key_id(e), key);
    emulator_stop(e);
    free(path);
    tu_rmdir(dir);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ephemeral_port_serves_with_request_id_and_raw_path),
        cmocka_unit_test(test_body_over_limit_is_refused_and_silent_handler_gets_500),
        cmocka_unit_test(test_endpoints_json_is_private_and_account_survives_restart),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
