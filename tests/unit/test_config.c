/* Unit tests for profile loading: INI sections, kinds, environment credentials, masking. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fsutil.h"

static char *write_config(const char *dir, const char *text)
{
    char *path = mc_path_join(dir, "config");
    mc_err err;
    assert_int_equal(mc_file_write_atomic(path, text, strlen(text), 0600, &err), 0);
    return path;
}

static void test_url_profile_from_ini_with_env_credentials(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("config");
    char *path = write_config(dir, "# comment\n[profile dev]\nkind = url\nendpoints_file = /x/endpoints.json\n"
                                   "catalog = c1\n\n[live]\nkind=live\n");
    setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIabcdefghijkl1234", 1);
    setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "topsecret", 1);
    config_profile *p = NULL;
    mc_err err;
    assert_int_equal(config_profile_load(&p, path, "dev", &err), 0);
    assert_int_equal(p->kind, CONFIG_URL);
    assert_string_equal(p->endpoints_file, "/x/endpoints.json");
    assert_string_equal(p->catalog, "c1");
    assert_string_equal(p->region, "cn-hangzhou");
    assert_string_equal(p->access_key_id, "LTAIabcdefghijkl1234");
    mc_buf b = MC_BUF_INIT;
    config_profile_describe(&b, p);
    assert_non_null(strstr(b.data, "access_key_id      LTAI****1234\n"));
    assert_non_null(strstr(b.data, "access_key_secret  ****\n"));
    assert_null(strstr(b.data, "topsecret"));
    mc_buf_free(&b);
    config_profile_free(p);
    unsetenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
    unsetenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    free(path);
    tu_rmdir(dir);
}

static void test_url_profile_resolves_endpoints_json(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("config");
    char *ep = write_config(dir, "{\"region\": \"cn-beijing\", \"account_id\": \"1\", \"access_key_id\": \"AK\","
                                 " \"access_key_secret\": \"SK\", \"endpoints\": {\"oss\": \"http://127.0.0.1:1\","
                                 " \"dlf\": \"http://127.0.0.1:2\"}, \"catalog\": \"cat\"}");
    char *ini = mc_asprintf("[profile s]\nkind = url\nendpoints_file = %s\n", ep);
    char *dir2 = tu_tmpdir("config2");
    char *path = write_config(dir2, ini);
    unsetenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
    unsetenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    config_profile *p = NULL;
    mc_err err;
    assert_int_equal(config_profile_load(&p, path, "s", &err), 0);
    assert_int_equal(config_profile_resolve(p, &err), 0);
    assert_string_equal(p->oss_endpoint, "http://127.0.0.1:1");
    assert_string_equal(p->dlf_endpoint, "http://127.0.0.1:2");
    assert_string_equal(p->catalog, "cat");
    assert_string_equal(p->access_key_id, "AK");
    assert_string_equal(p->access_key_secret, "SK");
    config_profile_free(p);
    /* A missing endpoints file is an error naming it. */
    char *bad = write_config(dir2, "[profile s]\nkind = url\nendpoints_file = /nonexistent/endpoints.json\n");
    assert_int_equal(config_profile_load(&p, bad, "s", &err), 0);
    assert_int_equal(config_profile_resolve(p, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/endpoints.json"));
    config_profile_free(p);
    free(ini);
    free(ep);
    free(path);
    free(bad);
    tu_rmdir(dir);
    tu_rmdir(dir2);
}

static void test_unknown_profile_and_bad_lines_are_errors(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("config");
    char *path = write_config(dir, "[a]\nkind = cloud\n");
    config_profile *p = NULL;
    mc_err err;
    assert_int_equal(config_profile_load(&p, path, "a", &err), -1);
    assert_non_null(strstr(err.msg, ":2: kind must be embedded, url or live"));
    assert_int_equal(config_profile_load(&p, path, "nope", &err), -1);
    assert_non_null(strstr(err.msg, "profile 'nope' is not defined"));
    free(path);
    path = write_config(dir, "[a]\njust words\n");
    assert_int_equal(config_profile_load(&p, path, "a", &err), -1);
    assert_non_null(strstr(err.msg, ":2: expected key = value"));
    free(path);
    tu_rmdir(dir);
}

static void test_embedded_default_uses_mcdlf_home(void **state)
{
    (void)state;
    setenv("MCDLF_HOME", "/tmp/somewhere", 1);
    setenv("HOME", "/nonexistent-home", 1);
    config_profile *p = NULL;
    mc_err err;
    assert_int_equal(config_profile_load(&p, NULL, NULL, &err), 0);
    assert_int_equal(p->kind, CONFIG_EMBEDDED);
    assert_string_equal(p->state_dir, "/tmp/somewhere");
    config_profile_free(p);
    unsetenv("MCDLF_HOME");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_profile_from_ini_with_env_credentials),
        cmocka_unit_test(test_url_profile_resolves_endpoints_json),
        cmocka_unit_test(test_unknown_profile_and_bad_lines_are_errors),
        cmocka_unit_test(test_embedded_default_uses_mcdlf_home),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
