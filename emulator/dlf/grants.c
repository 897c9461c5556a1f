/* grants: see grants.h. */
#include "dlf/grants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strutil.h"
#include "timeutil.h"

static const char *const MIGRATIONS[] = {
    "CREATE TABLE dlf_grants(principal TEXT NOT NULL, privilege TEXT NOT NULL, resource_type TEXT NOT NULL,"
    "  catalog TEXT NOT NULL, db TEXT NOT NULL DEFAULT '', tbl TEXT NOT NULL DEFAULT '',"
    "  granted_by TEXT, created_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(principal, privilege, resource_type, catalog, db, tbl));"
    "CREATE TABLE dlf_role_members(role TEXT NOT NULL, principal TEXT NOT NULL, PRIMARY KEY(role, principal));",
    "CREATE TABLE dlf_roles(name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL);"
    /* Roles that had members before custom roles were created explicitly. */
    "INSERT OR IGNORE INTO dlf_roles(name, created_ms) SELECT DISTINCT role, 0 FROM dlf_role_members"
    "  WHERE role NOT IN ('admin', 'super_administrator');",
};

int dlf_grants_migrate(emu_state *s, mc_err *err)
{
    return emu_state_migrate(s, "dlf_grants", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
}

static const char *const PRIV_NAMES[DLF_PRIV__COUNT] = {
    "ALL", "ALTER", "DROP", "GRANT", "CREATE_DATABASE", "DESCRIBE", "CREATE_TABLE", "CREATE_FUNCTION",
    "LIST", "SELECT", "UPDATE",
};

const char *dlf_privilege_name(dlf_privilege p)
{
    return p < DLF_PRIV__COUNT ? PRIV_NAMES[p] : "?";
}

int dlf_privilege_parse(const char *s, dlf_privilege *out)
{
    char norm[32];
    size_t n = 0;
    for (; *s && n + 1 < sizeof norm; s++)
        norm[n++] = *s == ' ' ? '_' : *s;
    norm[n] = '\0';
    for (int i = 0; i < DLF_PRIV__COUNT; i++)
        if (!strcasecmp(norm, PRIV_NAMES[i])) {
            *out = (dlf_privilege)i;
            return 0;
        }
    return -1;
}

const char *dlf_resource_type_name(dlf_resource_type t)
{
    switch (t) {
    case DLF_RES_CATALOG: return "CATALOG";
    case DLF_RES_DATABASE: return "DATABASE";
    case DLF_RES_TABLE: return "TABLE";
    }
    return "?";
}

/* reference/dlf-permissions.md §3.2: the access types of each resource level. */
bool dlf_privilege_valid_for(dlf_privilege p, dlf_resource_type t)
{
    switch (t) {
    case DLF_RES_CATALOG:
        return p == DLF_PRIV_ALL || p == DLF_PRIV_ALTER || p == DLF_PRIV_DROP || p == DLF_PRIV_GRANT ||
               p == DLF_PRIV_CREATE_DATABASE;
    case DLF_RES_DATABASE:
        return p == DLF_PRIV_ALL || p == DLF_PRIV_DESCRIBE || p == DLF_PRIV_ALTER || p == DLF_PRIV_DROP ||
               p == DLF_PRIV_CREATE_TABLE || p == DLF_PRIV_CREATE_FUNCTION || p == DLF_PRIV_LIST ||
               p == DLF_PRIV_GRANT;
    case DLF_RES_TABLE:
        return p == DLF_PRIV_ALL || p == DLF_PRIV_DESCRIBE || p == DLF_PRIV_ALTER || p == DLF_PRIV_DROP ||
               p == DLF_PRIV_SELECT || p == DLF_PRIV_UPDATE || p == DLF_PRIV_GRANT;
    }
    return false;
}

void dlf_resource_display(char *out, size_t cap, const dlf_resource *r)
{
    switch (r->type) {
    case DLF_RES_CATALOG: snprintf(out, cap, "%s", r->catalog); break;
    case DLF_RES_DATABASE: snprintf(out, cap, "%s", r->database); break;
    case DLF_RES_TABLE: snprintf(out, cap, "%s.%s", r->database, r->table); break;
    }
}

static int bind_resource(sqlite3_stmt *st, int first, const dlf_resource *r)
{
    sqlite3_bind_text(st, first, dlf_resource_type_name(r->type), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, first + 1, r->catalog, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, first + 2, r->type >= DLF_RES_DATABASE ? r->database : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, first + 3, r->type == DLF_RES_TABLE ? r->table : "", -1, SQLITE_STATIC);
    return 0;
}

static int validate(dlf_privilege p, const dlf_resource *r, mc_err *err)
{
    if (!r->catalog || (r->type >= DLF_RES_DATABASE && !r->database) || (r->type == DLF_RES_TABLE && !r->table))
        return mc_err_set(err, MC_ERR_INVALID, "incomplete resource name");
    if (!dlf_privilege_valid_for(p, r->type))
        return mc_err_set(err, MC_ERR_INVALID, "privilege %s does not apply to a %s", dlf_privilege_name(p),
                          dlf_resource_type_name(r->type));
    return 0;
}

/* A RAM role ARN with its name lower-cased (grants.h); other principals as given. */
static void canon_principal(char *out, size_t cap, const char *principal)
{
    snprintf(out, cap, "%s", principal);
    char *r = strstr(out, ":role/");
    if (r && mc_str_starts_with(out, "acs:ram::"))
        mc_str_lower(r + strlen(":role/"));
}

static int insert_grant(emu_state *s, const char *principal, const char *priv, const dlf_resource *r,
                        const char *granted_by, mc_err *err)
{
    char who[512];
    canon_principal(who, sizeof who, principal);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "INSERT OR IGNORE INTO dlf_grants(principal, privilege, resource_type, catalog, db, tbl,"
                               " granted_by, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, priv, -1, SQLITE_STATIC);
        bind_resource(st, 3, r);
        sqlite3_bind_text(st, 7, granted_by, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, mc_now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "grant");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_grant(emu_state *s, const char *principal, dlf_privilege p, const dlf_resource *r, const char *granted_by,
              mc_err *err)
{
    if (validate(p, r, err))
        return -1;
    return insert_grant(s, principal, dlf_privilege_name(p), r, granted_by, err);
}

/* Deletes one grant row; *gone tells whether it existed. */
static int delete_grant(emu_state *s, const char *principal, const char *priv, const dlf_resource *r, bool *gone,
                        mc_err *err)
{
    char who[512];
    canon_principal(who, sizeof who, principal);
    sqlite3_stmt *st;
    *gone = false;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "DELETE FROM dlf_grants WHERE principal = ?1 AND privilege = ?2 AND resource_type = ?3"
                               " AND catalog = ?4 AND db = ?5 AND tbl = ?6",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, priv, -1, SQLITE_STATIC);
        bind_resource(st, 3, r);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = emu_state_err(s, err, "revoke");
        else
            *gone = sqlite3_changes(emu_state_db(s)) > 0;
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_revoke(emu_state *s, const char *principal, dlf_privilege p, const dlf_resource *r, mc_err *err)
{
    if (validate(p, r, err))
        return -1;
    bool gone;
    if (delete_grant(s, principal, dlf_privilege_name(p), r, &gone, err))
        return -1;
    if (!gone)
        return mc_err_set(err, MC_ERR_NOT_FOUND, "%s has no grant %s on that %s", principal, dlf_privilege_name(p),
                          dlf_resource_type_name(r->type));
    return 0;
}

/* ---- grant templates ------------------------------------------------------------ */

static const char *const TEMPLATE_NAMES[] = {"Data Reader", "Data Editor"};

int dlf_template_parse(const char *s, dlf_template *out)
{
    char norm[32];
    size_t n = 0;
    for (; *s && n + 1 < sizeof norm; s++)
        norm[n++] = *s == '_' || *s == '-' ? ' ' : *s;
    norm[n] = '\0';
    for (int i = 0; i < 2; i++)
        if (!strcasecmp(norm, TEMPLATE_NAMES[i])) {
            *out = (dlf_template)i;
            return 0;
        }
    return -1;
}

const char *dlf_template_name(dlf_template t)
{
    return TEMPLATE_NAMES[t == DLF_TEMPLATE_DATA_EDITOR];
}

/* The template's privileges at r's level, in grant-listing order; returns how many. */
static int template_privileges(dlf_template t, dlf_resource_type type, dlf_privilege out[5])
{
    int n = 0;
    if (t == DLF_TEMPLATE_DATA_EDITOR && type != DLF_RES_TABLE)
        out[n++] = DLF_PRIV_CREATE_TABLE;
    out[n++] = DLF_PRIV_DESCRIBE;
    if (type != DLF_RES_TABLE)
        out[n++] = DLF_PRIV_LIST;
    out[n++] = DLF_PRIV_SELECT;
    if (t == DLF_TEMPLATE_DATA_EDITOR)
        out[n++] = DLF_PRIV_UPDATE;
    return n;
}

int dlf_grant_template(emu_state *s, const char *principal, dlf_template t, const dlf_resource *r,
                       const char *granted_by, bool revoke, mc_buf *out, mc_err *err)
{
    if (!r->catalog || (r->type >= DLF_RES_DATABASE && !r->database) || (r->type == DLF_RES_TABLE && !r->table))
        return mc_err_set(err, MC_ERR_INVALID, "incomplete resource name");
    dlf_privilege privs[5];
    int n = template_privileges(t, r->type, privs);
    char name[256];
    dlf_resource_display(name, sizeof name, r);
    bool any = false;
    for (int i = 0; i < n; i++) {
        bool gone = true;
        int rc = revoke ? delete_grant(s, principal, dlf_privilege_name(privs[i]), r, &gone, err)
                        : insert_grant(s, principal, dlf_privilege_name(privs[i]), r, granted_by, err);
        if (rc)
            return -1;
        if (gone)
            mc_buf_printf(out, "%s %s on %s %s\n", revoke ? "revoked" : "granted", dlf_privilege_name(privs[i]),
                          dlf_resource_type_name(r->type), name);
        any = any || gone;
    }
    if (!any)
        return mc_err_set(err, MC_ERR_NOT_FOUND, "%s holds none of the privileges of %s on that %s", principal,
                          dlf_template_name(t), dlf_resource_type_name(r->type));
    return 0;
}

/* ---- roles ------------------------------------------------------------------------ */

bool dlf_role_is_system(const char *name)
{
    return !strcmp(name, "admin") || !strcmp(name, "super_administrator");
}

int dlf_role_name_check(const char *name, mc_err *err)
{
    size_t n = strlen(name);
    bool ok = n >= 1 && n <= 64 && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
    for (size_t i = 0; ok && i < n; i++)
        ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
             (name[i] >= '0' && name[i] <= '9') || name[i] == '_';
    return ok ? 0
              : mc_err_set(err, MC_ERR_INVALID,
                           "invalid DLF role name '%s': use 1-64 letters, digits and '_', starting with a letter",
                           name);
}

/* Runs one statement binding text arguments a, b (b may be NULL); *changes gets
 * the rows changed or, for a SELECT, 1 when a row came back. Caller holds the lock. */
static int exec2(emu_state *s, const char *sql, const char *a, const char *b, int *changes, mc_err *err)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s, &st, sql, err))
        return -1;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW)
        *changes = 1;
    else if (step == SQLITE_DONE)
        /* sqlite3_changes keeps the last write's count across a SELECT. */
        *changes = sqlite3_stmt_readonly(st) ? 0 : sqlite3_changes(emu_state_db(s));
    else
        rc = emu_state_err(s, err, "dlf roles");
    sqlite3_finalize(st);
    return rc;
}

/* Caller holds the lock. */
static int role_exists(emu_state *s, const char *name, bool *out, mc_err *err)
{
    int found = 0;
    if (dlf_role_is_system(name)) {
        *out = true;
        return 0;
    }
    if (exec2(s, "SELECT 1 FROM dlf_roles WHERE name = ?1", name, NULL, &found, err))
        return -1;
    *out = found > 0;
    return 0;
}

int dlf_role_require(emu_state *s, const char *name, mc_err *err)
{
    bool ok;
    emu_state_lock(s);
    int rc = role_exists(s, name, &ok, err);
    emu_state_unlock(s);
    if (rc == 0 && !ok)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "DLF role %s does not exist (mcdlf admin dlf create-role %s)", name,
                        name);
    return rc;
}

int dlf_role_create(emu_state *s, const char *name, mc_err *err)
{
    if (dlf_role_name_check(name, err))
        return -1;
    if (dlf_role_is_system(name))
        return mc_err_set(err, MC_ERR_EXISTS, "DLF role %s already exists (a system role)", name);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st, "INSERT OR IGNORE INTO dlf_roles(name, created_ms) VALUES (?, ?)", err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, mc_now_ms());
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = emu_state_err(s, err, "create role");
        else if (sqlite3_changes(emu_state_db(s)) == 0)
            rc = mc_err_set(err, MC_ERR_EXISTS, "DLF role %s already exists", name);
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_role_drop(emu_state *s, const char *name, mc_err *err)
{
    /* reference/dlf-permissions.md §3.3: system roles cannot be deleted. */
    if (dlf_role_is_system(name))
        return mc_err_set(err, MC_ERR_INVALID, "DLF role %s is a system role and cannot be dropped", name);
    char *grantee = mc_asprintf("role:%s", name);
    int n = 0, ignored;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = exec2(s, "DELETE FROM dlf_roles WHERE name = ?1", name, NULL, &n, err);
    if (rc == 0 && n > 0)
        rc = exec2(s, "DELETE FROM dlf_role_members WHERE role = ?1", name, NULL, &ignored, err);
    if (rc == 0 && n > 0)
        rc = exec2(s, "DELETE FROM dlf_grants WHERE principal = ?1", grantee, NULL, &ignored, err);
    if (rc == 0)
        rc = emu_state_commit(s, err);
    else
        emu_state_rollback(s);
    emu_state_unlock(s);
    free(grantee);
    if (rc == 0 && n == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "DLF role %s does not exist", name);
    return rc;
}

/* Adds (INSERT) or removes (DELETE) one membership of an existing role;
 * *changed tells whether a row changed. */
static int member_change(emu_state *s, const char *sql, const char *role, const char *principal, int *changed,
                         char who[512], mc_err *err)
{
    if (dlf_role_require(s, role, err))
        return -1;
    canon_principal(who, 512, principal);
    emu_state_lock(s);
    int rc = exec2(s, sql, role, who, changed, err);
    emu_state_unlock(s);
    return rc;
}

int dlf_role_add_member(emu_state *s, const char *role, const char *principal, mc_err *err)
{
    char who[512];
    int n;
    return member_change(s, "INSERT OR IGNORE INTO dlf_role_members(role, principal) VALUES (?1, ?2)", role,
                         principal, &n, who, err);
}

int dlf_role_remove_member(emu_state *s, const char *role, const char *principal, mc_err *err)
{
    char who[512];
    int n = 0;
    if (member_change(s, "DELETE FROM dlf_role_members WHERE role = ?1 AND principal = ?2", role, principal, &n, who,
                      err))
        return -1;
    if (n == 0)
        return mc_err_set(err, MC_ERR_NOT_FOUND, "%s is not a member of DLF role %s", who, role);
    return 0;
}

int dlf_roles_list(emu_state *s, mc_buf *out, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(
        s, &st,
        "WITH r(name, kind) AS (SELECT 'admin', 0 UNION ALL SELECT 'super_administrator', 0"
        "                       UNION ALL SELECT name, 1 FROM dlf_roles)"
        " SELECT r.name, r.kind, m.principal FROM r LEFT JOIN dlf_role_members m ON m.role = r.name"
        " ORDER BY r.kind, r.name, m.principal",
        err);
    if (rc == 0) {
        char last[128] = "";
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            if (strcmp(name, last)) {
                mc_buf_printf(out, "%s (%s)\n", name, sqlite3_column_int(st, 1) ? "custom" : "system");
                snprintf(last, sizeof last, "%s", name);
            }
            if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                mc_buf_printf(out, "  member %s\n", (const char *)sqlite3_column_text(st, 2));
        }
        if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "list roles");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

bool dlf_session_role(char *out, size_t cap, const char *principal)
{
    /* reference/ram-sts.md §1: acs:ram::<uid>:role/<rolename>/<RoleSessionName>. */
    if (!mc_str_starts_with(principal, "acs:ram::"))
        return false;
    const char *r = strstr(principal, ":role/");
    if (!r)
        return false;
    const char *name = r + strlen(":role/");
    const char *slash = strchr(name, '/');
    if (!slash || slash == name || !slash[1])
        return false;
    int n = snprintf(out, cap, "%.*s", (int)(slash - principal), principal);
    if (n < 0 || (size_t)n >= cap)
        return false;
    mc_str_lower(out + (name - principal));
    return true;
}

int dlf_grants_list(emu_state *s, const char *principal, mc_buf *out, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "SELECT principal, privilege, resource_type, catalog, db, tbl FROM dlf_grants"
                               " WHERE ?1 IS NULL OR principal = ?1"
                               " ORDER BY principal, catalog, db, tbl, privilege",
                               err);
    if (rc == 0) {
        if (principal)
            sqlite3_bind_text(st, 1, principal, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *type = (const char *)sqlite3_column_text(st, 2);
            const char *cat = (const char *)sqlite3_column_text(st, 3);
            const char *db = (const char *)sqlite3_column_text(st, 4);
            const char *tbl = (const char *)sqlite3_column_text(st, 5);
            mc_buf_printf(out, "%s %s on %s ", (const char *)sqlite3_column_text(st, 0),
                          (const char *)sqlite3_column_text(st, 1), type);
            if (!strcmp(type, "CATALOG"))
                mc_buf_printf(out, "%s\n", cat);
            else if (!strcmp(type, "DATABASE"))
                mc_buf_printf(out, "%s.%s\n", cat, db);
            else
                mc_buf_printf(out, "%s.%s.%s\n", cat, db, tbl);
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

int dlf_grants_query(emu_state *s, const char *catalog, dlf_resource_type type, const char *database,
                     const char *table, const char *principal, size_t offset, size_t limit, dlf_grant_row **rows,
                     size_t *n, bool *more, mc_err *err)
{
    *rows = NULL;
    *n = 0;
    *more = false;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "SELECT principal, privilege, db, tbl FROM dlf_grants"
                               " WHERE catalog = ?1 AND resource_type = ?2 AND (?3 IS NULL OR db = ?3)"
                               "   AND (?4 IS NULL OR tbl = ?4) AND (?5 IS NULL OR principal = ?5)"
                               " ORDER BY principal, db, tbl, privilege LIMIT ?6 OFFSET ?7",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, catalog, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, dlf_resource_type_name(type), -1, SQLITE_STATIC);
        if (database)
            sqlite3_bind_text(st, 3, database, -1, SQLITE_STATIC);
        if (table)
            sqlite3_bind_text(st, 4, table, -1, SQLITE_STATIC);
        if (principal)
            sqlite3_bind_text(st, 5, principal, -1, SQLITE_STATIC);
        /* One row beyond the page tells whether another page follows. */
        sqlite3_bind_int64(st, 6, (sqlite3_int64)limit + 1);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)offset);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            if (*n == limit) {
                *more = true;
                continue;
            }
            *rows = mc_realloc(*rows, (*n + 1) * sizeof **rows);
            dlf_grant_row *g = &(*rows)[(*n)++];
            copy_col(g->principal, sizeof g->principal, st, 0);
            copy_col(g->privilege, sizeof g->privilege, st, 1);
            g->type = type;
            copy_col(g->database, sizeof g->database, st, 2);
            copy_col(g->table, sizeof g->table, st, 3);
        }
        if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "list grants");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    if (rc) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

const char *dlf_grants_rules(void)
{
    return "DLF data permission rules applied by mcdlf (reference/dlf-permissions.md §3.2-3.3):\n"
           "  1. the account root, and members of the DLF roles admin and super_administrator, may do everything\n"
           "  2. the owner (creator) of a catalog, database or table holds every privilege on it\n"
           "  3. a grant on a catalog covers its databases and tables; a grant on a database covers its tables\n"
           "     (the Chinese DLF 2.0 page; the English page says levels are independent)\n"
           "  4. ALL stands for every privilege of its resource level\n"
           "  5. SELECT on a table needs DESCRIBE on it as well\n"
           "  6. grants to a DLF role apply to every member of the role\n"
           "  7. grants to a RAM role, and its DLF role memberships, apply to every STS session of the role\n";
}

/* Caller holds the lock. Looks for a grant of p (or ALL) to principal, to
 * session_role (the RAM role of an assumed-role session, or NULL) or to a DLF
 * role of either, on r or, by rule 3, an ancestor of r. Describes it in why. */
static int find_grant(emu_state *s, const char *principal, const char *session_role, dlf_privilege p,
                      const dlf_resource *r, char *why, size_t cap, bool *found, mc_err *err)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s, &st,
                          "SELECT g.principal, g.privilege, g.resource_type, g.catalog, g.db, g.tbl,"
                          "       (SELECT m.principal FROM dlf_role_members m"
                          "        WHERE 'role:' || m.role = g.principal AND m.principal IN (?1, ?6)"
                          "        ORDER BY m.principal = ?1 DESC LIMIT 1)"
                          " FROM dlf_grants g"
                          " WHERE (g.principal IN (?1, ?6) OR g.principal IN"
                          "        (SELECT 'role:' || role FROM dlf_role_members WHERE principal IN (?1, ?6)))"
                          "   AND g.privilege IN (?2, 'ALL') AND g.catalog = ?3"
                          "   AND (g.resource_type = 'CATALOG'"
                          "        OR (g.resource_type = 'DATABASE' AND g.db = ?4)"
                          "        OR (g.resource_type = 'TABLE' AND g.db = ?4 AND g.tbl = ?5))"
                          " ORDER BY CASE g.resource_type WHEN 'TABLE' THEN 0 WHEN 'DATABASE' THEN 1 ELSE 2 END"
                          " LIMIT 1",
                          err))
        return -1;
    sqlite3_bind_text(st, 1, principal, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, dlf_privilege_name(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->catalog, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->type >= DLF_RES_DATABASE ? r->database : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->type == DLF_RES_TABLE ? r->table : "", -1, SQLITE_STATIC);
    if (session_role)
        sqlite3_bind_text(st, 6, session_role, -1, SQLITE_STATIC);
    /* A catalog-level check must not be satisfied by a database/table grant:
     * the db/tbl parameters are '' then, which no real grant has. */
    *found = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *found = true;
        const char *grantee = (const char *)sqlite3_column_text(st, 0);
        const char *member = (const char *)sqlite3_column_text(st, 6);
        /* Through whom it applies: a DLF role's member (rule 6), the session's role (rule 7). */
        char via[700] = "";
        bool by_session = session_role && (!strcmp(grantee, session_role) || (member && !strcmp(member, session_role)));
        if (member)
            snprintf(via, sizeof via, ", of which %s is a member", member);
        if (by_session)
            snprintf(via + strlen(via), sizeof via - strlen(via), ", %s being a session of %s", principal,
                     session_role);
        snprintf(why, cap, "grant %s on %s %s%s%s%s%s to %s%s (rule 3/4/%s)", sqlite3_column_text(st, 1),
                 sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), *sqlite3_column_text(st, 4) ? "." : "",
                 sqlite3_column_text(st, 4), *sqlite3_column_text(st, 5) ? "." : "", sqlite3_column_text(st, 5),
                 grantee, via, by_session ? "6/7" : "6");
    }
    sqlite3_finalize(st);
    return 0;
}

static int is_admin(emu_state *s, const char *principal, const char *session_role, bool *out, mc_err *err)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s, &st,
                          "SELECT 1 FROM dlf_role_members WHERE principal IN (?1, ?2)"
                          " AND role IN ('admin', 'super_administrator')",
                          err))
        return -1;
    sqlite3_bind_text(st, 1, principal, -1, SQLITE_STATIC);
    if (session_role)
        sqlite3_bind_text(st, 2, session_role, -1, SQLITE_STATIC);
    *out = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return 0;
}

static void refuse(dlf_decision *out, const char *principal, dlf_privilege p, const dlf_resource *r)
{
    char name[256];
    dlf_resource_display(name, sizeof name, r);
    out->allowed = false;
    out->missing = p;
    /* reference/dlf-permissions.md §4, the seed's text. */
    snprintf(out->message, sizeof out->message, "User %s doesn't have privilege %s on %s %s", principal,
             dlf_privilege_name(p), dlf_resource_type_name(r->type), name);
    snprintf(out->reason, sizeof out->reason,
             "no grant of %s (or ALL) on %s %s or on an enclosing resource; fix: mcdlf admin dlf grant <user> %s on %s %s",
             dlf_privilege_name(p), dlf_resource_type_name(r->type), name, dlf_privilege_name(p),
             r->type == DLF_RES_CATALOG ? "catalog" : r->type == DLF_RES_DATABASE ? "database" : "table", name);
}

int dlf_check(emu_state *s, const char *principal, const char *account_root, const char *owner, dlf_privilege p,
              const dlf_resource *r, dlf_decision *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (account_root && !strcmp(principal, account_root)) {
        out->allowed = true;
        snprintf(out->reason, sizeof out->reason, "the account root may do everything (rule 1)");
        return 0;
    }
    if (owner && !strcmp(principal, owner)) {
        out->allowed = true;
        snprintf(out->reason, sizeof out->reason, "%s owns the resource (rule 2)", principal);
        return 0;
    }
    char role_arn[512];
    const char *session_role = dlf_session_role(role_arn, sizeof role_arn, principal) ? role_arn : NULL;
    emu_state_lock(s);
    bool admin = false, found = false;
    int rc = is_admin(s, principal, session_role, &admin, err);
    if (rc == 0 && admin) {
        out->allowed = true;
        snprintf(out->reason, sizeof out->reason, "%s is a DLF admin (rule 1%s)", principal,
                 session_role ? ", through its role's membership, rule 7" : "");
    } else if (rc == 0) {
        rc = find_grant(s, principal, session_role, p, r, out->reason, sizeof out->reason, &found, err);
        if (rc == 0 && found && p == DLF_PRIV_SELECT) {
            /* Rule 5: SELECT needs DESCRIBE too. */
            char why2[1024];
            rc = find_grant(s, principal, session_role, DLF_PRIV_DESCRIBE, r, why2, sizeof why2, &found, err);
            if (rc == 0 && !found)
                refuse(out, principal, DLF_PRIV_DESCRIBE, r);
            else if (rc == 0)
                out->allowed = true;
        } else if (rc == 0 && found) {
            out->allowed = true;
        } else if (rc == 0) {
            refuse(out, principal, p, r);
        }
    }
    emu_state_unlock(s);
    return rc;
}
