/* dlf/catalog: see catalog.h. */
#include "dlf/catalog.h"

#include <assert.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "strutil.h"
#include "timeutil.h"

static const char *const MIGRATIONS[] = {
    "CREATE TABLE dlf_catalogs(name TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, bucket TEXT NOT NULL,"
    "  account_id TEXT NOT NULL, region TEXT NOT NULL, owner TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE dlf_databases(catalog TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,"
    "  location TEXT NOT NULL, options TEXT NOT NULL, owner TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,"
    "  PRIMARY KEY(catalog, name));"
    "CREATE TABLE dlf_tables(catalog TEXT NOT NULL, db TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL UNIQUE,"
    "  path TEXT NOT NULL, schema_id INTEGER NOT NULL, schema TEXT NOT NULL, highest_field_id INTEGER NOT NULL,"
    "  latest_snapshot INTEGER NOT NULL DEFAULT 0, latest_uuid TEXT,"
    "  record_count INTEGER NOT NULL DEFAULT 0, file_size INTEGER NOT NULL DEFAULT 0,"
    "  file_count INTEGER NOT NULL DEFAULT 0, last_file_creation_time INTEGER NOT NULL DEFAULT 0,"
    "  owner TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY(catalog, db, name));"
    "CREATE TABLE dlf_schemas(table_id TEXT NOT NULL, id INTEGER NOT NULL, schema TEXT NOT NULL,"
    "  PRIMARY KEY(table_id, id));"
    "CREATE TABLE dlf_snapshots(table_id TEXT NOT NULL, id INTEGER NOT NULL, uuid TEXT, json TEXT NOT NULL,"
    "  PRIMARY KEY(table_id, id));"
    "CREATE TABLE dlf_partitions(table_id TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,"
    "  record_count INTEGER NOT NULL, file_size INTEGER NOT NULL, file_count INTEGER NOT NULL,"
    "  last_file_creation_time INTEGER NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY(table_id, name));",
    /* 2: tags, per-commit statistics deltas (undone by rollback), partition
     * done flags and bucket counts, views and functions. */
    "CREATE TABLE dlf_tags(table_id TEXT NOT NULL, name TEXT NOT NULL, snapshot_id INTEGER NOT NULL,"
    "  snapshot TEXT NOT NULL, create_time INTEGER NOT NULL, time_retained TEXT, PRIMARY KEY(table_id, name));"
    "CREATE TABLE dlf_snapshot_stats(table_id TEXT NOT NULL, snapshot_id INTEGER NOT NULL, name TEXT NOT NULL,"
    "  record_count INTEGER NOT NULL, file_size INTEGER NOT NULL, file_count INTEGER NOT NULL);"
    "CREATE INDEX dlf_snapshot_stats_by_table ON dlf_snapshot_stats(table_id, snapshot_id);"
    "ALTER TABLE dlf_partitions ADD COLUMN done INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE dlf_partitions ADD COLUMN total_buckets INTEGER NOT NULL DEFAULT -1;"
    "CREATE TABLE dlf_views(catalog TEXT NOT NULL, db TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,"
    "  body TEXT NOT NULL, owner TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY(catalog, db, name));"
    "CREATE TABLE dlf_functions(catalog TEXT NOT NULL, db TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,"
    "  body TEXT NOT NULL, owner TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY(catalog, db, name));",
    /* 3: branches (their head: the columns of dlf_tables a branch has of its
     * own; id is the branch's state key) and each commit's partition spec. */
    "CREATE TABLE dlf_branches(id TEXT PRIMARY KEY, table_id TEXT NOT NULL, name TEXT NOT NULL,"
    "  schema_id INTEGER NOT NULL, schema TEXT NOT NULL, highest_field_id INTEGER NOT NULL,"
    "  latest_snapshot INTEGER NOT NULL DEFAULT 0, latest_uuid TEXT, record_count INTEGER NOT NULL DEFAULT 0,"
    "  file_size INTEGER NOT NULL DEFAULT 0, file_count INTEGER NOT NULL DEFAULT 0,"
    "  last_file_creation_time INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
    "  created_by TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, UNIQUE(table_id, name));"
    "ALTER TABLE dlf_snapshot_stats ADD COLUMN spec TEXT;",
};

/* The state keys of a table's branches, main included (binds ?1 = table id). */
#define TABLE_KEYS "(SELECT ?1 UNION ALL SELECT id FROM dlf_branches WHERE table_id = ?1)"
/* Tables keyed by a branch's state key (dlf_table.key). */
static const char *const PER_KEY[] = {"dlf_snapshots", "dlf_snapshot_stats", "dlf_tags", "dlf_partitions",
                                      "dlf_schemas"};
#define NPER_KEY (sizeof PER_KEY / sizeof *PER_KEY)

/* The row holding a branch's head: dlf_tables for the main branch, dlf_branches otherwise. */
static const char *head_table(const dlf_table *t)
{
    return t->branch[0] ? "dlf_branches" : "dlf_tables";
}

int dlf_catalog_migrate(emu_state *s, mc_err *err)
{
    return emu_state_migrate(s, "dlf", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
}

/* ---- statement helpers (caller holds the lock) ---------------------------------- */

/* Binds arguments by a format: 's' text, 'i' int64, 'z' text or NULL. */
static void bind_va(sqlite3_stmt *st, const char *fmt, va_list ap)
{
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 'i') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i + 1);
        }
    }
}

static int prep(emu_state *s, sqlite3_stmt **st, mc_err *err, const char *sql, const char *fmt, ...)
{
    if (emu_state_prepare(s, st, sql, err))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    bind_va(*st, fmt, ap);
    va_end(ap);
    return 0;
}

/* Runs a statement without results; *changes = rows changed (may be NULL). */
static int run(emu_state *s, mc_err *err, int *changes, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s, &st, sql, err))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    bind_va(st, fmt, ap);
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT)
        return mc_err_set(err, MC_ERR_EXISTS, "already exists");
    if (rc != SQLITE_DONE)
        return emu_state_err(s, err, "dlf catalog");
    if (changes)
        *changes = sqlite3_changes(emu_state_db(s));
    return 0;
}

static void col_copy(char *out, size_t cap, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", v ? (const char *)v : "");
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? mc_strdup((const char *)v) : NULL;
}

void dlf_strings_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Collects column 0 of every row. */
static int collect_names(emu_state *s, sqlite3_stmt *st, char ***names, size_t *n, mc_err *err)
{
    *names = NULL;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *names = mc_realloc(*names, (*n + 1) * sizeof **names);
        (*names)[(*n)++] = col_dup(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        dlf_strings_free(*names, *n);
        *names = NULL;
        *n = 0;
        return emu_state_err(s, err, "dlf list");
    }
    return 0;
}

/* LIKE-free prefix match: names in [prefix, prefix + 0xFF...). */
static void prefix_bounds(const char *prefix, char *hi, size_t cap)
{
    snprintf(hi, cap, "%s\xff\xff\xff\xff", prefix ? prefix : "");
}

static void uuid4(char out[37])
{
    uint8_t b[16];
    mc_random_bytes(b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    char hex[33];
    mc_hex_lower(hex, b, sizeof b);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* One page of names from `table` within a scope (`scope` binds k1, and k2
 * when not NULL), > after, starting with prefix, sorted, at most limit. */
static int name_page(emu_state *s, const char *table, const char *scope, const char *k1, const char *k2,
                     const char *prefix, const char *after, size_t limit, char ***names, size_t *n, mc_err *err)
{
    char hi[300], sql[320];
    prefix_bounds(prefix, hi, sizeof hi);
    snprintf(sql, sizeof sql,
             "SELECT name FROM %s WHERE %s AND name > ? AND name >= ? AND name < ? ORDER BY name LIMIT ?", table,
             scope);
    const char *a = after ? after : "", *pre = prefix ? prefix : "";
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = k2 ? prep(s, &st, err, sql, "sssssi", k1, k2, a, pre, hi, (int64_t)limit)
                : prep(s, &st, err, sql, "ssssi", k1, a, pre, hi, (int64_t)limit);
    if (rc == 0)
        rc = collect_names(s, st, names, n, err);
    emu_state_unlock(s);
    return rc;
}

/* Ends the transaction begun under the lock: commit when rc is 0, else roll back. */
static int finish(emu_state *s, int rc, mc_err *err)
{
    if (rc == 0)
        rc = emu_state_commit(s, err);
    else
        emu_state_rollback(s);
    emu_state_unlock(s);
    return rc;
}

/* ---- catalogs ------------------------------------------------------------------- */

static int catalog_row(sqlite3_stmt *st, dlf_catalog_info *out)
{
    memset(out, 0, sizeof *out);
    col_copy(out->name, sizeof out->name, st, 0);
    col_copy(out->id, sizeof out->id, st, 1);
    col_copy(out->bucket, sizeof out->bucket, st, 2);
    col_copy(out->account_id, sizeof out->account_id, st, 3);
    col_copy(out->region, sizeof out->region, st, 4);
    col_copy(out->owner, sizeof out->owner, st, 5);
    out->created_ms = sqlite3_column_int64(st, 6);
    return 0;
}

#define CATALOG_COLS "name, id, bucket, account_id, region, owner, created_ms"

int dlf_catalog_create(emu_state *s, const char *name, const char *account_id, const char *region, const char *owner,
                       dlf_catalog_info *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    uint8_t r[8];
    mc_random_bytes(r, sizeof r);
    char hex[17];
    mc_hex_lower(hex, r, sizeof r);
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->id, sizeof out->id, "clg-paimon-%s", hex);
    snprintf(out->bucket, sizeof out->bucket, "%s", out->id);
    snprintf(out->account_id, sizeof out->account_id, "%s", account_id);
    snprintf(out->region, sizeof out->region, "%s", region);
    snprintf(out->owner, sizeof out->owner, "%s", owner);
    out->created_ms = mc_now_ms();
    emu_state_lock(s);
    int rc = run(s, err, NULL, "INSERT INTO dlf_catalogs(" CATALOG_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssssi",
                 out->name, out->id, out->bucket, out->account_id, out->region, out->owner, out->created_ms);
    emu_state_unlock(s);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "Catalog %s already exists.", name);
    return rc;
}

static int catalog_by(emu_state *s, const char *col, const char *v, dlf_catalog_info *out, mc_err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT " CATALOG_COLS " FROM dlf_catalogs WHERE %s = ?", col);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, sql, "s", v);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            catalog_row(st, out);
        else if (step == SQLITE_DONE)
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Catalog %s does not exist.", v);
        else
            rc = emu_state_err(s, err, "dlf catalog");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_catalog_get(emu_state *s, const char *name, dlf_catalog_info *out, mc_err *err)
{
    return catalog_by(s, "name", name, out, err);
}

int dlf_catalog_get_by_id(emu_state *s, const char *id, dlf_catalog_info *out, mc_err *err)
{
    return catalog_by(s, "id", id, out, err);
}

int dlf_catalog_list(emu_state *s, const char *account_id, char ***names, size_t *n, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, "SELECT name FROM dlf_catalogs WHERE account_id = ? ORDER BY name", "s", account_id);
    if (rc == 0)
        rc = collect_names(s, st, names, n, err);
    emu_state_unlock(s);
    return rc;
}

/* ---- databases ------------------------------------------------------------------ */

void dlf_database_clear(dlf_database *d)
{
    free(d->options);
    memset(d, 0, sizeof *d);
}

int dlf_db_create(emu_state *s, const dlf_catalog_info *c, const char *name, const char *options_json,
                  const char *principal, mc_err *err)
{
    char id[37], loc[512];
    uuid4(id);
    snprintf(loc, sizeof loc, "oss://%s/%s.db", c->bucket, name);
    int64_t now = mc_now_ms();
    emu_state_lock(s);
    int rc = run(s, err, NULL,
                 "INSERT INTO dlf_databases(catalog, name, id, location, options, owner, created_at, created_by,"
                 " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 "ssssssisis", c->name, name, id, loc, options_json ? options_json : "{}", principal, now, principal,
                 now, principal);
    emu_state_unlock(s);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "Database %s already exists.", name);
    return rc;
}

int dlf_db_get(emu_state *s, const dlf_catalog_info *c, const char *name, dlf_database *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "SELECT id, name, location, options, owner, created_at, created_by, updated_at, updated_by"
                  " FROM dlf_databases WHERE catalog = ? AND name = ?",
                  "ss", c->name, name);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            col_copy(out->id, sizeof out->id, st, 0);
            col_copy(out->name, sizeof out->name, st, 1);
            col_copy(out->location, sizeof out->location, st, 2);
            out->options = col_dup(st, 3);
            col_copy(out->audit.owner, sizeof out->audit.owner, st, 4);
            out->audit.created_at = sqlite3_column_int64(st, 5);
            col_copy(out->audit.created_by, sizeof out->audit.created_by, st, 6);
            out->audit.updated_at = sqlite3_column_int64(st, 7);
            col_copy(out->audit.updated_by, sizeof out->audit.updated_by, st, 8);
        } else if (step == SQLITE_DONE) {
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Database %s does not exist.", name);
        } else {
            rc = emu_state_err(s, err, "dlf database");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_db_drop(emu_state *s, const dlf_catalog_info *c, const char *name, mc_err *err)
{
    emu_state_lock(s);
    int changes = 0;
    int rc = emu_state_begin(s, err);
    for (size_t i = 0; i < NPER_KEY && rc == 0; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE table_id IN (SELECT id FROM dlf_tables WHERE catalog = ?1 AND db = ?2"
                 " UNION ALL SELECT b.id FROM dlf_branches AS b JOIN dlf_tables AS t ON b.table_id = t.id"
                 " WHERE t.catalog = ?1 AND t.db = ?2)",
                 PER_KEY[i]);
        rc = run(s, err, NULL, sql, "ss", c->name, name);
    }
    if (rc == 0)
        rc = run(s, err, NULL,
                 "DELETE FROM dlf_branches WHERE table_id IN (SELECT id FROM dlf_tables WHERE catalog = ? AND db = ?)",
                 "ss", c->name, name);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_views WHERE catalog = ? AND db = ?", "ss", c->name, name);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_functions WHERE catalog = ? AND db = ?", "ss", c->name, name);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_tables WHERE catalog = ? AND db = ?", "ss", c->name, name);
    if (rc == 0)
        rc = run(s, err, &changes, "DELETE FROM dlf_databases WHERE catalog = ? AND name = ?", "ss", c->name, name);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Database %s does not exist.", name);
    return finish(s, rc, err);
}

int dlf_db_set_options(emu_state *s, const dlf_catalog_info *c, const char *name, const char *options_json,
                       const char *principal, mc_err *err)
{
    emu_state_lock(s);
    int changes = 0;
    int rc = run(s, err, &changes,
                 "UPDATE dlf_databases SET options = ?, updated_at = ?, updated_by = ? WHERE catalog = ? AND name = ?",
                 "sisss", options_json, mc_now_ms(), principal, c->name, name);
    emu_state_unlock(s);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Database %s does not exist.", name);
    return rc;
}

int dlf_db_list(emu_state *s, const dlf_catalog_info *c, const char *prefix, const char *after, size_t limit,
                char ***names, size_t *n, mc_err *err)
{
    return name_page(s, "dlf_databases", "catalog = ?", c->name, NULL, prefix, after, limit, names, n, err);
}

/* ---- tables --------------------------------------------------------------------- */

void dlf_table_clear(dlf_table *t)
{
    free(t->schema);
    free(t->latest_uuid);
    memset(t, 0, sizeof *t);
}

#define TABLE_COLS "id, db, name, path, " HEAD_COLS ", owner, created_at, created_by, updated_at, updated_by"

/* The head columns (a branch has its own; HEAD_COLS order) from column i on. */
#define HEAD_COLS                                                                                                  \
    "schema_id, schema, highest_field_id, latest_snapshot, latest_uuid, record_count, file_size, file_count,"      \
    " last_file_creation_time"

static void head_row(sqlite3_stmt *st, int i, dlf_table *t)
{
    free(t->schema);
    free(t->latest_uuid);
    t->schema_id = sqlite3_column_int64(st, i);
    t->schema = col_dup(st, i + 1);
    t->highest_field_id = (int32_t)sqlite3_column_int64(st, i + 2);
    t->latest_snapshot = sqlite3_column_int64(st, i + 3);
    t->latest_uuid = col_dup(st, i + 4);
    t->record_count = sqlite3_column_int64(st, i + 5);
    t->file_size = sqlite3_column_int64(st, i + 6);
    t->file_count = sqlite3_column_int64(st, i + 7);
    t->last_file_creation_time = sqlite3_column_int64(st, i + 8);
}

static void table_row(sqlite3_stmt *st, dlf_table *t)
{
    memset(t, 0, sizeof *t);
    col_copy(t->id, sizeof t->id, st, 0);
    col_copy(t->database, sizeof t->database, st, 1);
    col_copy(t->name, sizeof t->name, st, 2);
    col_copy(t->path, sizeof t->path, st, 3);
    head_row(st, 4, t);
    col_copy(t->audit.owner, sizeof t->audit.owner, st, 13);
    t->audit.created_at = sqlite3_column_int64(st, 14);
    col_copy(t->audit.created_by, sizeof t->audit.created_by, st, 15);
    t->audit.updated_at = sqlite3_column_int64(st, 16);
    col_copy(t->audit.updated_by, sizeof t->audit.updated_by, st, 17);
    snprintf(t->base, sizeof t->base, "%.128s", t->name);
    snprintf(t->key, sizeof t->key, "%s", t->id);
    snprintf(t->files, sizeof t->files, "%s", t->path);
}

static int table_where(emu_state *s, const char *where, const char *fmt, const char *a, const char *b,
                       const char *cc, dlf_table *out, const char *display, mc_err *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT " TABLE_COLS " FROM dlf_tables WHERE %s", where);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, sql, fmt, a, b, cc);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            table_row(st, out);
        else if (step == SQLITE_DONE)
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Table %s does not exist.", display);
        else
            rc = emu_state_err(s, err, "dlf table");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

/* Overlays branch t->branch's head (dlf_branches) on the main table's row. */
static int branch_head(emu_state *s, dlf_table *t, const char *display, mc_err *err)
{
    snprintf(t->key, sizeof t->key, "%s$branch_%s", t->id, t->branch);
    snprintf(t->files, sizeof t->files, "%s/branch/branch-%s", t->path, t->branch);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, "SELECT " HEAD_COLS " FROM dlf_branches WHERE id = ?", "s", t->key);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            head_row(st, 0, t);
        } else {
            rc = step == SQLITE_DONE ? mc_err_set(err, MC_ERR_NOT_FOUND, "Table %s does not exist.", display)
                                     : emu_state_err(s, err, "dlf branch");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_table_get(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, dlf_table *out,
                  mc_err *err)
{
    char display[300];
    snprintf(display, sizeof display, "%s.%s", db, name);
    /* Java's Identifier: "t$branch_b" is branch b of t; "main" is the table itself. */
    const char *dollar = strchr(name, '$');
    const char *branch = dollar && mc_str_starts_with(dollar + 1, "branch_") ? dollar + 8 : NULL;
    if (dollar && (!branch || !*branch || strchr(branch, '$'))) {
        memset(out, 0, sizeof *out);
        return mc_err_set(err, MC_ERR_NOT_FOUND, "Table %s does not exist.", display);
    }
    char base[129];
    snprintf(base, sizeof base, "%.*s", (int)(dollar ? (size_t)(dollar - name) : strlen(name)), name);
    if (table_where(s, "catalog = ? AND db = ? AND name = ?", "sss", c->name, db, base, out, display, err))
        return -1;
    snprintf(out->name, sizeof out->name, "%s", name);
    if (!branch || !strcmp(branch, "main"))
        return 0;
    snprintf(out->branch, sizeof out->branch, "%s", branch);
    if (branch_head(s, out, display, err)) {
        dlf_table_clear(out);
        return -1;
    }
    return 0;
}

int dlf_table_get_by_id(emu_state *s, const dlf_catalog_info *c, const char *id, dlf_table *out, mc_err *err)
{
    char display[80];
    snprintf(display, sizeof display, "id %s", id);
    return table_where(s, "catalog = ? AND id = ?", "ss", c->name, id, NULL, out, display, err);
}

int dlf_table_create(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, const char *at,
                     const char *schema_json, int32_t highest_field_id, const char *principal, dlf_table *out,
                     mc_err *err)
{
    char id[37], path[640];
    uuid4(id);
    if (at)
        snprintf(path, sizeof path, "%s", at);
    else
        snprintf(path, sizeof path, "oss://%s/%s.db/%s", c->bucket, db, name);
    int64_t now = mc_now_ms();
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = run(s, err, NULL,
                 "INSERT INTO dlf_tables(catalog, db, name, id, path, schema_id, schema, highest_field_id, owner,"
                 " created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
                 "ssssssisisis", c->name, db, name, id, path, schema_json, (int64_t)highest_field_id, principal, now,
                 principal, now, principal);
    if (rc == 0)
        rc = run(s, err, NULL, "INSERT INTO dlf_schemas(table_id, id, schema) VALUES (?, 0, ?)", "ss", id,
                 schema_json);
    rc = finish(s, rc, err);
    if (rc && err->code == MC_ERR_EXISTS)
        return mc_err_set(err, MC_ERR_EXISTS, "Table %s.%s already exists.", db, name);
    if (rc == 0 && out)
        rc = dlf_table_get(s, c, db, name, out, err);
    return rc;
}

int dlf_table_drop(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, mc_err *err)
{
    dlf_table t;
    if (dlf_table_get(s, c, db, name, &t, err))
        return -1;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    for (size_t i = 0; i < NPER_KEY && rc == 0; i++) {
        char sql[200];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE table_id IN " TABLE_KEYS, PER_KEY[i]);
        rc = run(s, err, NULL, sql, "s", t.id);
    }
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_branches WHERE table_id = ?", "s", t.id);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_tables WHERE id = ?", "s", t.id);
    rc = finish(s, rc, err);
    dlf_table_clear(&t);
    return rc;
}

int dlf_table_rename(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, const char *to_db,
                     const char *to_name, const char *principal, mc_err *err)
{
    emu_state_lock(s);
    int changes = 0;
    int rc = run(s, err, &changes,
                 "UPDATE dlf_tables SET db = ?, name = ?, updated_at = ?, updated_by = ?"
                 " WHERE catalog = ? AND db = ? AND name = ?",
                 "ssissss", to_db, to_name, mc_now_ms(), principal, c->name, db, name);
    emu_state_unlock(s);
    if (rc && err->code == MC_ERR_EXISTS)
        return mc_err_set(err, MC_ERR_EXISTS, "Table %s.%s already exists.", to_db, to_name);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Table %s.%s does not exist.", db, name);
    return rc;
}

int dlf_table_list(emu_state *s, const dlf_catalog_info *c, const char *db, const char *prefix, const char *after,
                   size_t limit, char ***names, size_t *n, mc_err *err)
{
    return name_page(s, "dlf_tables", "catalog = ? AND db = ?", c->name, db, prefix, after, limit, names, n, err);
}

int dlf_table_update_schema(emu_state *s, const dlf_catalog_info *c, const dlf_table *t, const char *schema_json,
                            int32_t highest_field_id, const char *principal, mc_err *err)
{
    (void)c;
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET schema_id = schema_id + 1, schema = ?, highest_field_id = ?, updated_at = ?,"
             " updated_by = ? WHERE id = ? AND schema_id = ?",
             head_table(t));
    emu_state_lock(s);
    int changes = 0;
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = run(s, err, &changes, sql, "siissi", schema_json, (int64_t)highest_field_id, mc_now_ms(), principal,
                 t->key, t->schema_id);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_CONFLICT, "Table %s.%s was altered concurrently.", t->database, t->name);
    if (rc == 0)
        rc = run(s, err, NULL, "INSERT INTO dlf_schemas(table_id, id, schema) VALUES (?, ?, ?)", "sis", t->key,
                 t->schema_id + 1, schema_json);
    return finish(s, rc, err);
}

/* ---- snapshots and partitions --------------------------------------------------- */

int dlf_snapshot_record(emu_state *s, const dlf_table *t, int64_t expect_latest, int64_t id, const char *uuid,
                        const char *snapshot_json, const dlf_partition_delta *d, size_t nd, const char *principal,
                        mc_err *err)
{
    int64_t now = mc_now_ms();
    int64_t recs = 0, size = 0, files = 0, last = 0;
    for (size_t i = 0; i < nd; i++) {
        recs += d[i].record_count;
        size += d[i].file_size;
        files += d[i].file_count;
        if (d[i].last_file_creation_time > last)
            last = d[i].last_file_creation_time;
    }
    char sql[400];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET latest_snapshot = ?, latest_uuid = ?, record_count = record_count + ?,"
             " file_size = file_size + ?, file_count = file_count + ?,"
             " last_file_creation_time = max(last_file_creation_time, ?), updated_at = ?, updated_by = ?"
             " WHERE id = ? AND latest_snapshot = ?",
             head_table(t));
    emu_state_lock(s);
    int changes = 0;
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = run(s, err, &changes, sql, "izi" "iiiissi", id, uuid, recs, size, files, last, now, principal, t->key,
                 expect_latest);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_CONFLICT, "snapshot %lld is no longer the latest", (long long)expect_latest);
    if (rc == 0)
        rc = run(s, err, NULL, "INSERT INTO dlf_snapshots(table_id, id, uuid, json) VALUES (?, ?, ?, ?)", "sizs",
                 t->key, id, uuid, snapshot_json);
    for (size_t i = 0; i < nd && rc == 0; i++) {
        rc = run(s, err, NULL,
                 "INSERT INTO dlf_partitions(table_id, name, spec, record_count, file_size, file_count,"
                 " last_file_creation_time, created_at, created_by, updated_at, updated_by)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                 " ON CONFLICT(table_id, name) DO UPDATE SET record_count = record_count + excluded.record_count,"
                 " file_size = file_size + excluded.file_size, file_count = file_count + excluded.file_count,"
                 " last_file_creation_time = max(last_file_creation_time, excluded.last_file_creation_time),"
                 " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                 "sss" "iiiiisis", t->key, d[i].name, d[i].spec, d[i].record_count, d[i].file_size, d[i].file_count,
                 d[i].last_file_creation_time, now, principal, now, principal);
        /* Kept so a rollback can take this commit's statistics back out (§6). */
        if (rc == 0)
            rc = run(s, err, NULL,
                     "INSERT INTO dlf_snapshot_stats(table_id, snapshot_id, name, record_count, file_size, file_count,"
                     " spec) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     "sisiiis", t->key, id, d[i].name, d[i].record_count, d[i].file_size, d[i].file_count,
                     d[i].spec);
        /* A partition this commit emptied is gone (reference §6); one created
         * empty through the partitions endpoint and not touched here stays. */
        if (rc == 0)
            rc = run(s, err, NULL,
                     "DELETE FROM dlf_partitions WHERE table_id = ? AND name = ? AND record_count <= 0"
                     " AND file_count <= 0",
                     "ss", t->key, d[i].name);
    }
    return finish(s, rc, err);
}

int dlf_snapshot_get(emu_state *s, const dlf_table *t, int64_t id, char **json, mc_err *err)
{
    *json = NULL;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = id < 0 ? prep(s, &st, err, "SELECT json FROM dlf_snapshots WHERE table_id = ? ORDER BY id LIMIT 1", "s",
                           t->key)
                    : prep(s, &st, err, "SELECT json FROM dlf_snapshots WHERE table_id = ? AND id = ?", "si", t->key,
                           id);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            *json = col_dup(st, 0);
        else if (step == SQLITE_DONE)
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Snapshot %lld of table %s.%s does not exist.", (long long)id,
                            t->database, t->name);
        else
            rc = emu_state_err(s, err, "dlf snapshot");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_snapshot_list(emu_state *s, const dlf_table *t, int64_t after, size_t limit, char ***json, size_t *n,
                      mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, "SELECT json FROM dlf_snapshots WHERE table_id = ? AND id > ? ORDER BY id LIMIT ?",
                  "sii", t->key, after, (int64_t)limit);
    if (rc == 0)
        rc = collect_names(s, st, json, n, err);
    emu_state_unlock(s);
    return rc;
}

/* Collects rows of PARTITION_COLS (finalizes st). */
static int collect_partitions(emu_state *s, sqlite3_stmt *st, dlf_partition **out, size_t *n, mc_err *err)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *out = mc_realloc(*out, (*n + 1) * sizeof **out);
        dlf_partition *p = &(*out)[(*n)++];
        memset(p, 0, sizeof *p);
        p->spec = col_dup(st, 0);
        p->name = col_dup(st, 1);
        p->record_count = sqlite3_column_int64(st, 2);
        p->file_size = sqlite3_column_int64(st, 3);
        p->file_count = sqlite3_column_int64(st, 4);
        p->last_file_creation_time = sqlite3_column_int64(st, 5);
        p->created_at = sqlite3_column_int64(st, 6);
        col_copy(p->created_by, sizeof p->created_by, st, 7);
        p->updated_at = sqlite3_column_int64(st, 8);
        col_copy(p->updated_by, sizeof p->updated_by, st, 9);
        p->done = sqlite3_column_int64(st, 10) != 0;
        p->total_buckets = (int32_t)sqlite3_column_int64(st, 11);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        dlf_partitions_free(*out, *n);
        *out = NULL;
        *n = 0;
        return emu_state_err(s, err, "dlf partitions");
    }
    return 0;
}

int dlf_partition_list(emu_state *s, const dlf_table *t, const char *prefix, const char *after, size_t limit,
                       dlf_partition **out, size_t *n, mc_err *err)
{
    *out = NULL;
    *n = 0;
    char hi[300];
    prefix_bounds(prefix, hi, sizeof hi);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "SELECT spec, name, record_count, file_size, file_count, last_file_creation_time, created_at,"
                  " created_by, updated_at, updated_by, done, total_buckets FROM dlf_partitions"
                  " WHERE table_id = ? AND name > ? AND name >= ? AND name < ? ORDER BY name LIMIT ?",
                  "ssssi", t->key, after ? after : "", prefix ? prefix : "", hi, (int64_t)limit);
    if (rc == 0)
        rc = collect_partitions(s, st, out, n, err);
    emu_state_unlock(s);
    return rc;
}

void dlf_partitions_free(dlf_partition *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].spec);
        free(p[i].name);
    }
    free(p);
}

int dlf_partitions_by_name(emu_state *s, const dlf_table *t, char *const *names, size_t nn, dlf_partition **out,
                           size_t *n, mc_err *err)
{
    *out = NULL;
    *n = 0;
    json_t *a = json_array();
    for (size_t i = 0; i < nn; i++)
        json_array_append_new(a, json_string(names[i]));
    char *list = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "SELECT spec, name, record_count, file_size, file_count, last_file_creation_time, created_at,"
                  " created_by, updated_at, updated_by, done, total_buckets FROM dlf_partitions"
                  " WHERE table_id = ? AND name IN (SELECT value FROM json_each(?)) ORDER BY name",
                  "ss", t->key, list);
    if (rc == 0)
        rc = collect_partitions(s, st, out, n, err);
    emu_state_unlock(s);
    free(list);
    return rc;
}

/* Applies one statistics value: replace or add when known (>= 0), else keep
 * (CreatePartitionsRequest.replaceStatistics in the OpenAPI document). */
#define STAT_SET(col) col " = CASE WHEN ? < 0 THEN " col " WHEN ? THEN ? ELSE " col " + ? END"

int dlf_partitions_create(emu_state *s, const dlf_table *t, const dlf_partition_delta *p, size_t n,
                          const bool *has_stats, bool replace, bool ignore_if_exists, const char *principal,
                          bool *existed, mc_err *err)
{
    int64_t now = mc_now_ms();
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int changes = 0;
        rc = run(s, err, &changes,
                 "INSERT OR IGNORE INTO dlf_partitions(table_id, name, spec, record_count, file_size, file_count,"
                 " last_file_creation_time, created_at, created_by, updated_at, updated_by)"
                 " VALUES (?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?)",
                 "sssisis", t->key, p[i].name, p[i].spec, now, principal, now, principal);
        existed[i] = rc == 0 && changes == 0;
        if (rc == 0 && existed[i] && !ignore_if_exists)
            rc = mc_err_set(err, MC_ERR_EXISTS, "Partition %s of table %s.%s already exists.", p[i].name,
                            t->database, t->name);
        if (rc == 0 && has_stats[i]) {
            int64_t r = replace;
            rc = run(s, err, NULL,
                     "UPDATE dlf_partitions SET " STAT_SET("record_count") ", " STAT_SET("file_size")
                     ", " STAT_SET("file_count") ", last_file_creation_time = CASE WHEN ? < 0 THEN"
                     " last_file_creation_time WHEN ? THEN ? ELSE max(last_file_creation_time, ?) END"
                     ", total_buckets = CASE WHEN ? < 0 THEN total_buckets ELSE ? END, updated_at = ?,"
                     " updated_by = ? WHERE table_id = ? AND name = ?",
                     "iiii" "iiii" "iiii" "iiii" "iiisss", p[i].record_count, r, p[i].record_count,
                     p[i].record_count, p[i].file_size, r, p[i].file_size, p[i].file_size, p[i].file_count, r,
                     p[i].file_count, p[i].file_count, p[i].last_file_creation_time, r,
                     p[i].last_file_creation_time, p[i].last_file_creation_time, (int64_t)p[i].total_buckets,
                     (int64_t)p[i].total_buckets, now, principal, t->key, p[i].name);
        }
    }
    return finish(s, rc, err);
}

int dlf_partitions_drop(emu_state *s, const dlf_table *t, char *const *names, size_t n, bool ignore_missing,
                        bool *dropped, mc_err *err)
{
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int changes = 0;
        rc = run(s, err, &changes, "DELETE FROM dlf_partitions WHERE table_id = ? AND name = ?", "ss", t->key,
                 names[i]);
        dropped[i] = rc == 0 && changes > 0;
        if (rc == 0 && !dropped[i] && !ignore_missing)
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Partition %s of table %s.%s does not exist.", names[i],
                            t->database, t->name);
    }
    return finish(s, rc, err);
}

int dlf_partitions_mark_done(emu_state *s, const dlf_table *t, char *const *names, size_t n, const char *principal,
                             mc_err *err)
{
    int64_t now = mc_now_ms();
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = run(s, err, NULL,
                 "UPDATE dlf_partitions SET done = 1, updated_at = ?, updated_by = ? WHERE table_id = ? AND name = ?",
                 "isss", now, principal, t->key, names[i]);
    return finish(s, rc, err);
}

/* ---- schemas and rollback ------------------------------------------------------- */

int dlf_schema_get(emu_state *s, const dlf_table *t, int64_t id, char **json, mc_err *err)
{
    *json = NULL;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, "SELECT schema FROM dlf_schemas WHERE table_id = ? AND id = ?", "si", t->key, id);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            *json = col_dup(st, 0);
        else if (step == SQLITE_DONE)
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Schema %lld does not exist.", (long long)id);
        else
            rc = emu_state_err(s, err, "dlf schema");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

/* The first row's integer columns 0 and 1, if any. */
static int first_pair(emu_state *s, mc_err *err, bool *found, int64_t *a, int64_t *b, const char *sql,
                      const char *fmt, const char *id, int64_t v)
{
    sqlite3_stmt *st;
    *found = false;
    if (prep(s, &st, err, sql, fmt, id, v))
        return -1;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *found = true;
        *a = sqlite3_column_int64(st, 0);
        *b = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : emu_state_err(s, err, "dlf schema");
}

int dlf_table_rollback_schema(emu_state *s, const dlf_table *t, int64_t schema_id, const char *schema_json,
                              int32_t highest_field_id, const char *principal, mc_err *err)
{
    emu_state_lock(s);
    bool found = false;
    int64_t snap = 0, sid = 0;
    int changes = 0;
    int rc = emu_state_begin(s, err);
    /* Java's SchemaManager.rollbackTo refuses while a snapshot or tag still
     * reads a newer schema. */
    if (rc == 0)
        rc = first_pair(s, err, &found, &snap, &sid,
                        "SELECT id, json_extract(json, '$.schemaId') FROM dlf_snapshots WHERE table_id = ?"
                        " AND json_extract(json, '$.schemaId') > ? ORDER BY id LIMIT 1",
                        "si", t->key, schema_id);
    if (rc == 0 && found)
        rc = mc_err_set(err, MC_ERR_INVALID, "Cannot rollback to schema %lld, snapshot %lld references schema %lld.",
                        (long long)schema_id, (long long)snap, (long long)sid);
    if (rc == 0)
        rc = first_pair(s, err, &found, &snap, &sid,
                        "SELECT snapshot_id, json_extract(snapshot, '$.schemaId') FROM dlf_tags WHERE table_id = ?"
                        " AND json_extract(snapshot, '$.schemaId') > ? ORDER BY snapshot_id LIMIT 1",
                        "si", t->key, schema_id);
    if (rc == 0 && found)
        rc = mc_err_set(err, MC_ERR_INVALID,
                        "Cannot rollback to schema %lld, a tag of snapshot %lld references schema %lld.",
                        (long long)schema_id, (long long)snap, (long long)sid);
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET schema_id = ?, schema = ?, highest_field_id = ?, updated_at = ?, updated_by = ?"
             " WHERE id = ? AND schema_id = ?",
             head_table(t));
    if (rc == 0)
        rc = run(s, err, &changes, sql, "isiissi", schema_id, schema_json, (int64_t)highest_field_id, mc_now_ms(),
                 principal, t->key, t->schema_id);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_CONFLICT, "Table %s.%s was altered concurrently.", t->database, t->name);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_schemas WHERE table_id = ? AND id > ?", "si", t->key, schema_id);
    return finish(s, rc, err);
}

int dlf_table_rollback(emu_state *s, const dlf_table *t, int64_t to_id, const char *to_json, const char *principal,
                       char ***dropped_tags, size_t *ndropped, mc_err *err)
{
    *dropped_tags = NULL;
    *ndropped = 0;
    json_t *snap = json_loads(to_json, 0, NULL);
    const char *uuid = json_string_value(json_object_get(snap, "uuid"));
    emu_state_lock(s);
    int changes = 0;
    int rc = emu_state_begin(s, err);
    /* Take the later commits' statistics back out of partitions and table. */
    if (rc == 0)
        rc = run(s, err, NULL,
                 "UPDATE dlf_partitions AS p SET record_count = p.record_count - d.r, file_size = p.file_size - d.z,"
                 " file_count = p.file_count - d.f, updated_at = ?, updated_by = ?"
                 " FROM (SELECT name, sum(record_count) AS r, sum(file_size) AS z, sum(file_count) AS f"
                 "       FROM dlf_snapshot_stats WHERE table_id = ? AND snapshot_id > ? GROUP BY name) AS d"
                 " WHERE p.table_id = ? AND p.name = d.name",
                 "issis", mc_now_ms(), principal, t->key, to_id, t->key);
    if (rc == 0)
        rc = run(s, err, NULL,
                 "DELETE FROM dlf_partitions WHERE table_id = ? AND record_count <= 0 AND file_count <= 0 AND name IN"
                 " (SELECT name FROM dlf_snapshot_stats WHERE table_id = ? AND snapshot_id > ?)",
                 "ssi", t->key, t->key, to_id);
    char sql[700];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET latest_snapshot = ?1, latest_uuid = ?2,"
             " record_count = record_count - (SELECT coalesce(sum(record_count), 0) FROM dlf_snapshot_stats"
             "   WHERE table_id = ?3 AND snapshot_id > ?1),"
             " file_size = file_size - (SELECT coalesce(sum(file_size), 0) FROM dlf_snapshot_stats"
             "   WHERE table_id = ?3 AND snapshot_id > ?1),"
             " file_count = file_count - (SELECT coalesce(sum(file_count), 0) FROM dlf_snapshot_stats"
             "   WHERE table_id = ?3 AND snapshot_id > ?1),"
             " updated_at = ?4, updated_by = ?5 WHERE id = ?3 AND latest_snapshot = ?6",
             head_table(t));
    if (rc == 0)
        rc = run(s, err, &changes, sql, "izsisi", to_id, uuid, t->key, mc_now_ms(), principal, t->latest_snapshot);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_CONFLICT, "Table %s.%s was committed to concurrently.", t->database, t->name);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_snapshot_stats WHERE table_id = ? AND snapshot_id > ?", "si", t->key,
                 to_id);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_snapshots WHERE table_id = ? AND id > ?", "si", t->key, to_id);
    /* A tag's snapshot may be older than the earliest kept one. */
    if (rc == 0)
        rc = run(s, err, NULL, "INSERT OR IGNORE INTO dlf_snapshots(table_id, id, uuid, json) VALUES (?, ?, ?, ?)",
                 "sizs", t->key, to_id, uuid, to_json);
    /* Rolling back drops the tags of the dropped snapshots, as Java's RollbackHelper does. */
    sqlite3_stmt *st;
    if (rc == 0 && (rc = prep(s, &st, err, "SELECT name FROM dlf_tags WHERE table_id = ? AND snapshot_id > ?"
                                           " ORDER BY name", "si", t->key, to_id)) == 0)
        rc = collect_names(s, st, dropped_tags, ndropped, err);
    if (rc == 0)
        rc = run(s, err, NULL, "DELETE FROM dlf_tags WHERE table_id = ? AND snapshot_id > ?", "si", t->key, to_id);
    rc = finish(s, rc, err);
    json_decref(snap);
    if (rc) {
        dlf_strings_free(*dropped_tags, *ndropped);
        *dropped_tags = NULL;
        *ndropped = 0;
    }
    return rc;
}

/* ---- tags ----------------------------------------------------------------------- */

void dlf_tag_clear(dlf_tag *g)
{
    free(g->name);
    free(g->snapshot);
    free(g->time_retained);
    memset(g, 0, sizeof *g);
}

int dlf_tag_create(emu_state *s, const dlf_table *t, const char *name, int64_t snapshot_id, const char *snapshot_json,
                   const char *time_retained, mc_err *err)
{
    emu_state_lock(s);
    int rc = run(s, err, NULL,
                 "INSERT INTO dlf_tags(table_id, name, snapshot_id, snapshot, create_time, time_retained)"
                 " VALUES (?, ?, ?, ?, ?, ?)",
                 "ssisiz", t->key, name, snapshot_id, snapshot_json, mc_now_ms(), time_retained);
    emu_state_unlock(s);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "Tag %s of table %s.%s already exists.", name, t->database, t->name);
    return rc;
}

int dlf_tag_get(emu_state *s, const dlf_table *t, const char *name, dlf_tag *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err,
                  "SELECT name, snapshot_id, snapshot, create_time, time_retained FROM dlf_tags"
                  " WHERE table_id = ? AND name = ?",
                  "ss", t->key, name);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            out->name = col_dup(st, 0);
            out->snapshot_id = sqlite3_column_int64(st, 1);
            out->snapshot = col_dup(st, 2);
            out->create_time = sqlite3_column_int64(st, 3);
            out->time_retained = col_dup(st, 4);
        } else if (step == SQLITE_DONE) {
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Tag %s of table %s.%s does not exist.", name, t->database,
                            t->name);
        } else {
            rc = emu_state_err(s, err, "dlf tag");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_tag_drop(emu_state *s, const dlf_table *t, const char *name, mc_err *err)
{
    emu_state_lock(s);
    int changes = 0;
    int rc = run(s, err, &changes, "DELETE FROM dlf_tags WHERE table_id = ? AND name = ?", "ss", t->key, name);
    emu_state_unlock(s);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Tag %s of table %s.%s does not exist.", name, t->database, t->name);
    return rc;
}

int dlf_tag_list(emu_state *s, const dlf_table *t, const char *prefix, const char *after, size_t limit,
                 char ***names, size_t *n, mc_err *err)
{
    return name_page(s, "dlf_tags", "table_id = ?", t->key, NULL, prefix, after, limit, names, n, err);
}

/* ---- branches ------------------------------------------------------------------- */

static void branch_key(char *out, size_t cap, const dlf_table *t, const char *name)
{
    snprintf(out, cap, "%s$branch_%s", t->id, name);
}

int dlf_branch_list(emu_state *s, const dlf_table *t, char ***names, size_t *n, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, "SELECT name FROM dlf_branches WHERE table_id = ? ORDER BY name", "s", t->id);
    if (rc == 0)
        rc = collect_names(s, st, names, n, err);
    emu_state_unlock(s);
    return rc;
}

int dlf_branch_create(emu_state *s, const dlf_table *t, const char *name, const dlf_tag *from, const char *principal,
                      mc_err *err)
{
    assert(!t->branch[0]);
    char key[200];
    branch_key(key, sizeof key, t, name);
    json_t *snap = from ? json_loads(from->snapshot, 0, NULL) : NULL;
    int64_t schema_id = from ? json_integer_value(json_object_get(snap, "schemaId")) : t->schema_id;
    int64_t upto = from ? from->snapshot_id : 0;
    const char *uuid = json_string_value(json_object_get(snap, "uuid"));
    int64_t now = mc_now_ms();
    int changes = 0;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    /* The head: the schema it starts from, the statistics of the commits up to the tag. */
    if (rc == 0)
        rc = run(s, err, &changes,
                 "INSERT INTO dlf_branches(id, table_id, name, schema_id, schema, highest_field_id, latest_snapshot,"
                 " latest_uuid, record_count, file_size, file_count, last_file_creation_time, created_at, created_by,"
                 " updated_at, updated_by)"
                 " SELECT ?1, ?2, ?3, ?4, schema, ?5, ?6, ?7,"
                 " (SELECT coalesce(sum(record_count), 0) FROM dlf_snapshot_stats WHERE table_id = ?2"
                 "   AND snapshot_id <= ?6),"
                 " (SELECT coalesce(sum(file_size), 0) FROM dlf_snapshot_stats WHERE table_id = ?2"
                 "   AND snapshot_id <= ?6),"
                 " (SELECT coalesce(sum(file_count), 0) FROM dlf_snapshot_stats WHERE table_id = ?2"
                 "   AND snapshot_id <= ?6),"
                 " ?8, ?9, ?10, ?9, ?10 FROM dlf_schemas WHERE table_id = ?2 AND id = ?4",
                 "sssiiizii" "s", key, t->id, name, schema_id, (int64_t)t->highest_field_id, upto, uuid,
                 from ? t->last_file_creation_time : (int64_t)0, now, principal);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "Branch name '%s' already exists.", name);
    else if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Schema %lld of table %s.%s does not exist.", (long long)schema_id,
                        t->database, t->base);
    if (rc == 0)
        rc = run(s, err, NULL,
                 "INSERT INTO dlf_schemas(table_id, id, schema) SELECT ?1, id, schema FROM dlf_schemas"
                 " WHERE table_id = ?2 AND id <= ?3",
                 "ssi", key, t->id, schema_id);
    if (rc == 0 && from) {
        rc = run(s, err, NULL, "INSERT INTO dlf_snapshots(table_id, id, uuid, json) VALUES (?, ?, ?, ?)", "sizs", key,
                 upto, uuid, from->snapshot);
        if (rc == 0)
            rc = run(s, err, NULL,
                     "INSERT INTO dlf_snapshot_stats(table_id, snapshot_id, name, record_count, file_size, file_count,"
                     " spec) SELECT ?1, snapshot_id, name, record_count, file_size, file_count, spec"
                     " FROM dlf_snapshot_stats WHERE table_id = ?2 AND snapshot_id <= ?3",
                     "ssi", key, t->id, upto);
        /* The partitions as of the tag: the commits' deltas up to it, each
         * with its spec (older commits kept none: the table's row has it). */
        if (rc == 0)
            rc = run(s, err, NULL,
                     "INSERT INTO dlf_partitions(table_id, name, spec, record_count, file_size, file_count,"
                     " last_file_creation_time, created_at, created_by, updated_at, updated_by)"
                     " SELECT ?1, name, spec, r, z, f, 0, ?4, ?5, ?4, ?5 FROM"
                     " (SELECT d.name AS name, coalesce(max(d.spec), (SELECT p.spec FROM dlf_partitions AS p"
                     "   WHERE p.table_id = ?2 AND p.name = d.name)) AS spec, sum(d.record_count) AS r,"
                     "   sum(d.file_size) AS z, sum(d.file_count) AS f FROM dlf_snapshot_stats AS d"
                     "   WHERE d.table_id = ?2 AND d.snapshot_id <= ?3 GROUP BY d.name)"
                     " WHERE spec IS NOT NULL AND (r > 0 OR f > 0)",
                     "ssiis", key, t->id, upto, now, principal);
        if (rc == 0)
            rc = run(s, err, NULL,
                     "INSERT INTO dlf_tags(table_id, name, snapshot_id, snapshot, create_time, time_retained)"
                     " SELECT ?1, name, snapshot_id, snapshot, create_time, time_retained FROM dlf_tags"
                     " WHERE table_id = ?2 AND name = ?3",
                     "sss", key, t->id, from->name);
    }
    json_decref(snap);
    return finish(s, rc, err);
}

/* Deletes (to_key NULL) or re-keys every row of a branch's state. */
static int rekey_state(emu_state *s, const char *key, const char *to_key, mc_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < NPER_KEY && rc == 0; i++) {
        char sql[200];
        if (to_key) {
            snprintf(sql, sizeof sql, "UPDATE %s SET table_id = ? WHERE table_id = ?", PER_KEY[i]);
            rc = run(s, err, NULL, sql, "ss", to_key, key);
        } else {
            snprintf(sql, sizeof sql, "DELETE FROM %s WHERE table_id = ?", PER_KEY[i]);
            rc = run(s, err, NULL, sql, "s", key);
        }
    }
    return rc;
}

int dlf_branch_drop(emu_state *s, const dlf_table *t, const char *name, mc_err *err)
{
    char key[200];
    branch_key(key, sizeof key, t, name);
    int changes = 0;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = run(s, err, &changes, "DELETE FROM dlf_branches WHERE id = ?", "s", key);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Branch name '%s' doesn't exist.", name);
    if (rc == 0)
        rc = rekey_state(s, key, NULL, err);
    return finish(s, rc, err);
}

int dlf_branch_rename(emu_state *s, const dlf_table *t, const char *from, const char *to, mc_err *err)
{
    char key[200], to_key[200];
    branch_key(key, sizeof key, t, from);
    branch_key(to_key, sizeof to_key, t, to);
    int changes = 0;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = run(s, err, &changes, "UPDATE dlf_branches SET id = ?, name = ? WHERE id = ?", "sss", to_key, to, key);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "Branch name '%s' already exists.", to);
    else if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Branch name '%s' doesn't exist.", from);
    if (rc == 0)
        rc = rekey_state(s, key, to_key, err);
    return finish(s, rc, err);
}

int dlf_branch_forward(emu_state *s, const dlf_table *t, const char *name, const char *principal,
                       dlf_forward_result *out, mc_err *err)
{
    assert(!t->branch[0]);
    memset(out, 0, sizeof *out);
    char key[200];
    branch_key(key, sizeof key, t, name);
    bool found;
    int64_t first = 0, schema = 0, ignored;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    if (rc == 0)
        rc = first_pair(s, err, &found, &ignored, &ignored, "SELECT 0, 0 FROM dlf_branches WHERE id = ? AND ? = 0",
                        "si", key, 0);
    if (rc == 0 && !found)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "Branch name '%s' doesn't exist.", name);
    if (rc == 0)
        rc = first_pair(s, err, &found, &first, &schema,
                        "SELECT id, json_extract(json, '$.schemaId') FROM dlf_snapshots WHERE table_id = ? AND id > ?"
                        " ORDER BY id LIMIT 1",
                        "si", key, 0);
    if (rc == 0 && !found)
        rc = mc_err_set(err, MC_ERR_INVALID, "Cannot fast forward branch %s, because it does not have snapshot.",
                        name);
    sqlite3_stmt *st;
    if (rc == 0 && (rc = prep(s, &st, err, "SELECT name FROM dlf_tags WHERE table_id = ? AND snapshot_id >= ?"
                                           " ORDER BY name", "si", t->id, first)) == 0)
        rc = collect_names(s, st, &out->dropped_tags, &out->ndropped, err);
    static const char *const steps[] = {
        "DELETE FROM dlf_snapshots WHERE table_id = ?1 AND id >= ?3",
        "DELETE FROM dlf_snapshot_stats WHERE table_id = ?1 AND snapshot_id >= ?3",
        "DELETE FROM dlf_tags WHERE table_id = ?1 AND snapshot_id >= ?3",
        "DELETE FROM dlf_schemas WHERE table_id = ?1 AND id >= ?4",
        "DELETE FROM dlf_partitions WHERE table_id = ?1",
        "INSERT OR REPLACE INTO dlf_snapshots(table_id, id, uuid, json) SELECT ?1, id, uuid, json"
        " FROM dlf_snapshots WHERE table_id = ?2",
        "INSERT INTO dlf_snapshot_stats(table_id, snapshot_id, name, record_count, file_size, file_count, spec)"
        " SELECT ?1, snapshot_id, name, record_count, file_size, file_count, spec FROM dlf_snapshot_stats"
        " WHERE table_id = ?2 AND snapshot_id >= ?3",
        "INSERT OR REPLACE INTO dlf_tags(table_id, name, snapshot_id, snapshot, create_time, time_retained)"
        " SELECT ?1, name, snapshot_id, snapshot, create_time, time_retained FROM dlf_tags WHERE table_id = ?2",
        "INSERT OR REPLACE INTO dlf_schemas(table_id, id, schema) SELECT ?1, id, schema FROM dlf_schemas"
        " WHERE table_id = ?2",
        "INSERT INTO dlf_partitions(table_id, name, spec, record_count, file_size, file_count,"
        " last_file_creation_time, created_at, created_by, updated_at, updated_by, done, total_buckets)"
        " SELECT ?1, name, spec, record_count, file_size, file_count, last_file_creation_time, created_at,"
        " created_by, updated_at, updated_by, done, total_buckets FROM dlf_partitions WHERE table_id = ?2",
        "UPDATE dlf_tables SET schema_id = b.schema_id, schema = b.schema,"
        " highest_field_id = max(dlf_tables.highest_field_id, b.highest_field_id),"
        " latest_snapshot = b.latest_snapshot, latest_uuid = b.latest_uuid, record_count = b.record_count,"
        " file_size = b.file_size, file_count = b.file_count, last_file_creation_time = b.last_file_creation_time,"
        " updated_at = ?5, updated_by = ?6 FROM dlf_branches AS b WHERE b.id = ?2 AND dlf_tables.id = ?1",
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps && rc == 0; i++)
        rc = run(s, err, NULL, steps[i], "ssiiis", t->id, key, first, schema, mc_now_ms(), principal);
    out->earliest_snapshot = first;
    out->earliest_schema = schema;
    rc = finish(s, rc, err);
    if (rc) {
        dlf_strings_free(out->dropped_tags, out->ndropped);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

/* ---- registering an existing table ---------------------------------------------- */

int dlf_table_register(emu_state *s, const dlf_catalog_info *c, const char *db, const char *name, const char *path,
                       const dlf_table_history *h, const char *principal, mc_err *err)
{
    int64_t current = -1;
    for (size_t i = 0; i < h->nschemas; i++)
        if (h->schemas[i])
            current = (int64_t)i;
    if (current < 0)
        return mc_err_set(err, MC_ERR_INVALID, "No schema file under %s/schema/.", path);
    char id[37];
    uuid4(id);
    json_t *latest = h->nsnapshots ? json_loads(h->snapshots[h->nsnapshots - 1], 0, NULL) : NULL;
    int64_t now = mc_now_ms();
    bool found;
    int64_t ignored;
    emu_state_lock(s);
    int rc = emu_state_begin(s, err);
    /* Statistics start from what the latest snapshot records (its total
     * record count); file sizes and counts are not in snapshots. */
    if (rc == 0)
        rc = run(s, err, NULL,
                 "INSERT INTO dlf_tables(catalog, db, name, id, path, schema_id, schema, highest_field_id,"
                 " latest_snapshot, latest_uuid, record_count, owner, created_at, created_by, updated_at, updated_by)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 "sssss" "isiizi" "sisis", c->name, db, name, id, path, current, h->schemas[current],
                 (int64_t)h->highest_field_id, json_integer_value(json_object_get(latest, "id")),
                 json_string_value(json_object_get(latest, "uuid")),
                 json_integer_value(json_object_get(latest, "totalRecordCount")), principal, now, principal, now,
                 principal);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "Table %s.%s already exists.", db, name);
    /* id is ours (a UUID), so it may stand in the statement's text. */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT 0, 0 FROM dlf_tables WHERE path = ? AND ? = 0 AND id <> '%s'", id);
    if (rc == 0)
        rc = first_pair(s, err, &found, &ignored, &ignored, sql, "si", path, 0);
    if (rc == 0 && found)
        rc = mc_err_set(err, MC_ERR_INVALID, "Path %s already belongs to a table of the catalog.", path);
    for (size_t i = 0; i < h->nschemas && rc == 0; i++)
        if (h->schemas[i])
            rc = run(s, err, NULL, "INSERT INTO dlf_schemas(table_id, id, schema) VALUES (?, ?, ?)", "sis", id,
                     (int64_t)i, h->schemas[i]);
    for (size_t i = 0; i < h->nsnapshots && rc == 0; i++) {
        json_t *sn = json_loads(h->snapshots[i], 0, NULL);
        rc = run(s, err, NULL, "INSERT INTO dlf_snapshots(table_id, id, uuid, json) VALUES (?, ?, ?, ?)", "sizs", id,
                 json_integer_value(json_object_get(sn, "id")), json_string_value(json_object_get(sn, "uuid")),
                 h->snapshots[i]);
        json_decref(sn);
    }
    for (size_t i = 0; i < h->ntags && rc == 0; i++) {
        json_t *sn = json_loads(h->tags[i], 0, NULL);
        rc = run(s, err, NULL,
                 "INSERT INTO dlf_tags(table_id, name, snapshot_id, snapshot, create_time) VALUES (?, ?, ?, ?, ?)",
                 "ssisi", id, h->tag_names[i], json_integer_value(json_object_get(sn, "id")), h->tags[i], now);
        json_decref(sn);
    }
    json_decref(latest);
    return finish(s, rc, err);
}

/* ---- views and functions -------------------------------------------------------- */

static const char *object_table(dlf_object_kind k)
{
    return k == DLF_OBJ_VIEW ? "dlf_views" : "dlf_functions";
}

static const char *object_word(dlf_object_kind k)
{
    return k == DLF_OBJ_VIEW ? "View" : "Function";
}

void dlf_object_clear(dlf_object *o)
{
    free(o->body);
    memset(o, 0, sizeof *o);
}

int dlf_object_create(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                      const char *body, const char *principal, mc_err *err)
{
    char id[37], sql[300];
    uuid4(id);
    int64_t now = mc_now_ms();
    snprintf(sql, sizeof sql,
             "INSERT INTO %s(catalog, db, name, id, body, owner, created_at, created_by, updated_at, updated_by)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             object_table(k));
    emu_state_lock(s);
    int rc = run(s, err, NULL, sql, "ssssssisis", c->name, db, name, id, body, principal, now, principal, now,
                 principal);
    emu_state_unlock(s);
    if (rc && err->code == MC_ERR_EXISTS)
        mc_err_set(err, MC_ERR_EXISTS, "%s %s.%s already exists.", object_word(k), db, name);
    return rc;
}

int dlf_object_get(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                   dlf_object *out, mc_err *err)
{
    memset(out, 0, sizeof *out);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT id, db, name, body, owner, created_at, created_by, updated_at, updated_by FROM %s"
             " WHERE catalog = ? AND db = ? AND name = ?",
             object_table(k));
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, sql, "sss", c->name, db, name);
    if (rc == 0) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            col_copy(out->id, sizeof out->id, st, 0);
            col_copy(out->database, sizeof out->database, st, 1);
            col_copy(out->name, sizeof out->name, st, 2);
            out->body = col_dup(st, 3);
            col_copy(out->audit.owner, sizeof out->audit.owner, st, 4);
            out->audit.created_at = sqlite3_column_int64(st, 5);
            col_copy(out->audit.created_by, sizeof out->audit.created_by, st, 6);
            out->audit.updated_at = sqlite3_column_int64(st, 7);
            col_copy(out->audit.updated_by, sizeof out->audit.updated_by, st, 8);
        } else if (step == SQLITE_DONE) {
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "%s %s.%s does not exist.", object_word(k), db, name);
        } else {
            rc = emu_state_err(s, err, "dlf object");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s);
    return rc;
}

int dlf_object_update(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                      const char *body, const char *principal, mc_err *err)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET body = ?, updated_at = ?, updated_by = ? WHERE catalog = ? AND db = ? AND name = ?",
             object_table(k));
    emu_state_lock(s);
    int changes = 0;
    int rc = run(s, err, &changes, sql, "sissss", body, mc_now_ms(), principal, c->name, db, name);
    emu_state_unlock(s);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "%s %s.%s does not exist.", object_word(k), db, name);
    return rc;
}

int dlf_object_drop(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                    mc_err *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE catalog = ? AND db = ? AND name = ?", object_table(k));
    emu_state_lock(s);
    int changes = 0;
    int rc = run(s, err, &changes, sql, "sss", c->name, db, name);
    emu_state_unlock(s);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "%s %s.%s does not exist.", object_word(k), db, name);
    return rc;
}

int dlf_object_rename(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *name,
                      const char *to_db, const char *to_name, const char *principal, mc_err *err)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE %s SET db = ?, name = ?, updated_at = ?, updated_by = ? WHERE catalog = ? AND db = ? AND name = ?",
             object_table(k));
    emu_state_lock(s);
    int changes = 0;
    int rc = run(s, err, &changes, sql, "ssissss", to_db, to_name, mc_now_ms(), principal, c->name, db, name);
    emu_state_unlock(s);
    if (rc && err->code == MC_ERR_EXISTS)
        return mc_err_set(err, MC_ERR_EXISTS, "%s %s.%s already exists.", object_word(k), to_db, to_name);
    if (rc == 0 && changes == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "%s %s.%s does not exist.", object_word(k), db, name);
    return rc;
}

int dlf_object_list(emu_state *s, const dlf_catalog_info *c, dlf_object_kind k, const char *db, const char *prefix,
                    const char *after, size_t limit, char ***names, size_t *n, mc_err *err)
{
    return name_page(s, object_table(k), "catalog = ? AND db = ?", c->name, db, prefix, after, limit, names, n,
                     err);
}

int dlf_list_global(emu_state *s, const dlf_catalog_info *c, dlf_global_kind k, const char *dbs_json,
                    const dlf_name_filter *dbf, const dlf_name_filter *nf, const char *after, size_t limit,
                    char ***dbs, char ***names, size_t *n, mc_err *err)
{
    static const char *const tables[] = {"dlf_tables", "dlf_views", "dlf_functions"};
    char dhi[300], nhi[300], sql[700];
    prefix_bounds(dbf->prefix, dhi, sizeof dhi);
    prefix_bounds(nf->prefix, nhi, sizeof nhi);
    /* Page token: "<db>.<name>" of the last entry, the order of the Java mock (§5). */
    snprintf(sql, sizeof sql,
             "SELECT db, name FROM %s WHERE catalog = ?1 AND db IN (SELECT value FROM json_each(?2))"
             " AND db || '.' || name > ?3 AND (?4 IS NULL OR db = ?4) AND db >= ?5 AND db < ?6"
             " AND (?7 IS NULL OR name = ?7) AND name >= ?8 AND name < ?9 ORDER BY db || '.' || name LIMIT ?10",
             tables[k]);
    *dbs = *names = NULL;
    *n = 0;
    sqlite3_stmt *st;
    emu_state_lock(s);
    int rc = prep(s, &st, err, sql, "sssz" "ss" "z" "ssi", c->name, dbs_json, after ? after : "", dbf->exact,
                  dbf->prefix ? dbf->prefix : "", dhi, nf->exact, nf->prefix ? nf->prefix : "", nhi, (int64_t)limit);
    if (rc == 0) {
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            *dbs = mc_realloc(*dbs, (*n + 1) * sizeof **dbs);
            *names = mc_realloc(*names, (*n + 1) * sizeof **names);
            (*dbs)[*n] = col_dup(st, 0);
            (*names)[(*n)++] = col_dup(st, 1);
        }
        sqlite3_finalize(st);
        if (step != SQLITE_DONE) {
            dlf_strings_free(*dbs, *n);
            dlf_strings_free(*names, *n);
            *dbs = *names = NULL;
            *n = 0;
            rc = emu_state_err(s, err, "dlf list");
        }
    }
    emu_state_unlock(s);
    return rc;
}
