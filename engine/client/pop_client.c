/* pop_client: see pop_client.h. Section numbers refer to reference/ram-sts.md. */
#include "client/pop_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "client/http.h"
#include "crypto.h"
#include "sign_pop.h"
#include "strutil.h"

/* hex SHA-256 of the empty body (§5.2). */
static const char EMPTY_SHA256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* One signed call: method on path with the query string qs (already
 * encoded) and body (NULL: none; else JSON), headers as the Tea SDKs send. */
static int send_signed(const pop_client_config *cfg, const char *version, const char *action, const char *method,
                       const char *path, const char *qs, const char *body, json_t **out, mc_err *err)
{
    *out = NULL;
    const char *host = strstr(cfg->endpoint, "://") ? strstr(cfg->endpoint, "://") + 3 : cfg->endpoint;
    uint8_t raw[16], digest[MC_SHA256_LEN];
    char nonce[33], date[32], body_hash[2 * MC_SHA256_LEN + 1];
    mc_random_bytes(raw, sizeof raw);
    mc_hex_lower(nonce, raw, sizeof raw);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(body_hash, sizeof body_hash, "%s", EMPTY_SHA256);
    if (body) {
        mc_sha256(digest, body, strlen(body));
        mc_hex_lower(body_hash, digest, sizeof digest);
    }
    mc_header h[12] = {{"host", host},
                       {"x-acs-action", action},
                       {"x-acs-version", version},
                       {"x-acs-date", date},
                       {"x-acs-signature-nonce", nonce},
                       {"x-acs-content-sha256", body_hash},
                       {"accept", "application/json"}};
    size_t nh = 7;
    if (body)
        h[nh++] = (mc_header){"content-type", "application/json; charset=utf-8"};
    if (cfg->security_token) {
        h[nh++] = (mc_header){"x-acs-accesskey-id", cfg->access_key_id};
        h[nh++] = (mc_header){"x-acs-security-token", cfg->security_token};
    }
    mc_query q;
    if (mc_query_parse(&q, qs))
        return mc_err_set(err, MC_ERR_INVALID, "the parameters of %s do not form a query string", action);
    sign_pop_request sr = {method, path, &q, h, nh, body_hash};
    mc_buf auth = MC_BUF_INIT;
    sign_pop_v3_authorization(&auth, &sr, NULL, cfg->access_key_id, cfg->access_key_secret);
    h[nh++] = (mc_header){"Authorization", mc_buf_cstr(&auth)};
    char *url = mc_asprintf("%s%s%s%s", cfg->endpoint, path, *qs ? "?" : "", qs);
    http_request req = {.method = method, .url = url, .headers = h, .nheaders = nh, .ca_file = cfg->ca_file};
    if (body) {
        req.body = body;
        req.body_len = strlen(body);
    }
    http_response resp;
    int rc = http_send(&resp, &req, err);
    if (rc == 0) {
        json_t *j = json_loadb(resp.body.data ? resp.body.data : "", resp.body.len, 0, NULL);
        const char *code = json_string_value(json_object_get(j, "Code"));
        const char *msg = json_string_value(json_object_get(j, "Message"));
        if (resp.status == 200 && json_is_object(j)) {
            *out = j;
        } else {
            rc = mc_err_set(err, MC_ERR_REMOTE, "%s: %s", code ? code : "HTTP error",
                            msg ? msg : "the answer carries no message");
            err->http_status = (int)resp.status;
            snprintf(err->remote_code, sizeof err->remote_code, "%s", code ? code : "");
            json_decref(j);
        }
        http_response_clear(&resp);
    }
    free(url);
    mc_buf_free(&auth);
    mc_query_free(&q);
    return rc;
}

static void encode_params(mc_buf *qs, const char *const *params)
{
    for (size_t i = 0; params && params[i] && params[i + 1]; i += 2) {
        if (i)
            mc_buf_putc(qs, '&');
        mc_url_encode(qs, params[i], strlen(params[i]), false);
        mc_buf_putc(qs, '=');
        mc_url_encode(qs, params[i + 1], strlen(params[i + 1]), false);
    }
}

int pop_client_call(const pop_client_config *cfg, const char *version, const char *action,
                    const char *const *params, json_t **out, mc_err *err)
{
    mc_buf qs = MC_BUF_INIT;
    encode_params(&qs, params);
    int rc = send_signed(cfg, version, action, "POST", "/", mc_buf_cstr(&qs), NULL, out, err);
    mc_buf_free(&qs);
    return rc;
}

int pop_client_roa(const pop_client_config *cfg, const char *version, const char *action, const char *method,
                   const char *path, const char *const *query, const json_t *body, json_t **out, mc_err *err)
{
    mc_buf qs = MC_BUF_INIT;
    encode_params(&qs, query);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    int rc = send_signed(cfg, version, action, method, path, mc_buf_cstr(&qs), text, out, err);
    free(text);
    mc_buf_free(&qs);
    return rc;
}
