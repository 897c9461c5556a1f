/* cred: see cred.h. */
#include "server/cred.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "timeutil.h"

static const char *const MIGRATIONS[] = {
    "CREATE TABLE accounts(id TEXT PRIMARY KEY, region TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE access_keys(id TEXT PRIMARY KEY, secret TEXT NOT NULL, account_id TEXT NOT NULL,"
    "  principal TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'Active', created_ms INTEGER NOT NULL);"
    "CREATE TABLE sts_credentials(id TEXT PRIMARY KEY, secret TEXT NOT NULL, token TEXT NOT NULL,"
    "  account_id TEXT NOT NULL, principal TEXT NOT NULL, expires_ms INTEGER NOT NULL, scope TEXT,"
    "  created_ms INTEGER NOT NULL);",
    "ALTER TABLE sts_credentials ADD COLUMN session_policy TEXT;",
};

int emu_cred_migrate(emu_state *s, mc_err *err)
{
    return emu_state_migrate(s, "cred", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
}

void emu_arn_root(char *out, size_t cap, const char *account_id)
{
    snprintf(out, cap, "acs:ram::%s:root", account_id);
}

/* Random characters from an alphabet, like real ids (LTAI..., STS....). */
static void random_chars(char *out, size_t n, const char *alphabet)
{
    uint8_t raw[128];
    size_t k = strlen(alphabet);
    while (n) {
        size_t m = n < sizeof raw ? n : sizeof raw;
        mc_random_bytes(raw, m);
        for (size_t i = 0; i < m; i++)
            *out++ = alphabet[raw[i] % k];
        n -= m;
    }
    *out = '\0';
}

static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

void emu_cred_clear(emu_cred *c)
{
    if (!c)
        return;
    free(c->token);
    free(c->scope);
    free(c->session_policy);
    memset(c, 0, sizeof *c);
}

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

int emu_cred_lookup(emu_state *s, const char *id, emu_cred *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = -1;
    emu_state_lock(s);
    if (emu_state_prepare(s, &st,
                          "SELECT id, secret, account_id, principal, status = 'Active', 0, NULL, NULL, 0, NULL"
                          " FROM access_keys WHERE id = ?1"
                          " UNION ALL SELECT id, secret, account_id, principal, 1, expires_ms, token, scope, 1,"
                          " session_policy FROM sts_credentials WHERE id = ?1",
                          err))
        goto out;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        copy_col(out->id, sizeof out->id, st, 0);
        copy_col(out->secret, sizeof out->secret, st, 1);
        copy_col(out->account_id, sizeof out->account_id, st, 2);
        copy_col(out->principal, sizeof out->principal, st, 3);
        out->active = sqlite3_column_int(st, 4) != 0;
        out->expires_ms = sqlite3_column_int64(st, 5);
        if (sqlite3_column_type(st, 6) != SQLITE_NULL)
            out->token = mc_strdup((const char *)sqlite3_column_text(st, 6));
        if (sqlite3_column_type(st, 7) != SQLITE_NULL)
            out->scope = mc_strdup((const char *)sqlite3_column_text(st, 7));
        out->is_sts = sqlite3_column_int(st, 8) != 0;
        if (sqlite3_column_type(st, 9) != SQLITE_NULL)
            out->session_policy = mc_strdup((const char *)sqlite3_column_text(st, 9));
        rc = 0;
    } else {
        mc_err_set(err, MC_ERR_NOT_FOUND, "AccessKeyId %s does not exist", id);
    }
    sqlite3_finalize(st);
out:
    emu_state_unlock(s);
    return rc;
}

/* Caller holds the lock. */
static int insert_key(emu_state *s, const char *account_id, const char *principal, emu_cred *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    memcpy(out->id, "LTAI", 4);
    random_chars(out->id + 4, 20, ALNUM);
    random_chars(out->secret, 30, ALNUM);
    snprintf(out->account_id, sizeof out->account_id, "%s", account_id);
    snprintf(out->principal, sizeof out->principal, "%s", principal);
    out->active = true;
    sqlite3_stmt *st;
    if (emu_state_prepare(s, &st,
                          "INSERT INTO access_keys(id, secret, account_id, principal, created_ms)"
                          " VALUES (?, ?, ?, ?, ?)",
                          err))
        return -1;
    sqlite3_bind_text(st, 1, out->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, out->secret, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, account_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, principal, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, mc_now_ms());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "insert access key");
    sqlite3_finalize(st);
    return rc;
}

int emu_cred_create_key(emu_state *s, const char *account_id, const char *principal, emu_cred *out,
                        mc_err *err)
{
    emu_state_lock(s);
    int rc = insert_key(s, account_id, principal, out, err);
    emu_state_unlock(s);
    return rc;
}

/* STS credentials of either kind: a data-token scope or a session policy (or neither). */
static int issue_sts(emu_state *s, const char *account_id, const char *principal, int64_t ttl_ms,
                     const char *scope_json, const char *session_policy, emu_cred *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    memcpy(out->id, "STS.", 4);
    random_chars(out->id + 4, 28, ALNUM);
    random_chars(out->secret, 44, ALNUM);
    char token[257];
    random_chars(token, 256, ALNUM);
    out->token = mc_strdup(token);
    out->scope = scope_json ? mc_strdup(scope_json) : NULL;
    out->session_policy = session_policy ? mc_strdup(session_policy) : NULL;
    snprintf(out->account_id, sizeof out->account_id, "%s", account_id);
    snprintf(out->principal, sizeof out->principal, "%s", principal);
    out->is_sts = true;
    out->active = true;
    out->expires_ms = mc_now_ms() + ttl_ms;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = emu_state_prepare(s, &st,
                               "INSERT INTO sts_credentials(id, secret, token, account_id, principal,"
                               " expires_ms, scope, created_ms, session_policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, out->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, out->secret, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, out->token, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, account_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, principal, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, out->expires_ms);
        if (scope_json)
            sqlite3_bind_text(st, 7, scope_json, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, mc_now_ms());
        if (session_policy)
            sqlite3_bind_text(st, 9, session_policy, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s, err, "insert STS credentials");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    if (rc)
        emu_cred_clear(out);
    return rc;
}

int emu_cred_issue_sts(emu_state *s, const char *account_id, const char *principal, int64_t ttl_ms,
                       const char *scope_json, emu_cred *out, mc_err *err)
{
    return issue_sts(s, account_id, principal, ttl_ms, scope_json, NULL, out, err);
}

int emu_cred_issue_session(emu_state *s, const char *account_id, const char *principal, int64_t ttl_ms,
                           const char *session_policy, emu_cred *out, mc_err *err)
{
    return issue_sts(s, account_id, principal, ttl_ms, NULL, session_policy, out, err);
}

int emu_account_ensure(emu_state *s, const char *region, char account_id[32], mc_err *err)
{
    sqlite3_stmt *st;
    int rc = -1;
    emu_state_lock(s);
    if (emu_state_prepare(s, &st, "SELECT id FROM accounts ORDER BY created_ms LIMIT 1", err))
        goto out;
    if (sqlite3_step(st) == SQLITE_ROW) {
        copy_col(account_id, 32, st, 0);
        sqlite3_finalize(st);
        rc = 0;
        goto out;
    }
    sqlite3_finalize(st);
    /* A 16-digit uid, like real Alibaba Cloud account ids (reference/ram-sts.md §1). */
    char uid[17];
    random_chars(uid, 16, "0123456789");
    if (uid[0] == '0')
        uid[0] = '1';
    if (emu_state_begin(s, err))
        goto out;
    if (emu_state_prepare(s, &st, "INSERT INTO accounts(id, region, created_ms) VALUES (?, ?, ?)", err))
        goto fail;
    sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, mc_now_ms());
    int ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!ok) {
        emu_state_err(s, err, "insert account");
        goto fail;
    }
    char arn[128];
    emu_arn_root(arn, sizeof arn, uid);
    emu_cred key;
    if (insert_key(s, uid, arn, &key, err))
        goto fail;
    if (emu_state_commit(s, err))
        goto fail;
    snprintf(account_id, 32, "%s", uid);
    rc = 0;
    goto out;
fail:
    emu_state_rollback(s);
out:
    emu_state_unlock(s);
    return rc;
}

int emu_cred_principal_key(emu_state *s, const char *account_id, const char *arn, emu_cred *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = -1;
    emu_state_lock(s);
    if (emu_state_prepare(s, &st,
                          "SELECT id FROM access_keys WHERE account_id = ? AND principal = ?"
                          " AND status = 'Active' ORDER BY created_ms LIMIT 1",
                          err))
        goto out;
    sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, arn, -1, SQLITE_STATIC);
    char id[64] = "";
    if (sqlite3_step(st) == SQLITE_ROW)
        copy_col(id, sizeof id, st, 0);
    sqlite3_finalize(st);
    emu_state_unlock(s);
    if (!id[0])
        return mc_err_set(err, MC_ERR_NOT_FOUND, "%s has no active AccessKey", arn);
    return emu_cred_lookup(s, id, out, err);
out:
    emu_state_unlock(s);
    return rc;
}

int emu_account_owner_key(emu_state *s, const char *account_id, emu_cred *out, mc_err *err)
{
    char arn[128];
    emu_arn_root(arn, sizeof arn, account_id);
    return emu_cred_principal_key(s, account_id, arn, out, err);
}
