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
 *   - SELECT on a table needs DESCRIBE as well (reference §3.2 table).
 * Tables (module "dlf_grants"): dlf_grants, dlf_role_members.
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
int dlf_role_add_member(emu_state *s, const char *role, const char *principal, mc_err *err);

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
