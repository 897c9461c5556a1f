/*
 * emulator: the cloud side of mcdlf, started in-process or by `mcdlf serve`.
 *
 * emulator_start opens (or creates) a state directory, provisions the account
 * on first start, and starts one HTTP listener per service on loopback, as the
 * real services have their own endpoints. Everything a client needs to talk to
 * it is readable from the handle. emulator_stop closes the listeners (waiting
 * for in-flight requests) and the state store. This is the emulator's only
 * public header: the engine never includes it (DESIGN.md, one-way rule); the
 * cli and tests do.
 */
#ifndef MC_EMULATOR_H
#define MC_EMULATOR_H

#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"

typedef struct emulator emulator;

typedef struct emulator_options_s {
    const char *host;        /* listen address; default "127.0.0.1" */
    int oss_port;            /* 0 = ephemeral (default) */
    int dlf_port;
    int ram_port;
    int mc_port;
    const char *region;      /* default "cn-hangzhou" */
    int num_threads;         /* worker threads per service; default 8 */
    size_t max_body_bytes;   /* largest request body accepted; default 1 GiB */
    /* PEM certificate chain and key: when both are set every service listens
     * for HTTPS instead of HTTP (its endpoint reads https://...). */
    const char *tls_cert;
    const char *tls_key;
} emulator_options;

/* Fills opts with the defaults. */
void emulator_options_init(emulator_options *opts);

int emulator_start(emulator **out, const char *state_dir, const emulator_options *opts, mc_err *err);
/* Stops every listener, then closes state. NULL is a no-op. */
void emulator_stop(emulator *e);

/* "http://127.0.0.1:PORT" (https with TLS options) of a service ("oss", "dlf", ...), or NULL if the
 * emulator does not run it. Valid until emulator_stop. */
const char *emulator_endpoint(const emulator *e, const char *service);
const char *emulator_region(const emulator *e);
const char *emulator_state_dir(const emulator *e);
/* The account owner's identity and AccessKey pair (created at first start). */
const char *emulator_account_id(const emulator *e);
const char *emulator_owner_key_id(const emulator *e);
const char *emulator_owner_key_secret(const emulator *e);

/* The DLF catalog provisioned on a fresh state ("catalog" in endpoints.json),
 * or NULL when the emulator runs no catalog. */
const char *emulator_catalog(const emulator *e);

/* STS temporary credentials for the account owner, valid ttl_ms (negative:
 * already expired), limited to scope_json ({"bucket","prefix","write"}) or
 * unrestricted when NULL. The caller frees token. */
typedef struct {
    char id[64];
    char secret[64];
    char *token;
} emulator_sts;
int emulator_issue_owner_sts(emulator *e, int64_t ttl_ms, const char *scope_json, emulator_sts *out, mc_err *err);

/* Account-owner administration of a running emulator: what `mcdlf admin`
 * does on the embedded profile. (RAM and DLF permission APIs for remote
 * clients come with the permissions issue.) */
typedef struct {
    char id[64];
    char secret[64];
    char arn[192];
} emulator_key;
/* The AccessKey of RAM user `user` (acs:ram::<uid>:user/<user>); with create,
 * the user and a key are made when missing, else MC_ERR_NOT_FOUND. */
int emulator_ram_user_key(emulator *e, const char *user, int create, emulator_key *out, mc_err *err);
/* Grants (or revokes) a DLF data privilege ("LIST", "SELECT", "ALL", ...) to
 * `user` on a catalog (database and table NULL), a database (table NULL) or
 * a table. `user` (here and below) is a RAM user name, role/<RAM role> or
 * role:<DLF role>. */
int emulator_dlf_grant(emulator *e, const char *user, const char *privilege, const char *catalog,
                       const char *database, const char *table, int revoke, mc_err *err);
/* *held: whether exactly that grant exists (what emulator_dlf_grant with the
 * same arguments would add); inherited and implied privileges do not count. */
int emulator_dlf_grant_held(emulator *e, const char *user, const char *privilege, const char *catalog,
                            const char *database, const char *table, int *held, mc_err *err);
/* "principal PRIVILEGE on TYPE name" lines; user NULL: every grant. */
int emulator_dlf_grants(emulator *e, const char *user, char **text, mc_err *err);
/* Whether name is a DLF permission template ("Data Reader", "Data Editor"). */
int emulator_dlf_is_template(const char *name);
/* Grants (or revokes) the privileges of a permission template; *text lists
 * them, "granted|revoked PRIVILEGE on TYPE name" (caller frees). */
int emulator_dlf_grant_template(emulator *e, const char *user, const char *tmpl, const char *catalog,
                                const char *database, const char *table, int revoke, char **text, mc_err *err);
/* DLF roles: verb create-role|drop-role ROLE, add-role-member|remove-role-member
 * ROLE `user`, list-roles. *text: "OK" or the role list (caller frees). */
int emulator_dlf_role(emulator *e, const char *verb, const char *role, const char *user, char **text, mc_err *err);

/* A console action (RAM, DLF and MaxCompute consoles of the seed's steps
 * 1-3) as the account owner or, with as_user, as that RAM user; the RAM
 * layer decides control-plane actions. argv e.g. {"mc", "create-project",
 * "p1", "--data-source", "ds", "--catalog", "c"}. *output: what the console
 * shows on success (caller frees). */
int emulator_console(emulator *e, const char *as_user, int argc, char **argv, char **output, mc_err *err);

/* Authorisation decisions taken while tracing (`mcdlf why`), in order. */
typedef struct {
    char layer[8];        /* "DLF" or "RAM" */
    char principal[192];
    char action[64];      /* LIST, SELECT, odps:CreateProject ... */
    char resource[320];
    int allowed;
    char reason[1024];    /* what allowed it, or what is missing and the fix */
} emulator_decision;
/* The DLF data-permission rules the emulator applies, one per line. */
const char *emulator_dlf_rules(void);
/* on: clear the trace and start recording; off: stop. */
void emulator_trace(emulator *e, int on);
/* A copy of the trace (caller frees *out); returns the count. */
size_t emulator_trace_get(emulator *e, emulator_decision **out);

/* Writes endpoints.json (mode 0600, atomically): the interface other tools
 * read; keys are stable (issue 2): region, account_id, access_key_id,
 * access_key_secret, endpoints{service: url}, plus whatever services add. */
int emulator_write_endpoints_json(const emulator *e, const char *path, mc_err *err);

#endif
