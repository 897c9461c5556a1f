/* ram/role: see role.h. Section numbers refer to reference/ram-sts.md. */
#include "ram/role.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ram/policy.h"
#include "strutil.h"
#include "timeutil.h"

/* Step 1 is the table the console's service-linked roles started with. */
static const char *const MIGRATIONS[] = {
    "CREATE TABLE ram_roles(account_id TEXT NOT NULL, name TEXT NOT NULL, arn TEXT NOT NULL,"
    "  service TEXT, created_ms INTEGER NOT NULL, PRIMARY KEY(account_id, name));",
    "ALTER TABLE ram_roles ADD COLUMN role_id TEXT;"
    "ALTER TABLE ram_roles ADD COLUMN description TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE ram_roles ADD COLUMN trust_policy TEXT;"
    "ALTER TABLE ram_roles ADD COLUMN max_session_s INTEGER NOT NULL DEFAULT 3600;"
    "ALTER TABLE ram_roles ADD COLUMN updated_ms INTEGER;",
};

int ram_role_migrate(emu_state *s, mc_err *err)
{
    return emu_state_migrate(s, "ram_roles", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
}

void ram_role_clear(ram_role *r)
{
    if (!r)
        return;
    free(r->trust_policy);
    memset(r, 0, sizeof *r);
}

void ram_role_principal(char *out, size_t cap, const char *account_id, const char *name)
{
    snprintf(out, cap, "acs:ram::%s:role/%s", account_id, name);
    mc_str_lower(strstr(out, ":role/") + strlen(":role/"));
}

static int __attribute__((format(printf, 5, 6)))
role_fail(mc_err *err, mc_err_code code, int status, const char *remote, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_err_vset(err, code, fmt, ap);
    va_end(ap);
    err->http_status = status;
    snprintf(err->remote_code, sizeof err->remote_code, "%s", remote);
    return -1;
}

/* A 19-digit id derived from seed (role ids are long digit strings, §6 GetRole). */
static void role_id_from(char out[24], const char *seed)
{
    uint8_t d[MC_SHA256_LEN];
    mc_sha256(d, seed, strlen(seed));
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | d[i];
    snprintf(out, 24, "3%018llu", (unsigned long long)(v % 1000000000000000000ULL));
}

/* The trust policy of a service-linked role: the service may assume it (§3). */
static char *service_trust(const char *service)
{
    json_t *trust = json_pack("{s:[{s:s, s:s, s:{s:[s]}}], s:s}", "Statement", "Action", "sts:AssumeRole", "Effect",
                              "Allow", "Principal", "Service", service, "Version", "1");
    char *text = json_dumps(trust, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(trust);
    return text;
}

static void col(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

int ram_role_get(emu_state *s, const char *account_id, const char *name, ram_role *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "SELECT name, arn, coalesce(service, ''), created_ms, role_id, description,"
                               " trust_policy, max_session_s, coalesce(updated_ms, created_ms) FROM ram_roles"
                               " WHERE account_id = ? AND lower(name) = lower(?)",
                               err);
    int step = SQLITE_DONE;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            col(out->name, sizeof out->name, st, 0);
            col(out->arn, sizeof out->arn, st, 1);
            col(out->service, sizeof out->service, st, 2);
            out->created_ms = sqlite3_column_int64(st, 3);
            col(out->role_id, sizeof out->role_id, st, 4);
            col(out->description, sizeof out->description, st, 5);
            const unsigned char *t = sqlite3_column_text(st, 6);
            out->trust_policy = t ? mc_strdup((const char *)t) : NULL;
            out->max_session_s = sqlite3_column_int64(st, 7);
            out->updated_ms = sqlite3_column_int64(st, 8);
        } else if (step != SQLITE_DONE) {
            rc = emu_state_err(s, err, "ram roles");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    if (rc)
        return -1;
    if (step == SQLITE_DONE)
        return role_fail(err, MC_ERR_NOT_FOUND, 404, "EntityNotExist.Role", "The role not exists: %s.", name);
    /* Rows from before step 2 of the migration: id from the ARN, trust from the service. */
    if (!out->role_id[0])
        role_id_from(out->role_id, out->arn);
    if (!out->trust_policy && out->service[0])
        out->trust_policy = service_trust(out->service);
    if (out->service[0] && !out->description[0])
        snprintf(out->description, sizeof out->description, "Service-linked role of MaxCompute Lakehouse.");
    return 0;
}

/* Inserts a role; the name must be free in any case. */
static int role_insert(emu_state *s, const char *account_id, const char *name, const char *service,
                       const char *trust, const char *description, int64_t max_session_s, mc_err *err)
{
    char arn[160], seed[200], id[24];
    int64_t now = mc_now_ms();
    snprintf(arn, sizeof arn, "acs:ram::%s:role/%s", account_id, name);
    snprintf(seed, sizeof seed, "%s@%lld", arn, (long long)now);
    role_id_from(id, seed);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st, "SELECT 1 FROM ram_roles WHERE account_id = ? AND lower(name) = lower(?)", err);
    bool exists = false;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        exists = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    if (rc == 0 && !exists &&
        (rc = emu_state_prepare(s, &st,
                                "INSERT INTO ram_roles(account_id, name, arn, service, created_ms, role_id, description,"
                                " trust_policy, max_session_s, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                err)) == 0) {
        sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, arn, -1, SQLITE_STATIC);
        if (service)
            sqlite3_bind_text(st, 4, service, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, now);
        sqlite3_bind_text(st, 6, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, description, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, trust, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, max_session_s);
        sqlite3_bind_int64(st, 10, now);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "ram roles");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    if (rc)
        return -1;
    if (exists)
        return role_fail(err, MC_ERR_EXISTS, 409, "EntityAlreadyExists.Role", "The role already exists: %s.", name);
    return 0;
}

/* CreateRole parameter limits (api-createrole, see role.h). */
static int check_role_params(const char *name, const char *description, int64_t max_session_s, mc_err *err)
{
    size_t n = strlen(name);
    if (n < 1 || n > 64)
        return role_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.RoleName.Length",
                         "The parameter - \"RoleName\" beyond the length limit.");
    for (const char *p = name; *p; p++)
        if (!(((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
            return role_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.RoleName.InvalidChars",
                             "The parameter - \"RoleName\" contains invalid chars.");
    if (strlen(description) > 1024)
        return role_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.Description.Length",
                         "The parameter - \"Description\" beyond the length limit.");
    if (max_session_s < RAM_ROLE_SESSION_DEFAULT_S || max_session_s > RAM_ROLE_SESSION_MAX_S)
        return role_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.MaxSessionDuration",
                         "The parameter - \"MaxSessionDuration\" must be between %d and %d seconds.",
                         RAM_ROLE_SESSION_DEFAULT_S, RAM_ROLE_SESSION_MAX_S);
    return 0;
}

int ram_role_create(emu_state *s, const char *account_id, const char *name, const char *trust_policy,
                    const char *description, int64_t max_session_s, ram_role *out, mc_err *err)
{
    if (!max_session_s)
        max_session_s = RAM_ROLE_SESSION_DEFAULT_S;
    if (!description)
        description = "";
    if (check_role_params(name, description, max_session_s, err) || ram_trust_validate(trust_policy, err) ||
        role_insert(s, account_id, name, NULL, trust_policy, description, max_session_s, err))
        return -1;
    return ram_role_get(s, account_id, name, out, err);
}

int ram_role_create_service_linked(emu_state *s, const char *account_id, const char *service, ram_role *out,
                                   mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(service, RAM_SLR_LAKEHOUSE_SERVICE) != 0)
        return role_fail(err, MC_ERR_INVALID, 400, "InvalidParameter.ServiceName",
                         "The service %s has no service-linked role in mcdlf (it knows %s).", service,
                         RAM_SLR_LAKEHOUSE_SERVICE);
    char *trust = service_trust(service);
    int rc = role_insert(s, account_id, RAM_SLR_LAKEHOUSE_ROLE, service, trust,
                         "Service-linked role of MaxCompute Lakehouse.", RAM_ROLE_SESSION_DEFAULT_S, err);
    free(trust);
    return rc ? -1 : ram_role_get(s, account_id, RAM_SLR_LAKEHOUSE_ROLE, out, err);
}

int ram_role_delete(emu_state *s, const char *account_id, const char *name, bool service_linked, mc_err *err)
{
    ram_role r;
    if (ram_role_get(s, account_id, name, &r, err))
        return -1;
    bool is_slr = r.service[0] != '\0';
    char key[160], *policies = NULL;
    ram_role_principal(key, sizeof key, account_id, r.name);
    int rc = ram_policy_list_for(s, key, &policies, err);
    /* Which kind each delete action may remove: mcdlf's rule and codes, the
     * reference has none for this case. */
    if (rc == 0 && is_slr && !service_linked)
        rc = role_fail(err, MC_ERR_CONFLICT, 409, "DeleteConflict.Role.ServiceLinkedRole",
                       "The role %s is a service-linked role: delete it with DeleteServiceLinkedRole.", r.name);
    if (rc == 0 && !is_slr && service_linked)
        rc = role_fail(err, MC_ERR_NOT_FOUND, 404, "EntityNotExist.Role", "The role not exists: %s.", name);
    if (rc == 0 && !is_slr && policies[0])
        rc = role_fail(err, MC_ERR_CONFLICT, 409, "DeleteConflict.Role.Policy",
                       "The role has attached policies and can not be deleted: detach them first.");
    free(policies);
    if (rc == 0) {
        sqlite3_stmt *st;
        emu_state_lock(s);
        rc = emu_state_prepare(s, &st, "DELETE FROM ram_roles WHERE account_id = ? AND name = ?", err);
        if (rc == 0) {
            sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, r.name, -1, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "ram roles");
            sqlite3_finalize(st);
        }
        emu_state_unlock(s);
    }
    ram_role_clear(&r);
    return rc;
}
