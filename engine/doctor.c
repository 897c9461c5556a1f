/* doctor: see doctor.h. */
#include "doctor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/http.h"
#include "client/oss_client.h"
#include "client/rest_catalog.h"
#include "strutil.h"
#include "timeutil.h"

#define MAX_SKEW_S (15 * 60) /* what DLF and OSS accept (paimon-rest.md §3.3, oss-api.md §5) */

static void line(mc_buf *out, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(mc_buf *out, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_buf_puts(out, ok ? "[ok]   " : "[FAIL] ");
    mc_buf_vprintf(out, fmt, ap);
    mc_buf_putc(out, '\n');
    va_end(ap);
}

/* An unauthenticated GET: reachability and the server's clock (Date). */
/* doctor.h; `mcdlf why` prints the same fix. */
const char *doctor_policy_for(const char *action)
{
    static const struct {
        const char *service, *read_only, *full;
    } SERVICES[] = {{"dlf:", "AliyunDLFReadOnlyAccess", "AliyunDLFFullAccess"},
                    {"oss:", "AliyunOSSReadOnlyAccess", "AliyunOSSFullAccess"}};
    static const char *const READS[] = {"Get", "List", "Describe", "Query", "BatchGet"};
    for (size_t i = 0; i < sizeof SERVICES / sizeof *SERVICES; i++) {
        if (!mc_str_starts_with(action, SERVICES[i].service))
            continue;
        const char *op = action + strlen(SERVICES[i].service);
        for (size_t k = 0; k < sizeof READS / sizeof *READS; k++)
            if (mc_str_starts_with(op, READS[k]))
                return SERVICES[i].read_only;
        return SERVICES[i].full;
    }
    return NULL;
}

/* Which layer a 403 came from, and its fix (reference/dlf-permissions.md §3):
 * a RAM refusal names the dlf: action (docs/dlf-ram-layer.md), a DLF data
 * refusal the privilege. data_hint: the grant this check needs. */
static void explain_forbidden(mc_buf *out, const mc_err *err, const char *data_hint)
{
    if (err->http_status != 403)
        return;
    const char *action = strstr(err->msg, "Action: dlf:");
    if (action) {
        const char *op = action + strlen("Action: dlf:"), *policy = doctor_policy_for(action + strlen("Action: "));
        mc_buf_printf(out,
                      "         the RAM permission is missing: attach %s (or a policy allowing dlf:%s) to this user in "
                      "the RAM console (mcdlf admin ram attach-policy USER %s)\n",
                      policy, op, policy);
    } else if (data_hint) {
        mc_buf_printf(out, "         the DLF data permission is missing: %s\n", data_hint);
    }
}

static bool probe(mc_buf *out, const char *what, const char *url, const char *ca_file, int *failures)
{
    http_request q = {.method = "GET", .url = url, .timeout_ms = 10000, .ca_file = ca_file};
    http_response r;
    mc_err err;
    if (http_send(&r, &q, &err)) {
        line(out, false, "%s endpoint %s is not reachable: %s", what, url, err.msg);
        (*failures)++;
        return false;
    }
    line(out, true, "%s endpoint %s answers (HTTP %ld)", what, url, r.status);
    const char *date = http_response_header(&r, "date");
    time_t t;
    if (date && mc_time_parse_rfc1123(date, &t) == 0) {
        long long skew = (long long)t - (long long)time(NULL);
        bool ok = skew < MAX_SKEW_S && skew > -MAX_SKEW_S;
        line(out, ok, "clock: %+lld s against the %s server%s", skew, what,
             ok ? "" : " — requests are refused beyond 15 minutes of skew; fix the local clock (NTP)");
        *failures += !ok;
    }
    http_response_clear(&r);
    return true;
}

int doctor_run(const config_profile *p, const char *schema, mc_buf *out)
{
    int failures = 0;
    mc_buf_printf(out, "profile %s (%s), region %s, catalog %s\n", p->name ? p->name : "?", config_kind_name(p->kind),
                  p->region ? p->region : "?", p->catalog ? p->catalog : "(none)");
    if (!p->dlf_endpoint || !p->access_key_id) {
        line(out, false, "the profile has no %s", !p->dlf_endpoint ? "DLF endpoint" : "credentials");
        return 1;
    }
    char *cfg = mc_asprintf("%s/v1/config", p->dlf_endpoint);
    bool reachable = probe(out, "DLF", cfg, p->ca_file, &failures);
    free(cfg);
    if (p->oss_endpoint)
        probe(out, "OSS", p->oss_endpoint, p->ca_file, &failures);
    if (!reachable)
        return failures;

    rest_catalog_config rc = {p->dlf_endpoint, p->catalog, p->region, p->access_key_id, p->access_key_secret,
                              p->security_token, p->ca_file, 1};
    rest_catalog *cat;
    mc_err err;
    if (rest_catalog_open(&cat, &rc, &err)) {
        bool auth = err.http_status == 401;
        line(out, false, "%s: %s", auth ? "credentials refused by DLF (check the AccessKey pair)" : "catalog handshake",
             err.msg);
        explain_forbidden(out, &err, NULL);
        return failures + 1;
    }
    line(out, true, "credentials accepted; catalog %s has prefix %s", p->catalog, rest_catalog_option(cat, "prefix"));
    char **names;
    size_t n;
    if (rest_list_databases(cat, &names, &n, &err)) {
        line(out, false, "listing schemas: %s", err.msg);
        explain_forbidden(out, &err, NULL);
        failures++;
    } else {
        line(out, true, "listing schemas: %zu", n);
        rest_names_free(names, n);
    }
    if (rest_list_tables(cat, schema, &names, &n, &err)) {
        line(out, false, "SHOW TABLES in schema %s: %s", schema, err.msg);
        char *hint = mc_asprintf("grant LIST on database %s to this user in the DLF console (mcdlf admin dlf grant "
                                 "USER LIST on database %s)",
                                 schema, schema);
        explain_forbidden(out, &err, hint);
        free(hint);
        failures++;
    } else {
        line(out, true, "SHOW TABLES in schema %s: %zu tables", schema, n);
        if (n) {
            /* Data access: a table's token and its first schema file through OSS. */
            rest_data_token tok;
            json_t *meta = NULL;
            if (rest_table_token(cat, schema, names[0], &tok, &err)) {
                line(out, false, "data token of %s.%s: %s", schema, names[0], err.msg);
                explain_forbidden(out, &err, NULL);
                failures++;
            } else if (rest_get_table(cat, schema, names[0], &meta, &err)) {
                line(out, false, "table %s.%s: %s", schema, names[0], err.msg);
                rest_data_token_clear(&tok);
                failures++;
            } else {
                const char *path = json_string_value(json_object_get(meta, "path"));
                const char *slash = path && !strncmp(path, "oss://", 6) ? strchr(path + 6, '/') : NULL;
                oss_client_config oc = {.endpoint = p->oss_endpoint ? p->oss_endpoint : tok.endpoint,
                                        .region = p->region,
                                        .access_key_id = tok.access_key_id,
                                        .access_key_secret = tok.access_key_secret,
                                        .security_token = tok.security_token,
                                        .path_style = -1,
                                        .ca_file = p->ca_file};
                oss_client *oss = NULL;
                mc_buf data = MC_BUF_INIT;
                if (!slash) {
                    line(out, false, "table %s.%s has no OSS path", schema, names[0]);
                    failures++;
                } else if (oss_client_new(&oss, &oc, &err) == 0) {
                    char *bucket = mc_strndup(path + 6, (size_t)(slash - path - 6));
                    char *key = mc_asprintf("%s/schema/schema-0", slash + 1);
                    if (oss_client_get(oss, bucket, key, 0, -1, &data, &err)) {
                        line(out, false, "reading oss://%s/%s with the data token: %s", bucket, key, err.msg);
                        failures++;
                    } else {
                        line(out, true, "data token of %s.%s reads its files in OSS", schema, names[0]);
                    }
                    free(bucket);
                    free(key);
                } else {
                    line(out, false, "OSS client: %s", err.msg);
                    failures++;
                }
                oss_client_free(oss);
                mc_buf_free(&data);
                json_decref(meta);
                rest_data_token_clear(&tok);
            }
        }
        rest_names_free(names, n);
    }
    rest_catalog_close(cat);
    mc_buf_printf(out, "%s\n", failures ? "problems found" : "all checks passed");
    return failures;
}
