/* control: see control.h. Rules: reference/maxcompute-control.md §1-3. */
#include "control/control.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "timeutil.h"

static const char *const MIGRATIONS[] = {
    "CREATE TABLE dlf_service(account_id TEXT NOT NULL, region TEXT NOT NULL, authorized INTEGER NOT NULL,"
    "  activated INTEGER NOT NULL, activated_by TEXT, PRIMARY KEY(account_id, region));"
    "CREATE TABLE data_sources(account_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,"
    "  region TEXT NOT NULL, endpoint TEXT NOT NULL, description TEXT NOT NULL, owner TEXT NOT NULL,"
    "  created_ms INTEGER NOT NULL, PRIMARY KEY(account_id, name));"
    /* Project names are globally unique (§3): the name alone is the key. */
    "CREATE TABLE projects(name TEXT PRIMARY KEY COLLATE NOCASE, account_id TEXT NOT NULL,"
    "  data_source TEXT NOT NULL, catalog TEXT NOT NULL, region TEXT NOT NULL, billing TEXT NOT NULL,"
    "  quota TEXT NOT NULL, owner TEXT NOT NULL, created_ms INTEGER NOT NULL);",
};

int control_migrate(emu_state *s, mc_err *err)
{
    return emu_state_migrate(s, "control", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
}

/* §2: starts with a letter; only lowercase letters, underscores and digits; at most 128. */
int control_validate_data_source_name(const char *name, mc_err *err)
{
    size_t n = strlen(name);
    bool ok = n >= 1 && n <= 128 && islower((unsigned char)name[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) || name[i] == '_';
    if (!ok)
        return mc_err_set(err, MC_ERR_INVALID,
                          "invalid data source name '%s': it must start with a letter and contain only lowercase "
                          "letters, digits and underscores, at most 128 characters",
                          name);
    return 0;
}

/* §3: starts with a letter; letters, digits, underscores; 3-28 characters. */
int control_validate_project_name(const char *name, mc_err *err)
{
    size_t n = strlen(name);
    bool ok = n >= 3 && n <= 28 && isalpha((unsigned char)name[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)name[i]) || name[i] == '_';
    if (!ok)
        return mc_err_set(err, MC_ERR_INVALID,
                          "invalid project name '%s': it must start with a letter and contain only letters, "
                          "digits and underscores, 3 to 28 characters",
                          name);
    return 0;
}

void control_dlf_endpoint(char *out, size_t cap, const char *region)
{
    snprintf(out, cap, "%s-intranet.dlf.aliyuncs.com", region);
}

static int authorize(const control_env *env, const char *principal, const char *action, const char *resource,
                     mc_err *err)
{
    if (!env || !env->authorize)
        return 0;
    return env->authorize(env->ctx, principal, action, resource, err);
}

static int set_dlf_flag(emu_state *s, const char *account_id, const char *region, const char *column,
                        const char *principal, mc_err *err)
{
    char *sql = mc_asprintf("INSERT INTO dlf_service(account_id, region, authorized, activated, activated_by)"
                            " VALUES (?1, ?2, 0, 0, NULL) ON CONFLICT DO NOTHING;");
    sqlite3_stmt *st;
    int rc = -1;
    emu_state_lock(s);
    if (emu_state_prepare(s, &st, sql, err) == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "dlf service");
        sqlite3_finalize(st);
    }
    free(sql);
    if (rc == 0) {
        sql = mc_asprintf("UPDATE dlf_service SET %s = 1%s WHERE account_id = ?1 AND region = ?2", column,
                          strcmp(column, "activated") == 0 ? ", activated_by = ?3" : "");
        rc = -1;
        if (emu_state_prepare(s, &st, sql, err) == 0) {
            sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
            if (strcmp(column, "activated") == 0)
                sqlite3_bind_text(st, 3, principal, -1, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "dlf service");
            sqlite3_finalize(st);
        }
        free(sql);
    }
    emu_state_unlock(s);
    return rc;
}

int control_dlf_authorize(emu_state *s, const control_env *env, const char *account_id, const char *region,
                          const char *principal, mc_err *err)
{
    /* Authorising DLF's access to cloud resources creates its service role:
     * a RAM action (§1 step 2; needs AliyunRAMFullAccess or the owner). */
    if (authorize(env, principal, "ram:CreateServiceLinkedRole", "*", err))
        return -1;
    return set_dlf_flag(s, account_id, region, "authorized", principal, err);
}

int control_dlf_status(emu_state *s, const char *account_id, const char *region, bool *authorized, bool *activated,
                       mc_err *err)
{
    sqlite3_stmt *st;
    *authorized = *activated = false;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st, "SELECT authorized, activated FROM dlf_service WHERE account_id = ? AND region = ?",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *authorized = sqlite3_column_int(st, 0) != 0;
            *activated = sqlite3_column_int(st, 1) != 0;
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int control_dlf_activate(emu_state *s, const control_env *env, const char *account_id, const char *region,
                         const char *principal, mc_err *err)
{
    bool authorized, activated;
    if (control_dlf_status(s, account_id, region, &authorized, &activated, err))
        return -1;
    if (!authorized)
        return mc_err_set(err, MC_ERR_INVALID,
                          "DLF cannot be activated in %s before its access to cloud resources is authorized "
                          "(mcdlf admin dlf authorize)",
                          region);
    if (authorize(env, principal, "dlf:CreateCatalog", "*", err))
        return -1;
    return set_dlf_flag(s, account_id, region, "activated", principal, err);
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void col(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
    copy(dst, cap, (const char *)sqlite3_column_text(st, i));
}

int control_data_source_get(emu_state *s, const char *account_id, const char *name, control_data_source *out,
                            mc_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "SELECT name, type, region, endpoint, description, owner, created_ms FROM data_sources"
                               " WHERE account_id = ? AND name = ?",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            col(out->name, sizeof out->name, st, 0);
            col(out->type, sizeof out->type, st, 1);
            col(out->region, sizeof out->region, st, 2);
            col(out->endpoint, sizeof out->endpoint, st, 3);
            col(out->description, sizeof out->description, st, 4);
            col(out->owner, sizeof out->owner, st, 5);
            out->created_ms = sqlite3_column_int64(st, 6);
        } else {
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "data source %s does not exist", name);
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int control_data_source_create(emu_state *s, const control_env *env, const char *account_id,
                               const char *principal, const control_data_source *ds, control_data_source *out,
                               mc_err *err)
{
    if (control_validate_data_source_name(ds->name, err))
        return -1;
    if (ds->type[0] && strcmp(ds->type, "Paimon_DLF") != 0)
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "data source type %s is not supported (only Paimon_DLF)", ds->type);
    char resource[256];
    snprintf(resource, sizeof resource, "acs:odps:%s:%s:project/*", ds->region, account_id);
    if (authorize(env, principal, "odps:CreateProject", resource, err))
        return -1;
    /* Paimon_DLF authenticates with the task executor's identity through the
     * MaxCompute service-linked role (§2). */
    if (env && env->role_exists && !env->role_exists(env->ctx, account_id, CONTROL_SLR_NAME))
        return mc_err_set(err, MC_ERR_INVALID,
                          "the service-linked role %s does not exist: create it first "
                          "(mcdlf admin ram create-service-linked-role %s)",
                          CONTROL_SLR_NAME, CONTROL_SLR_NAME);
    control_data_source d = *ds;
    copy(d.type, sizeof d.type, "Paimon_DLF");
    control_dlf_endpoint(d.endpoint, sizeof d.endpoint, d.region);
    copy(d.owner, sizeof d.owner, principal);
    d.created_ms = mc_now_ms();
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "INSERT INTO data_sources(account_id, name, type, region, endpoint, description, owner,"
                               " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, d.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, d.type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, d.region, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, d.endpoint, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, d.description, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, d.owner, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, d.created_ms);
        int step = sqlite3_step(st);
        if (step == SQLITE_CONSTRAINT)
            rc = mc_err_set(err, MC_ERR_EXISTS, "data source %s already exists", d.name);
        else if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "create data source");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    if (rc == 0 && out)
        *out = d;
    return rc;
}

#define PROJECT_COLUMNS "name, data_source, catalog, region, billing, quota, owner, created_ms, account_id"

static void project_row(control_project *out, sqlite3_stmt *st)
{
    memset(out, 0, sizeof *out);
    col(out->name, sizeof out->name, st, 0);
    col(out->data_source, sizeof out->data_source, st, 1);
    col(out->catalog, sizeof out->catalog, st, 2);
    col(out->region, sizeof out->region, st, 3);
    col(out->billing, sizeof out->billing, st, 4);
    col(out->quota, sizeof out->quota, st, 5);
    col(out->owner, sizeof out->owner, st, 6);
    out->created_ms = sqlite3_column_int64(st, 7);
    col(out->account_id, sizeof out->account_id, st, 8);
}

int control_project_get(emu_state *s, const char *name, control_project *out, mc_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st, "SELECT " PROJECT_COLUMNS " FROM projects WHERE name = ?", err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            project_row(out, st);
        else
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "project %s does not exist", name);
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int control_project_list(emu_state *s, const char *account_id, control_project **out, size_t *n, mc_err *err)
{
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st, "SELECT " PROJECT_COLUMNS " FROM projects WHERE account_id = ? ORDER BY name",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            *out = mc_realloc(*out, (*n + 1) * sizeof **out);
            project_row(&(*out)[(*n)++], st);
        }
        if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "list projects");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int control_project_create(emu_state *s, const control_env *env, const char *account_id, const char *principal,
                           const control_project *p, control_project *out, mc_err *err)
{
    if (control_validate_project_name(p->name, err))
        return -1;
    if (p->billing[0] && strcmp(p->billing, "payasyougo") != 0 && strcmp(p->billing, "subscription") != 0)
        return mc_err_set(err, MC_ERR_INVALID, "billing must be payasyougo or subscription, not %s", p->billing);
    char resource[256];
    snprintf(resource, sizeof resource, "acs:odps:%s:%s:project/*", p->region, account_id);
    /* §3: AliyunMaxComputeFullAccess and List on the DLF catalog. */
    if (authorize(env, principal, "odps:CreateProject", resource, err))
        return -1;
    if (authorize(env, principal, "dlf:ListCatalogs", "*", err))
        return -1;
    control_data_source ds;
    if (control_data_source_get(s, account_id, p->data_source, &ds, err))
        return -1;
    bool authorized, activated;
    if (control_dlf_status(s, account_id, p->region, &authorized, &activated, err))
        return -1;
    if (!activated)
        return mc_err_set(err, MC_ERR_INVALID, "DLF is not activated in region %s (mcdlf admin dlf activate)",
                          p->region);
    char cat_region[64] = "";
    if (env && env->catalog_region && env->catalog_region(env->ctx, p->catalog, cat_region, sizeof cat_region, err))
        return -1;
    if ((cat_region[0] && strcmp(cat_region, p->region) != 0) || strcmp(ds.region, p->region) != 0)
        return mc_err_set(err, MC_ERR_INVALID,
                          "MaxCompute and DLF must be in the same region: project %s, data source %s, catalog %s",
                          p->region, ds.region, cat_region[0] ? cat_region : p->region);
    control_project np = *p;
    copy(np.billing, sizeof np.billing, p->billing[0] ? p->billing : "payasyougo");
    copy(np.owner, sizeof np.owner, principal);
    copy(np.account_id, sizeof np.account_id, account_id);
    np.created_ms = mc_now_ms();
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "INSERT INTO projects(name, account_id, data_source, catalog, region, billing, quota,"
                               " owner, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, np.name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, np.data_source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, np.catalog, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, np.region, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, np.billing, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, np.quota, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, np.owner, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, np.created_ms);
        int step = sqlite3_step(st);
        if (step == SQLITE_CONSTRAINT)
            rc = mc_err_set(err, MC_ERR_EXISTS, "project name %s is already taken (project names are global)",
                            np.name);
        else if (step != SQLITE_DONE)
            rc = emu_state_err(s, err, "create project");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    if (rc == 0 && out)
        *out = np;
    return rc;
}
