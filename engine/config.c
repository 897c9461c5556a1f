/* config: see config.h. */
#include "config.h"

#include <jansson.h>

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "strutil.h"

const char *config_kind_name(config_kind k)
{
    switch (k) {
    case CONFIG_EMBEDDED: return "embedded";
    case CONFIG_URL: return "url";
    case CONFIG_LIVE: return "live";
    }
    return "?";
}

void config_profile_free(config_profile *p)
{
    if (!p)
        return;
    char **fields[] = {&p->name, &p->state_dir, &p->endpoints_file, &p->oss_endpoint, &p->dlf_endpoint,
                       &p->ram_endpoint, &p->mc_endpoint, &p->region, &p->catalog, &p->project,
                       &p->access_key_id, &p->access_key_secret, &p->security_token, &p->ca_file};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        free(*fields[i]);
    free(p);
}

static void set(char **field, const char *v)
{
    free(*field);
    *field = v ? mc_strdup(v) : NULL;
}

static char **field_for(config_profile *p, const char *key)
{
    static const struct { const char *key; size_t off; } map[] = {
        {"state_dir", offsetof(config_profile, state_dir)},
        {"endpoints_file", offsetof(config_profile, endpoints_file)},
        {"oss_endpoint", offsetof(config_profile, oss_endpoint)},
        {"dlf_endpoint", offsetof(config_profile, dlf_endpoint)},
        {"ram_endpoint", offsetof(config_profile, ram_endpoint)},
        {"mc_endpoint", offsetof(config_profile, mc_endpoint)},
        {"region", offsetof(config_profile, region)},
        {"catalog", offsetof(config_profile, catalog)},
        {"project", offsetof(config_profile, project)},
        {"ca_file", offsetof(config_profile, ca_file)},
        {"access_key_id", offsetof(config_profile, access_key_id)},
        {"access_key_secret", offsetof(config_profile, access_key_secret)},
        {"security_token", offsetof(config_profile, security_token)},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i].key, key))
            return (char **)((char *)p + map[i].off);
    return NULL;
}

static int parse_kind(const char *v, config_kind *out)
{
    if (!strcmp(v, "embedded")) *out = CONFIG_EMBEDDED;
    else if (!strcmp(v, "url")) *out = CONFIG_URL;
    else if (!strcmp(v, "live")) *out = CONFIG_LIVE;
    else return -1;
    return 0;
}

/* Applies the INI text's section for `name` to p. Returns 1 if the section
 * was found, 0 if not, -1 on a syntax error. */
static int apply_ini(config_profile *p, const char *text, const char *file, const char *name, mc_err *err)
{
    int found = 0, in_section = 0, lineno = 0;
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        lineno++;
        char *l = mc_str_trim_dup(line, len);
        line += len + (nl ? 1 : 0);
        if (!*l || *l == '#' || *l == ';') {
            free(l);
            continue;
        }
        if (*l == '[') {
            char *end = strchr(l, ']');
            if (!end || end[1]) {
                free(l);
                return mc_err_set(err, MC_ERR_INVALID, "%s:%d: malformed section header", file, lineno);
            }
            *end = '\0';
            char *sec = mc_str_trim_dup(l + 1, strlen(l + 1));
            const char *sname = mc_str_starts_with(sec, "profile ") ? sec + 8 : sec;
            while (*sname == ' ')
                sname++;
            in_section = !strcmp(sname, name);
            found |= in_section;
            free(sec);
            free(l);
            continue;
        }
        char *eq = strchr(l, '=');
        if (!eq) {
            free(l);
            return mc_err_set(err, MC_ERR_INVALID, "%s:%d: expected key = value", file, lineno);
        }
        if (in_section) {
            char *key = mc_str_trim_dup(l, (size_t)(eq - l));
            char *val = mc_str_trim_dup(eq + 1, strlen(eq + 1));
            int rc = 0;
            if (!strcmp(key, "kind") || !strcmp(key, "type")) {
                if (parse_kind(val, &p->kind))
                    rc = mc_err_set(err, MC_ERR_INVALID, "%s:%d: kind must be embedded, url or live", file, lineno);
            } else {
                char **f = field_for(p, key);
                if (f)
                    set(f, val);
                else
                    rc = mc_err_set(err, MC_ERR_INVALID, "%s:%d: unknown setting '%s'", file, lineno, key);
            }
            free(key);
            free(val);
            if (rc) {
                free(l);
                return -1;
            }
        }
        free(l);
    }
    return found;
}

int config_profile_resolve(config_profile *p, mc_err *err)
{
    if (p->kind != CONFIG_URL || !p->endpoints_file)
        return 0;
    json_error_t je;
    json_t *j = json_load_file(p->endpoints_file, 0, &je);
    if (!j && je.line <= 0) /* not read at all: the text says why */
        return mc_err_set(err, MC_ERR_INVALID, "%s", je.text);
    if (!j)
        return mc_err_set(err, MC_ERR_INVALID, "%s: %s (line %d)", p->endpoints_file, je.text, je.line);
    const json_t *ep = json_object_get(j, "endpoints");
    struct {
        char **field;
        const char *value;
    } fill[] = {
        {&p->oss_endpoint, json_string_value(json_object_get(ep, "oss"))},
        {&p->dlf_endpoint, json_string_value(json_object_get(ep, "dlf"))},
        {&p->ram_endpoint, json_string_value(json_object_get(ep, "ram"))},
        {&p->mc_endpoint, json_string_value(json_object_get(ep, "mc"))},
        {&p->region, json_string_value(json_object_get(j, "region"))},
        {&p->catalog, json_string_value(json_object_get(j, "catalog"))},
    };
    for (size_t i = 0; i < sizeof fill / sizeof *fill; i++)
        if (!*fill[i].field && fill[i].value)
            set(fill[i].field, fill[i].value);
    const char *ak = json_string_value(json_object_get(j, "access_key_id"));
    const char *sk = json_string_value(json_object_get(j, "access_key_secret"));
    if (!p->access_key_id && ak && sk) {
        set(&p->access_key_id, ak);
        set(&p->access_key_secret, sk);
    }
    json_decref(j);
    return 0;
}

int config_profile_load(config_profile **out, const char *path, const char *name, mc_err *err)
{
    *out = NULL;
    config_profile *p = mc_calloc(1, sizeof *p);
    p->kind = CONFIG_EMBEDDED;
    p->name = mc_strdup(name ? name : "embedded");
    if (!name || !strcmp(name, "embedded"))
        p->kind = CONFIG_EMBEDDED;
    char *default_path = NULL;
    if (!path) {
        const char *home = getenv("HOME");
        if (home)
            default_path = mc_asprintf("%s/.mcdlf/config", home);
    }
    const char *file = path ? path : default_path;
    mc_buf text = MC_BUF_INIT;
    int rc = 0;
    if (file && (path || mc_path_exists(file))) {
        if (mc_file_read_all(&text, file, err)) {
            rc = -1;
        } else {
            int found = apply_ini(p, mc_buf_cstr(&text), file, p->name, err);
            if (found < 0)
                rc = -1;
            else if (!found && name && strcmp(name, "embedded") != 0)
                rc = mc_err_set(err, MC_ERR_NOT_FOUND, "profile '%s' is not defined in %s", name, file);
        }
    } else if (name && strcmp(name, "embedded") != 0) {
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "profile '%s' is not defined (no config file)", name);
    }
    mc_buf_free(&text);
    free(default_path);
    if (rc) {
        config_profile_free(p);
        return -1;
    }
    /* Environment variables: the conventional Alibaba Cloud names. */
    const char *env_ak = getenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
    const char *env_sk = getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    const char *env_tok = getenv("ALIBABA_CLOUD_SECURITY_TOKEN");
    const char *env_region = getenv("ALIBABA_CLOUD_REGION_ID");
    if (env_ak && *env_ak) set(&p->access_key_id, env_ak);
    if (env_sk && *env_sk) set(&p->access_key_secret, env_sk);
    if (env_tok && *env_tok) set(&p->security_token, env_tok);
    if (env_region && *env_region && !p->region) set(&p->region, env_region);
    if (!p->region)
        set(&p->region, "cn-hangzhou");
    if (p->kind == CONFIG_EMBEDDED && !p->state_dir) {
        const char *home = getenv("MCDLF_HOME");
        set(&p->state_dir, home && *home ? home : ".mcdlf");
    }
    *out = p;
    return 0;
}

static void show(mc_buf *out, const char *key, const char *v)
{
    if (v)
        mc_buf_printf(out, "%-18s %s\n", key, v);
}

void config_profile_describe(mc_buf *out, const config_profile *p)
{
    show(out, "profile", p->name);
    show(out, "kind", config_kind_name(p->kind));
    show(out, "state_dir", p->state_dir);
    show(out, "endpoints_file", p->endpoints_file);
    show(out, "oss_endpoint", p->oss_endpoint);
    show(out, "dlf_endpoint", p->dlf_endpoint);
    show(out, "ram_endpoint", p->ram_endpoint);
    show(out, "mc_endpoint", p->mc_endpoint);
    show(out, "region", p->region);
    show(out, "catalog", p->catalog);
    show(out, "project", p->project);
    show(out, "ca_file", p->ca_file);
    if (p->access_key_id) {
        /* Masked like the console does: first 4 and last 4 characters. */
        size_t n = strlen(p->access_key_id);
        if (n > 8)
            mc_buf_printf(out, "%-18s %.4s****%s\n", "access_key_id", p->access_key_id, p->access_key_id + n - 4);
        else
            mc_buf_printf(out, "%-18s ****\n", "access_key_id");
    }
    if (p->access_key_secret)
        mc_buf_printf(out, "%-18s ****\n", "access_key_secret");
    if (p->security_token)
        mc_buf_printf(out, "%-18s ****\n", "security_token");
}
