/*
 * grants: DLF's data-plane permission layer (reference/dlf-permissions.md
 * §3.2-3.4): who may do what on which catalog, database or table.
 *
 * Principals are RAM ARNs (acs:ram::<uid>:user/<name>, .../role/<name>) or
 * DLF role names (`role:<name>`; system roles `admin` and
 * `super_administrator`). A grant gives one privilege on one resource.
 * Decisions follow one written-down rule table (dlf_grants_rules) so that
 * `mcdlf why` prints the same rules the check applies:
 *   - the account root and members of admin/super_administrator may do everything;
 *   - the owner (creator) of a resource holds every privilege on it;
 *   - a grant on a catalog covers its databases and tables, a grant on a
 *     database covers its tables (the inheritance the Chinese 2.0 page states;
 *     the English page disagrees — reference §3.2 — and we name the rule);
 *   - ALL stands for every privilege of its resource level;
 *   - SELECT on a table needs DESCRIBE as well (reference §3.2 table);
 *   - grants to a DLF role apply to its members (reference §3.3);
 *   - grants to a RAM role apply to every STS session of it: the session
 *     ARN acs:ram::<uid>:role/<role>/<session> (reference/ram-sts.md) is
 *     matched as its role's ARN as well, for grants and role membership.
 * Roles: the system roles admin and super_administrator always exist and
 * cannot be dropped; custom roles are rows of dlf_roles. RAM role ARNs are
 * stored with the role name lower-cased (ram-sts.md: names are
 * case-insensitive in ARNs), so a grant matches every spelling.
 * Tables (module "dlf_grants"): dlf_grants, dlf_role_members, dlf_roles.
 */
#ifndef MC_DLF_GRANTS_H
#define MC_DLF_GRANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "mc_err.h"
#include "state/state.h"

typedef enum { DLF_RES_CATALOG, DLF_RES_DATABASE, DLF_RES_TABLE } dlf_resource_type;

typedef enum {
    DLF_PRIV_ALL,
    DLF_PRIV_ALTER,
    DLF_PRIV_DROP,
    DLF_PRIV_GRANT,
    DLF_PRIV_CREATE_DATABASE,
    DLF_PRIV_DESCRIBE,
    DLF_PRIV_CREATE_TABLE,
    DLF_PRIV_CREATE_FUNCTION,
    DLF_PRIV_LIST,
    DLF_PRIV_SELECT,
    DLF_PRIV_UPDATE,
    DLF_PRIV__COUNT
} dlf_privilege;

typedef struct {
    dlf_resource_type type;
    const char *catalog;
    const char *database; /* NULL for a catalog */
    const char *table;    /* NULL unless a table */
} dlf_resource;

typedef struct {
    bool allowed;
    /* Why: for an allowed action, the rule and grant that allowed it; for a
     * refused one, the missing privilege and the grant that would fix it. */
    char reason[1024];
    /* The message DLF returns on refusal (reference/dlf-permissions.md §4):
     * "User <arn> doesn't have privilege <ACCESS> on <TYPE> <name>". */
    char message[1024];
    dlf_privilege missing;
} dlf_decision;

int dlf_grants_migrate(emu_state *s, mc_err *err);

/* Names: "SELECT" <-> DLF_PRIV_SELECT ("CREATE_TABLE", "CREATE TABLE" accepted). */
const char *dlf_privilege_name(dlf_privilege p);
int dlf_privilege_parse(const char *s, dlf_privilege *out);
const char *dlf_resource_type_name(dlf_resource_type t);
/* Whether a privilege exists at a resource level (e.g. SELECT only on TABLE). */
bool dlf_privilege_valid_for(dlf_privilege p, dlf_resource_type t);
/* The resource's name as DLF messages show it: catalog, database, or db.table. */
void dlf_resource_display(char *out, size_t cap, const dlf_resource *r);

int dlf_grant(emu_state *s, const char *principal, dlf_privilege p, const dlf_resource *r, const char *granted_by,
              mc_err *err);
/* MC_ERR_NOT_FOUND when no such grant exists. */
int dlf_revoke(emu_state *s, const char *principal, dlf_privilege p, const dlf_resource *r, mc_err *err);

/* ---- DLF roles (reference/dlf-permissions.md §3.3) ---- */
bool dlf_role_is_system(const char *name);
/* Custom role names (mcdlf's rule, DLF documents none): 1-64 letters,
 * digits and '_', starting with a letter. MC_ERR_INVALID otherwise. */
int dlf_role_name_check(const char *name, mc_err *err);
/* MC_ERR_EXISTS when a system or custom role has that name. */
int dlf_role_create(emu_state *s, const char *name, mc_err *err);
/* Drops a custom role with its members and grants; a system role is refused
 * (MC_ERR_INVALID), an unknown one is MC_ERR_NOT_FOUND. */
int dlf_role_drop(emu_state *s, const char *name, mc_err *err);
/* MC_ERR_NOT_FOUND unless name is a system or created role. */
int dlf_role_require(emu_state *s, const char *name, mc_err *err);
/* The role must exist; adding a member twice is not an error. */
int dlf_role_add_member(emu_state *s, const char *role, const char *principal, mc_err *err);
/* MC_ERR_NOT_FOUND when principal is not a member. */
int dlf_role_remove_member(emu_state *s, const char *role, const char *principal, mc_err *err);
/* One line per role, system roles first: "NAME (system|custom)", then one
 * line "  member ARN" per member. */
int dlf_roles_list(emu_state *s, mc_buf *out, mc_err *err);

/* The RAM role ARN (acs:ram::<uid>:role/<lower-case role>) behind an
 * assumed-role session ARN (acs:ram::<uid>:role/<role>/<session>); false
 * when principal is no session. */
bool dlf_session_role(char *out, size_t cap, const char *principal);

/* ---- grant templates (reference §3.2: "Predefined Permission Type") ----
 * DLF names Data Reader (read-only) and Data Editor (read/write) without
 * listing their privileges; the expansion is mcdlf's (docs/dlf-catalog.md):
 * Data Reader = DESCRIBE, LIST, SELECT; Data Editor = those and UPDATE,
 * CREATE_TABLE. Granted on a catalog or database, the table privileges are
 * stored at that level and cover its tables (rule 3); privileges that do
 * not reach down to tables from the level (LIST, CREATE_TABLE on a table)
 * are left out. */
typedef enum { DLF_TEMPLATE_DATA_READER, DLF_TEMPLATE_DATA_EDITOR } dlf_template;
/* "Data Reader", "data-reader", "DATA_READER" ... -> template; -1 otherwise. */
int dlf_template_parse(const char *s, dlf_template *out);
const char *dlf_template_name(dlf_template t);
/* Grants (or, with revoke, removes) the template's privileges on r; out
 * gets one line per privilege "PRIVILEGE on TYPE name". A revoke that
 * removes nothing is MC_ERR_NOT_FOUND. */
int dlf_grant_template(emu_state *s, const char *principal, dlf_template t, const dlf_resource *r,
                       const char *granted_by, bool revoke, mc_buf *out, mc_err *err);

/* Lists grants (principal NULL = all) as lines "principal PRIVILEGE on TYPE name". */
int dlf_grants_list(emu_state *s, const char *principal, mc_buf *out, mc_err *err);

/* One stored grant, as the permission API lists it. */
typedef struct {
    char principal[512];
    char privilege[32];
    dlf_resource_type type;
    char database[256]; /* "" for a catalog grant */
    char table[256];    /* "" unless a table grant */
} dlf_grant_row;

/* Grants on resources of one type in catalog, ordered by principal, database,
 * table, privilege. database, table and principal narrow the result when not
 * NULL. Skips offset rows and returns at most limit in *rows (caller frees);
 * *more tells whether rows remain after them. */
int dlf_grants_query(emu_state *s, const char *catalog, dlf_resource_type type, const char *database,
                     const char *table, const char *principal, size_t offset, size_t limit, dlf_grant_row **rows,
                     size_t *n, bool *more, mc_err *err);

/* The decision for principal doing p on r. owner is the ARN recorded as the
 * resource's owner (may be NULL). account_root is the account's root ARN. */
int dlf_check(emu_state *s, const char *principal, const char *account_root, const char *owner, dlf_privilege p,
              const dlf_resource *r, dlf_decision *out, mc_err *err);

/* The rule table, one line per rule, for `mcdlf why`. */
const char *dlf_grants_rules(void);

#endif
