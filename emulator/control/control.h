/*
 * control: the MaxCompute control plane of the emulator
 * (reference/maxcompute-control.md §1-3): DLF service state per account and
 * region (cloud-resource access authorised, DLF activated), external data
 * sources of type Paimon_DLF, and external projects bound to a data source
 * and a DLF catalog.
 *
 * Operations take the caller's principal ARN and an authorisation callback
 * (the RAM layer decides control-plane actions: AliyunMaxComputeFullAccess
 * for data sources and projects, plus List on the DLF catalog for projects,
 * §3); facts owned by other modules (does the service-linked role exist, is
 * there such a catalog and in which region) come through callbacks too, so
 * this module owns only its own tables (module "control"): dlf_service,
 * data_sources, projects.
 *
 * Refusals by the RAM layer carry the console text the seed shows:
 * "You are not authorized to perform this action".
 */
#ifndef MC_CONTROL_H
#define MC_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "state/state.h"

#define CONTROL_SLR_NAME "AliyunServiceRoleForMaxComputeLakehouse"
#define CONTROL_NOT_AUTHORIZED "You are not authorized to perform this action"

typedef struct {
    void *ctx;
    /* 0 = allowed; -1 = refused or failed (err says which). action is the
     * RAM action (odps:CreateProject, dlf:ListCatalogs ...), resource an ARN. */
    int (*authorize)(void *ctx, const char *principal, const char *action, const char *resource, mc_err *err);
    bool (*role_exists)(void *ctx, const char *account_id, const char *role_name);
    /* 0 and *region filled when the catalog exists, MC_ERR_NOT_FOUND otherwise. */
    int (*catalog_region)(void *ctx, const char *catalog, char *region, size_t cap, mc_err *err);
} control_env;

typedef struct {
    char name[129];
    char type[32];          /* "Paimon_DLF" */
    char region[64];
    char endpoint[128];     /* auto-generated per region */
    char description[512];
    char owner[256];
    int64_t created_ms;
} control_data_source;

typedef struct {
    char name[29];
    char data_source[129];
    char catalog[256];
    char region[64];
    char billing[32];       /* payasyougo | subscription */
    char quota[128];
    char owner[256];
    char account_id[32];
    int64_t created_ms;
} control_project;

int control_migrate(emu_state *s, mc_err *err);

/* Name rules (§2, §3). Return 0 or -1 with MC_ERR_INVALID and the rule in words. */
int control_validate_data_source_name(const char *name, mc_err *err);
int control_validate_project_name(const char *name, mc_err *err);
/* "cn-hangzhou-intranet.dlf.aliyuncs.com" for cn-hangzhou (§2). */
void control_dlf_endpoint(char *out, size_t cap, const char *region);

/* DLF console steps (§1 step 2). */
int control_dlf_authorize(emu_state *s, const control_env *env, const char *account_id, const char *region,
                          const char *principal, mc_err *err);
int control_dlf_activate(emu_state *s, const control_env *env, const char *account_id, const char *region,
                         const char *principal, mc_err *err);
int control_dlf_status(emu_state *s, const char *account_id, const char *region, bool *authorized, bool *activated,
                       mc_err *err);

int control_data_source_create(emu_state *s, const control_env *env, const char *account_id,
                               const char *principal, const control_data_source *ds, control_data_source *out,
                               mc_err *err);
int control_data_source_get(emu_state *s, const char *account_id, const char *name, control_data_source *out,
                            mc_err *err);

int control_project_create(emu_state *s, const control_env *env, const char *account_id, const char *principal,
                           const control_project *p, control_project *out, mc_err *err);
int control_project_get(emu_state *s, const char *name, control_project *out, mc_err *err);
/* The account's projects by name (caller frees *out). */
int control_project_list(emu_state *s, const char *account_id, control_project **out, size_t *n, mc_err *err);

#endif
