/*
 * config: profiles that say where the engine's services are and who it is.
 *
 * One INI file (~/.mcdlf/config, or --config FILE) with sections
 * `[profile NAME]` (or just `[NAME]`); kinds:
 *   embedded  the emulator runs in-process on state_dir (the default profile)
 *   url       a running `mcdlf serve`: endpoints_file (its endpoints.json) or explicit URLs
 *   live      real endpoints (e.g. dlf_endpoint = https://cn-hangzhou-intranet.dlf.aliyuncs.com)
 * Credentials come from the profile or the conventional environment variables
 * ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN; they are
 * never printed (config_profile_describe masks them). Nothing here knows
 * whether an endpoint is the emulator: the engine treats every profile alike.
 */
#ifndef MC_ENGINE_CONFIG_H
#define MC_ENGINE_CONFIG_H

#include "buf.h"
#include "mc_err.h"

typedef enum { CONFIG_EMBEDDED, CONFIG_URL, CONFIG_LIVE } config_kind;

typedef struct {
    char *name;
    config_kind kind;
    char *state_dir;          /* embedded */
    char *endpoints_file;     /* url */
    char *oss_endpoint;
    char *dlf_endpoint;
    char *ram_endpoint;
    char *mc_endpoint;
    char *region;
    char *catalog;            /* DLF catalog = Paimon warehouse */
    char *project;            /* MaxCompute project */
    char *access_key_id;
    char *access_key_secret;
    char *security_token;
    char *ca_file;            /* PEM CA bundle for HTTPS endpoints (default: the system's) */
} config_profile;

/* Loads profile `name` (NULL = "embedded" unless the file names a default)
 * from `path` (NULL = ~/.mcdlf/config; a missing default file is fine, a
 * missing explicit one is an error), then applies environment variables.
 * state_dir defaults to $MCDLF_HOME or ./.mcdlf. */
int config_profile_load(config_profile **out, const char *path, const char *name, mc_err *err);
void config_profile_free(config_profile *p);
/* A `url` profile's endpoints.json (what `mcdlf serve` writes): endpoints,
 * region, catalog and the key pair fill whatever the profile and the
 * environment left unset. A no-op for other kinds. */
int config_profile_resolve(config_profile *p, mc_err *err);
/* Human-readable, secrets masked (`mcdlf config show`). */
void config_profile_describe(mc_buf *out, const config_profile *p);
const char *config_kind_name(config_kind k);

#endif
