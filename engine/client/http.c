/* http: see http.h. */
#include "client/http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crypto.h"
#include "engine.h"
#include "strutil.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_body(char *p, size_t s, size_t n, void *ud)
{
    mc_buf_append(ud, p, s * n);
    return s * n;
}

static size_t on_header(char *p, size_t s, size_t n, void *ud)
{
    http_response *r = ud;
    size_t len = s * n;
    const char *colon = memchr(p, ':', len);
    if (!colon) {
        /* A status line: a new response (redirect or 100-continue) resets headers. */
        if (len > 5 && !strncmp(p, "HTTP/", 5)) {
            for (size_t i = 0; i < r->nheaders; i++) {
                free(r->header_names[i]);
                free(r->header_values[i]);
            }
            r->nheaders = 0;
        }
        return len;
    }
    r->header_names = mc_realloc(r->header_names, (r->nheaders + 1) * sizeof *r->header_names);
    r->header_values = mc_realloc(r->header_values, (r->nheaders + 1) * sizeof *r->header_values);
    r->header_names[r->nheaders] = mc_str_lower(mc_str_trim_dup(p, (size_t)(colon - p)));
    r->header_values[r->nheaders] = mc_str_trim_dup(colon + 1, len - (size_t)(colon - p) - 1);
    r->nheaders++;
    return len;
}

const char *http_response_header(const http_response *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->header_names[i], name))
            return r->header_values[i];
    return NULL;
}

void http_response_clear(http_response *r)
{
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->header_names[i]);
        free(r->header_values[i]);
    }
    free(r->header_names);
    free(r->header_values);
    mc_buf_free(&r->body);
    memset(r, 0, sizeof *r);
}

/* Failures that the same request cannot get past by trying again. */
static bool permanent(CURLcode rc)
{
    return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM ||
           rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT;
}

/* One try. *retry says whether a failure may go away by trying again. */
static int attempt(http_response *out, const http_request *q, bool *retry, mc_err *err)
{
    CURL *c = curl_easy_init();
    if (!c)
        return mc_err_set(err, MC_ERR_NOMEM, "curl_easy_init failed");
    struct curl_slist *hl = NULL;
    bool has_expect = false, has_type = false;
    for (size_t i = 0; i < q->nheaders; i++) {
        char *line = mc_asprintf("%s: %s", q->headers[i].name, q->headers[i].value);
        hl = curl_slist_append(hl, line);
        free(line);
        has_expect |= !strcasecmp(q->headers[i].name, "Expect");
        has_type |= !strcasecmp(q->headers[i].name, "Content-Type");
    }
    if (!has_type)
        hl = curl_slist_append(hl, "Content-Type:"); /* libcurl would add a form type to bodies */
    if (!has_expect)
        hl = curl_slist_append(hl, "Expect:"); /* no 100-continue round trip */
    hl = curl_slist_append(hl, "Accept:");
    /* curl's own wording of a failure: it names the certificate problem
     * ("SSL certificate problem: unable to get local issuer certificate"). */
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_URL, q->url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_USERAGENT, engine_user_agent());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, q->timeout_ms > 0 ? q->timeout_ms : 60000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* object keys may hold "..": send them, never resolve them */
    if (q->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, q->ca_file);
    if (!strcmp(q->method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (q->body || !strcmp(q->method, "PUT") || !strcmp(q->method, "POST")) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body ? q->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
    }
    CURLcode rc = curl_easy_perform(c);
    int ret = 0;
    *retry = rc != CURLE_OK && !permanent(rc);
    if (rc != CURLE_OK)
        ret = mc_err_set(err, MC_ERR_NETWORK, "%s %s: %s", q->method, q->url,
                         *detail ? detail : curl_easy_strerror(rc));
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return ret;
}

int http_send(http_response *out, const http_request *q, mc_err *err)
{
    pthread_once(&curl_once, curl_init);
    memset(out, 0, sizeof *out);
    for (int i = 0;; i++) {
        bool retry;
        int rc = attempt(out, q, &retry, err);
        retry = rc ? retry : out->status >= 500;
        if (!retry || i >= q->max_retries)
            return rc;
        http_response_clear(out);
        /* Jittered exponential backoff: 50 ms * 2^i, +-50 %. */
        uint8_t r;
        mc_random_bytes(&r, 1);
        long ms = (50L << (i < 6 ? i : 6)) * (50 + r % 101) / 100;
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}
