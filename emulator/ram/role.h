/*
 * ram/role: RAM roles of an account — ordinary roles made by CreateRole with
 * their trust policy (AssumeRolePolicyDocument) and service-linked roles made
 * by ResourceManager CreateServiceLinkedRole, whose trust policy names the
 * service (reference/ram-sts.md §1, §3, §6; CreateRole limits from
 * https://www.alibabacloud.com/help/en/resource-management/api-createrole).
 *
 * Table ram_roles (module "ram_roles"). Invariants between calls:
 *   - role names are unique per account ignoring case and looked up ignoring
 *     case (§1); the ARN keeps the name as created: acs:ram::<uid>:role/<Name>;
 *   - every stored trust policy passed ram_trust_validate; a service-linked
 *     role's trust policy is derived from its service name;
 *   - a role with attached policies is not deleted (DeleteConflict.Role.Policy).
 *
 * Errors carry RAM's code in err->remote_code and the HTTP status in
 * err->http_status, as ram/policy does.
 */
#ifndef MC_RAM_ROLE_H
#define MC_RAM_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mc_err.h"
#include "state/state.h"

/* The service-linked role of MaxCompute Lakehouse and its service name.
 * The role name is documented (maxcompute-control.md §1 step 3); the service
 * name follows the documented MaxCompute pattern (identity.odps.aliyuncs.com
 * for AliyunServiceRoleForMaxComputeIdentityMgmt,
 * https://www.alibabacloud.com/help/en/maxcompute/security-and-compliance/maxcompute-service-association-role);
 * the Lakehouse one itself was not found (ram-sts.md §7). */
#define RAM_SLR_LAKEHOUSE_SERVICE "lakehouse.odps.aliyuncs.com"
#define RAM_SLR_LAKEHOUSE_ROLE "AliyunServiceRoleForMaxComputeLakehouse"

#define RAM_ROLE_SESSION_DEFAULT_S 3600
#define RAM_ROLE_SESSION_MAX_S 43200

typedef struct {
    char name[65];
    char role_id[24];
    char arn[160];
    char description[1025];
    char service[128];     /* "" unless service-linked */
    char *trust_policy;    /* owned */
    int64_t max_session_s;
    int64_t created_ms;
    int64_t updated_ms;
} ram_role;

int ram_role_migrate(emu_state *s, mc_err *err);
void ram_role_clear(ram_role *r);

/* CreateRole: name 1-64 of letters, digits, '.', '-'; description <= 1024;
 * max_session_s 3600-43200 (0 = 3600); the trust policy must validate.
 * "EntityAlreadyExists.Role" (409) when the account has the name in any case. */
int ram_role_create(emu_state *s, const char *account_id, const char *name, const char *trust_policy,
                    const char *description, int64_t max_session_s, ram_role *out, mc_err *err);
/* CreateServiceLinkedRole for a service this emulator knows
 * (RAM_SLR_LAKEHOUSE_SERVICE); "InvalidParameter.ServiceName" (400) for others,
 * "EntityAlreadyExists.Role" (409) when the role exists. */
int ram_role_create_service_linked(emu_state *s, const char *account_id, const char *service, ram_role *out,
                                   mc_err *err);
/* "EntityNotExist.Role" (404, "The role not exists: <name>.") when absent. */
int ram_role_get(emu_state *s, const char *account_id, const char *name, ram_role *out, mc_err *err);
/* Deletes a role; service_linked says which kind the caller may delete
 * (DeleteRole refuses service-linked roles, DeleteServiceLinkedRole others). */
int ram_role_delete(emu_state *s, const char *account_id, const char *name, bool service_linked, mc_err *err);
/* The key a role's policy attachments are stored under:
 * acs:ram::<uid>:role/<lower-case name> (ram/policy invariants). */
void ram_role_principal(char *out, size_t cap, const char *account_id, const char *name);

#endif
