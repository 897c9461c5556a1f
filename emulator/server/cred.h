/*
 * cred: the emulator's one credential lookup (issue 2: every service
 * authenticates through it). An AccessKey id resolves to its secret and the
 * principal it acts as: the account root (`acs:ram::<uid>:root`), a RAM user
 * (`acs:ram::<uid>:user/<name>`), or STS temporary credentials (id `STS.`...,
 * a security token that must accompany every request, an expiry, and an
 * optional scope limiting what they reach, used for table data tokens).
 * STS credentials of an assumed-role session (`acs:ram::<uid>:role/<role>/<session>`)
 * may carry the session policy given to AssumeRole, which every service
 * intersects with the role's policies (reference/ram-sts.md §2, §4).
 *
 * Tables (module "cred"): accounts, access_keys, sts_credentials.
 * Secrets are stored as given; this is an emulator of the cloud side.
 */
#ifndef MC_EMU_CRED_H
#define MC_EMU_CRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "state/state.h"

typedef struct {
    char id[64];
    char secret[64];
    char account_id[32];
    char principal[512];   /* ARN of the identity */
    bool is_sts;
    bool active;           /* access keys can be disabled */
    int64_t expires_ms;    /* STS only; 0 = never */
    char *token;           /* STS only, owned */
    char *scope;           /* STS only, JSON or NULL = unrestricted; owned */
    char *session_policy;  /* STS only, RAM policy document or NULL; owned */
} emu_cred;

int emu_cred_migrate(emu_state *s, mc_err *err);

/* Returns the account id, creating the account with its owner AccessKey on
 * first call (state is per emulator, one account owner per state dir). */
int emu_account_ensure(emu_state *s, const char *region, char account_id[32], mc_err *err);
/* The owner's (root) AccessKey of the account. */
int emu_account_owner_key(emu_state *s, const char *account_id, emu_cred *out, mc_err *err);

/* The first active long-term AccessKey of principal; MC_ERR_NOT_FOUND when none. */
int emu_cred_principal_key(emu_state *s, const char *account_id, const char *principal, emu_cred *out, mc_err *err);

/* MC_ERR_NOT_FOUND when the id is unknown. */
int emu_cred_lookup(emu_state *s, const char *access_key_id, emu_cred *out, mc_err *err);
void emu_cred_clear(emu_cred *c);

/* A new long-term AccessKey pair for principal. */
int emu_cred_create_key(emu_state *s, const char *account_id, const char *principal, emu_cred *out,
                        mc_err *err);
/* New STS credentials for principal, valid ttl_ms, limited to scope_json (may be NULL). */
int emu_cred_issue_sts(emu_state *s, const char *account_id, const char *principal, int64_t ttl_ms,
                       const char *scope_json, emu_cred *out, mc_err *err);

/* New STS credentials of an assumed-role session: principal is the session
 * ARN, valid ttl_ms, limited by session_policy (a validated RAM policy
 * document, or NULL). */
int emu_cred_issue_session(emu_state *s, const char *account_id, const char *principal, int64_t ttl_ms,
                           const char *session_policy, emu_cred *out, mc_err *err);

/* The root ARN of an account: acs:ram::<uid>:root */
void emu_arn_root(char *out, size_t cap, const char *account_id);

#endif
