/* oss/store: see store.h. */
#include "oss/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "fsutil.h"
#include "log.h"
#include "timeutil.h"

struct oss_store {
    emu_state *state;
    char *root; /* <state>/oss */
};

struct oss_writer {
    oss_store *store;
    char *dir;
    char *tmp_path;
    char file_id[40];
    int fd;
    int64_t size;
    mc_md5_ctx *md5;
    uint64_t crc;
};

static const char *const MIGRATIONS[] = {
    "CREATE TABLE oss_buckets(name TEXT PRIMARY KEY, owner TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE oss_objects(bucket TEXT NOT NULL, key BLOB NOT NULL, file_id TEXT NOT NULL,"
    "  size INTEGER NOT NULL, etag TEXT NOT NULL, content_type TEXT NOT NULL, crc64 TEXT NOT NULL,"
    "  mtime_ms INTEGER NOT NULL, type TEXT NOT NULL, content_md5 TEXT NOT NULL, user_meta TEXT,"
    "  PRIMARY KEY(bucket, key));"
    "CREATE TABLE oss_uploads(upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key BLOB NOT NULL,"
    "  content_type TEXT, user_meta TEXT, created_ms INTEGER NOT NULL);"
    "CREATE TABLE oss_parts(upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, file_id TEXT NOT NULL,"
    "  size INTEGER NOT NULL, etag TEXT NOT NULL, md5 BLOB NOT NULL, crc64 TEXT NOT NULL,"
    "  mtime_ms INTEGER NOT NULL, PRIMARY KEY(upload_id, part_number));",
    /* 2: bucket ACLs (private | public-read | public-read-write). */
    "ALTER TABLE oss_buckets ADD COLUMN acl TEXT NOT NULL DEFAULT 'private';",
};

void oss_meta_clear(oss_meta *m)
{
    if (!m)
        return;
    free(m->user_meta);
    m->user_meta = NULL;
}

void oss_metas_free(oss_meta *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++)
        oss_meta_clear(&m[i]);
    free(m);
}

bool oss_bucket_name_valid(const char *name)
{
    /* reference/oss-api.md §9: 3-63 chars, lower-case letters, digits, '-', start/end alnum. */
    size_t n = strlen(name);
    if (n < 3 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !(c == '-' && i > 0 && i + 1 < n))
            return false;
    }
    return true;
}

int oss_key_validate(const char *key, size_t len, mc_err *err)
{
    if (len == 0 || len > 1023)
        return mc_err_set(err, MC_ERR_INVALID, "The Length of Object name must be between 1 and 1023.");
    if (memchr(key, '\0', len))
        return mc_err_set(err, MC_ERR_INVALID, "The object name must not contain a NUL character.");
    if (key[0] == '/' || key[0] == '\\')
        return mc_err_set(err, MC_ERR_INVALID, "The object name must not start with '/' or '\\'.");
    /* No ".." segment: keys never become paths here, but tools that map keys
     * to files (and clients' local mirrors) must not be led out of a tree. */
    for (size_t i = 0; i + 1 < len; i++)
        if (key[i] == '.' && key[i + 1] == '.' && (i == 0 || key[i - 1] == '/') &&
            (i + 2 == len || key[i + 2] == '/'))
            return mc_err_set(err, MC_ERR_INVALID, "The object name must not contain a '..' path segment.");
    return 0;
}

static char *bucket_dir(oss_store *s, const char *bucket)
{
    return mc_path_join(s->root, bucket);
}

char *oss_store_object_path(oss_store *s, const char *bucket, const oss_meta *m)
{
    return mc_asprintf("%s/%s/%s", s->root, bucket, m->file_id);
}

static void new_id(char out[40])
{
    uint8_t r[16];
    mc_random_bytes(r, sizeof r);
    mc_hex_upper(out, r, sizeof r);
}

static void remove_file(oss_store *s, const char *bucket, const char *file_id)
{
    char *p = mc_asprintf("%s/%s/%s", s->root, bucket, file_id);
    if (unlink(p) && errno != ENOENT)
        MC_LOGW("oss: removing %s: %s", p, strerror(errno));
    free(p);
}

/* Caller holds the lock. Whether a file id is referenced. */
static bool referenced(oss_store *s, const char *file_id)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s->state, &st,
                          "SELECT 1 FROM oss_objects WHERE file_id = ?1 UNION ALL SELECT 1 FROM oss_parts WHERE file_id = ?1",
                          NULL))
        return true; /* when unsure, keep the file */
    sqlite3_bind_text(st, 1, file_id, -1, SQLITE_STATIC);
    bool r = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return r;
}

/* Removes temporary files and files no metadata refers to (crash leftovers). */
static void sweep(oss_store *s)
{
    DIR *top = opendir(s->root);
    if (!top)
        return;
    struct dirent *b;
    emu_state_lock(s->state);
    while ((b = readdir(top))) {
        if (b->d_name[0] == '.')
            continue;
        char *dir = mc_path_join(s->root, b->d_name);
        DIR *d = opendir(dir);
        struct dirent *f;
        while (d && (f = readdir(d))) {
            if (!strcmp(f->d_name, ".") || !strcmp(f->d_name, ".."))
                continue;
            if (f->d_name[0] == '.' || !referenced(s, f->d_name)) {
                char *p = mc_path_join(dir, f->d_name);
                unlink(p);
                free(p);
            }
        }
        if (d)
            closedir(d);
        free(dir);
    }
    emu_state_unlock(s->state);
    closedir(top);
}

int oss_store_open(oss_store **out, const emu_env *env, mc_err *err)
{
    *out = NULL;
    if (emu_state_migrate(env->state, "oss", MIGRATIONS, (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err))
        return -1;
    oss_store *s = mc_calloc(1, sizeof *s);
    s->state = env->state;
    s->root = mc_path_join(env->state_dir, "oss");
    if (mc_mkdir_p(s->root, 0700, err)) {
        oss_store_close(s);
        return -1;
    }
    sweep(s);
    *out = s;
    return 0;
}

void oss_store_close(oss_store *s)
{
    if (!s)
        return;
    free(s->root);
    free(s);
}

/* ---- buckets -------------------------------------------------------------- */

int oss_store_bucket_create(oss_store *s, const char *bucket, const char *owner, mc_err *err)
{
    char *dir = bucket_dir(s, bucket);
    int rc = mc_mkdir_p(dir, 0700, err);
    free(dir);
    if (rc)
        return -1;
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    rc = emu_state_prepare(s->state, &st, "INSERT INTO oss_buckets(name, owner, created_ms) VALUES (?, ?, ?)", err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, mc_now_ms());
        int step = sqlite3_step(st);
        if (step == SQLITE_CONSTRAINT)
            rc = mc_err_set(err, MC_ERR_EXISTS, "bucket %s already exists", bucket);
        else if (step != SQLITE_DONE)
            rc = emu_state_err(s->state, err, "create bucket");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

bool oss_acl_valid(const char *acl)
{
    return !strcmp(acl, "private") || !strcmp(acl, "public-read") || !strcmp(acl, "public-read-write");
}

int oss_store_bucket_acl(oss_store *s, const char *bucket, char acl[32], mc_err *err)
{
    sqlite3_stmt *st;
    snprintf(acl, 32, "private");
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st, "SELECT acl FROM oss_buckets WHERE name = ?", err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(acl, 32, "%s", (const char *)sqlite3_column_text(st, 0));
        else
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "bucket %s does not exist", bucket);
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

int oss_store_bucket_set_acl(oss_store *s, const char *bucket, const char *acl, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st, "UPDATE oss_buckets SET acl = ? WHERE name = ?", err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, acl, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, bucket, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s->state, err, "bucket acl");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

int oss_store_bucket_get(oss_store *s, const char *bucket, int64_t *created_ms, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st, "SELECT created_ms FROM oss_buckets WHERE name = ?", err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (created_ms)
                *created_ms = sqlite3_column_int64(st, 0);
        } else {
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "The specified bucket does not exist.");
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

int oss_store_bucket_delete(oss_store *s, const char *bucket, mc_err *err)
{
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st,
                               "SELECT (SELECT count(*) FROM oss_buckets WHERE name = ?1),"
                               " (SELECT count(*) FROM oss_objects WHERE bucket = ?1)"
                               " + (SELECT count(*) FROM oss_uploads WHERE bucket = ?1)",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
        sqlite3_step(st);
        int exists = sqlite3_column_int(st, 0), used = sqlite3_column_int(st, 1);
        sqlite3_finalize(st);
        if (!exists)
            rc = mc_err_set(err, MC_ERR_NOT_FOUND, "The specified bucket does not exist.");
        else if (used)
            rc = mc_err_set(err, MC_ERR_CONFLICT, "The bucket has objects. Please delete them first.");
        else if (emu_state_prepare(s->state, &st, "DELETE FROM oss_buckets WHERE name = ?", err) == 0) {
            sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s->state, err, "delete bucket");
            sqlite3_finalize(st);
        } else {
            rc = -1;
        }
    }
    emu_state_unlock(s->state);
    if (rc == 0) {
        char *dir = bucket_dir(s, bucket);
        mc_rm_rf(dir);
        free(dir);
    }
    return rc;
}

int oss_store_bucket_list(oss_store *s, oss_bucket_info **out, size_t *n, mc_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st, "SELECT name, created_ms FROM oss_buckets ORDER BY name", err);
    if (rc == 0) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            *out = mc_realloc(*out, (*n + 1) * sizeof **out);
            snprintf((*out)[*n].name, sizeof (*out)[*n].name, "%s", sqlite3_column_text(st, 0));
            (*out)[*n].created_ms = sqlite3_column_int64(st, 1);
            (*n)++;
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

/* ---- writers ---------------------------------------------------------------- */

int oss_writer_begin(oss_writer **out, oss_store *s, const char *bucket, mc_err *err)
{
    *out = NULL;
    oss_writer *w = mc_calloc(1, sizeof *w);
    w->store = s;
    w->dir = bucket_dir(s, bucket);
    new_id(w->file_id);
    w->tmp_path = mc_asprintf("%s/.tmp-%s", w->dir, w->file_id);
    if (mc_mkdir_p(w->dir, 0700, err)) {
        w->fd = -1;
        oss_writer_abort(w);
        return -1;
    }
    w->fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w->fd < 0) {
        mc_err_set(err, MC_ERR_IO, "create %s: %s", w->tmp_path, strerror(errno));
        oss_writer_abort(w);
        return -1;
    }
    w->md5 = mc_md5_new();
    *out = w;
    return 0;
}

/* Fault injection for the disk-full tests (issue 9): MCDLF_FAULT_DISK_BYTES=N
 * lets the store write N more bytes of object data in this process, then
 * every write fails as a full disk would (ENOSPC). Unset: no limit. */
static _Atomic long long disk_budget = -2; /* -2: not read yet, -1: unlimited */

static bool disk_take(size_t n)
{
    long long b = atomic_load(&disk_budget);
    if (b == -2) {
        const char *v = getenv("MCDLF_FAULT_DISK_BYTES");
        long long want = v && *v ? strtoll(v, NULL, 10) : -1, expect = -2;
        atomic_compare_exchange_strong(&disk_budget, &expect, want < 0 ? -1 : want);
        b = atomic_load(&disk_budget);
    }
    while (b >= 0) {
        if ((unsigned long long)b < n)
            return false;
        if (atomic_compare_exchange_weak(&disk_budget, &b, b - (long long)n))
            return true;
    }
    return true;
}

int oss_writer_write(oss_writer *w, const void *data, size_t n, mc_err *err)
{
    if (!disk_take(n))
        return mc_err_set(err, MC_ERR_IO, "write: %s", strerror(ENOSPC));
    const char *p = data;
    size_t left = n;
    while (left) {
        ssize_t k = write(w->fd, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return mc_err_set(err, MC_ERR_IO, "write: %s", k < 0 ? strerror(errno) : "short write");
        p += k;
        left -= (size_t)k;
    }
    mc_md5_update(w->md5, data, n);
    w->crc = mc_crc64_ecma(w->crc, data, n);
    w->size += (int64_t)n;
    return 0;
}

int64_t oss_writer_size(const oss_writer *w) { return w->size; }

void oss_writer_abort(oss_writer *w)
{
    if (!w)
        return;
    if (w->fd >= 0) {
        close(w->fd);
        unlink(w->tmp_path);
    }
    if (w->md5) {
        uint8_t d[MC_MD5_LEN];
        mc_md5_final(w->md5, d);
    }
    free(w->dir);
    free(w->tmp_path);
    free(w);
}

/* fsync + rename into place; fills md5. The writer stays allocated. */
static int writer_finish(oss_writer *w, uint8_t md5[MC_MD5_LEN], mc_err *err)
{
    if (fsync(w->fd))
        return mc_err_set(err, MC_ERR_IO, "fsync: %s", strerror(errno));
    close(w->fd);
    w->fd = -1;
    mc_md5_final(w->md5, md5);
    w->md5 = NULL;
    char *final = mc_asprintf("%s/%s", w->dir, w->file_id);
    int rc = 0;
    if (rename(w->tmp_path, final))
        rc = mc_err_set(err, MC_ERR_IO, "rename: %s", strerror(errno));
    else
        rc = mc_fsync_dir(w->dir, err);
    if (rc)
        unlink(w->tmp_path);
    free(final);
    return rc;
}

static void writer_free(oss_writer *w)
{
    free(w->dir);
    free(w->tmp_path);
    free(w);
}

/* ---- objects ------------------------------------------------------------------ */

static void meta_from_row(oss_meta *m, sqlite3_stmt *st)
{
    memset(m, 0, sizeof *m);
    int klen = sqlite3_column_bytes(st, 0);
    memcpy(m->key, sqlite3_column_blob(st, 0), (size_t)klen < sizeof m->key ? (size_t)klen : sizeof m->key - 1);
    snprintf(m->file_id, sizeof m->file_id, "%s", sqlite3_column_text(st, 1));
    m->size = sqlite3_column_int64(st, 2);
    snprintf(m->etag, sizeof m->etag, "%s", sqlite3_column_text(st, 3));
    snprintf(m->content_type, sizeof m->content_type, "%s", sqlite3_column_text(st, 4));
    m->crc64 = strtoull((const char *)sqlite3_column_text(st, 5), NULL, 10);
    m->mtime_ms = sqlite3_column_int64(st, 6);
    snprintf(m->type, sizeof m->type, "%s", sqlite3_column_text(st, 7));
    snprintf(m->content_md5, sizeof m->content_md5, "%s", sqlite3_column_text(st, 8));
    if (sqlite3_column_type(st, 9) != SQLITE_NULL)
        m->user_meta = mc_strdup((const char *)sqlite3_column_text(st, 9));
}

#define META_COLS "key, file_id, size, etag, content_type, crc64, mtime_ms, type, content_md5, user_meta"

/* Caller holds the lock. */
static int head_locked(oss_store *s, const char *bucket, const char *key, oss_meta *out, mc_err *err)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s->state, &st, "SELECT " META_COLS " FROM oss_objects WHERE bucket = ? AND key = ?", err))
        return -1;
    sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, key, (int)strlen(key), SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        meta_from_row(out, st);
    else
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "The specified key does not exist.");
    sqlite3_finalize(st);
    return rc;
}

int oss_store_head(oss_store *s, const char *bucket, const char *key, oss_meta *out, mc_err *err)
{
    emu_state_lock(s->state);
    int rc = head_locked(s, bucket, key, out, err);
    emu_state_unlock(s->state);
    return rc;
}

/* Caller holds the lock: inserts or replaces the row; returns the replaced
 * file id in old (empty when none). */
static int upsert_locked(oss_store *s, const char *bucket, const oss_meta *m, char old[40], mc_err *err)
{
    old[0] = '\0';
    oss_meta prev;
    if (head_locked(s, bucket, m->key, &prev, NULL) == 0) {
        snprintf(old, 40, "%s", prev.file_id);
        oss_meta_clear(&prev);
    }
    sqlite3_stmt *st;
    if (emu_state_prepare(s->state, &st,
                          "INSERT OR REPLACE INTO oss_objects(bucket, " META_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                          err))
        return -1;
    char crc[24];
    snprintf(crc, sizeof crc, "%llu", (unsigned long long)m->crc64);
    sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, m->key, (int)strlen(m->key), SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->file_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, m->size);
    sqlite3_bind_text(st, 5, m->etag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, m->content_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, crc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, m->mtime_ms);
    sqlite3_bind_text(st, 9, m->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, m->content_md5, -1, SQLITE_STATIC);
    if (m->user_meta)
        sqlite3_bind_text(st, 11, m->user_meta, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s->state, err, "put object");
    sqlite3_finalize(st);
    return rc;
}

static void fill_meta(oss_meta *m, const char *key, const oss_put_opts *o, const char *file_id)
{
    memset(m, 0, sizeof *m);
    snprintf(m->key, sizeof m->key, "%s", key);
    snprintf(m->file_id, sizeof m->file_id, "%s", file_id);
    snprintf(m->content_type, sizeof m->content_type, "%s",
             o && o->content_type ? o->content_type : "application/octet-stream");
    snprintf(m->type, sizeof m->type, "%s", o && o->type ? o->type : "Normal");
    m->user_meta = o && o->user_meta ? mc_strdup(o->user_meta) : NULL;
    m->mtime_ms = mc_now_ms();
}

static void etag_of(char out[80], const uint8_t md5[MC_MD5_LEN])
{
    char hex[33];
    mc_hex_upper(hex, md5, MC_MD5_LEN);
    snprintf(out, 80, "\"%s\"", hex);
}

int oss_store_commit(oss_store *s, oss_writer *w, const char *bucket, const char *key, const oss_put_opts *o,
                     oss_meta *out, mc_err *err)
{
    uint8_t md5[MC_MD5_LEN];
    if (writer_finish(w, md5, err)) {
        oss_writer_abort(w);
        return -1;
    }
    oss_meta m;
    fill_meta(&m, key, o, w->file_id);
    m.size = w->size;
    m.crc64 = w->crc;
    etag_of(m.etag, md5);
    mc_buf b64 = MC_BUF_INIT;
    mc_base64_encode(&b64, md5, sizeof md5);
    snprintf(m.content_md5, sizeof m.content_md5, "%s", mc_buf_cstr(&b64));
    mc_buf_free(&b64);
    char old[40] = "";
    int rc;
    emu_state_lock(s->state);
    oss_meta prev;
    if (o && o->forbid_overwrite && head_locked(s, bucket, key, &prev, NULL) == 0) {
        oss_meta_clear(&prev);
        rc = mc_err_set(err, MC_ERR_EXISTS, "The object you specified already exists and can not be overwritten.");
    } else {
        rc = upsert_locked(s, bucket, &m, old, err);
    }
    emu_state_unlock(s->state);
    if (rc) {
        remove_file(s, bucket, w->file_id);
        oss_meta_clear(&m);
    } else {
        if (old[0])
            remove_file(s, bucket, old);
        if (out)
            *out = m;
        else
            oss_meta_clear(&m);
    }
    writer_free(w);
    return rc;
}

int oss_store_put(oss_store *s, const char *bucket, const char *key, const void *data, size_t n,
                  const oss_put_opts *o, oss_meta *out, mc_err *err)
{
    oss_writer *w;
    if (oss_writer_begin(&w, s, bucket, err))
        return -1;
    if (oss_writer_write(w, data, n, err)) {
        oss_writer_abort(w);
        return -1;
    }
    return oss_store_commit(s, w, bucket, key, o, out, err);
}

int oss_store_read(oss_store *s, const char *bucket, const oss_meta *m, int64_t off, int64_t len, mc_buf *out,
                   mc_err *err)
{
    char *path = oss_store_object_path(s, bucket, m);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return mc_err_set(err, MC_ERR_IO, "object data missing: %s", strerror(errno));
    mc_buf_reserve(out, (size_t)len);
    int64_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, out->data + out->len, (size_t)(len - done), off + done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return mc_err_set(err, MC_ERR_IO, "object data short read");
        }
        out->len += (size_t)r;
        done += r;
    }
    out->data[out->len] = '\0';
    close(fd);
    return 0;
}

int oss_store_append(oss_store *s, const char *bucket, const char *key, int64_t position, const void *data,
                     size_t n, const oss_put_opts *o, oss_meta *out, int64_t *next_position, mc_err *err)
{
    oss_meta cur;
    bool exists = oss_store_head(s, bucket, key, &cur, NULL) == 0;
    int64_t size = exists ? cur.size : 0;
    *next_position = size;
    if (exists && strcmp(cur.type, "Appendable") != 0) {
        oss_meta_clear(&cur);
        mc_err_set(err, MC_ERR_CONFLICT, "The object is not appendable");
        snprintf(err->remote_code, sizeof err->remote_code, "ObjectNotAppendable");
        return -1;
    }
    if (position != size) {
        if (exists)
            oss_meta_clear(&cur);
        mc_err_set(err, MC_ERR_CONFLICT, "Position is not equal to file length");
        snprintf(err->remote_code, sizeof err->remote_code, "PositionNotEqualToLength");
        return -1;
    }
    /* Copy-then-extend into a new file keeps the object whole on a crash. */
    oss_writer *w;
    if (oss_writer_begin(&w, s, bucket, err)) {
        if (exists)
            oss_meta_clear(&cur);
        return -1;
    }
    int rc = 0;
    if (exists && cur.size > 0) {
        mc_buf old = MC_BUF_INIT;
        rc = oss_store_read(s, bucket, &cur, 0, cur.size, &old, err);
        if (rc == 0)
            rc = oss_writer_write(w, old.data, old.len, err);
        mc_buf_free(&old);
    }
    oss_put_opts opts = o ? *o : (oss_put_opts){0};
    opts.type = "Appendable";
    if (exists) {
        opts.content_type = cur.content_type;
        opts.user_meta = cur.user_meta;
    }
    if (rc == 0)
        rc = oss_writer_write(w, data, n, err);
    if (rc) {
        oss_writer_abort(w);
    } else {
        rc = oss_store_commit(s, w, bucket, key, &opts, out, err);
        if (rc == 0) {
            *next_position = size + (int64_t)n;
            /* An appendable object's ETag is not its content MD5 (§7); ours
             * is, and Content-MD5 is not reported for it. */
            if (out)
                out->content_md5[0] = '\0';
        }
    }
    if (exists)
        oss_meta_clear(&cur);
    return rc;
}

int oss_store_delete(oss_store *s, const char *bucket, const char *key, mc_err *err)
{
    oss_meta cur;
    emu_state_lock(s->state);
    int found = head_locked(s, bucket, key, &cur, NULL) == 0;
    int rc = 0;
    if (found) {
        sqlite3_stmt *st;
        rc = emu_state_prepare(s->state, &st, "DELETE FROM oss_objects WHERE bucket = ? AND key = ?", err);
        if (rc == 0) {
            sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
            sqlite3_bind_blob(st, 2, key, (int)strlen(key), SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s->state, err, "delete object");
            sqlite3_finalize(st);
        }
    }
    emu_state_unlock(s->state);
    if (found) {
        if (rc == 0)
            remove_file(s, bucket, cur.file_id);
        oss_meta_clear(&cur);
    }
    return rc;
}

int oss_store_list(oss_store *s, const char *bucket, const char *prefix, const char *after, size_t limit,
                   oss_meta **out, size_t *n, mc_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    /* Keys are BLOBs so comparisons are byte order (reference/oss-api.md §6). */
    int rc = emu_state_prepare(s->state, &st,
                               "SELECT " META_COLS " FROM oss_objects WHERE bucket = ?1 AND key > ?2"
                               " AND substr(key, 1, length(?3)) = ?3 ORDER BY key LIMIT ?4",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, after ? after : "", (int)strlen(after ? after : ""), SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, prefix ? prefix : "", (int)strlen(prefix ? prefix : ""), SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
        while (sqlite3_step(st) == SQLITE_ROW) {
            *out = mc_realloc(*out, (*n + 1) * sizeof **out);
            meta_from_row(&(*out)[*n], st);
            (*n)++;
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

/* ---- multipart ------------------------------------------------------------------ */

int oss_store_upload_init(oss_store *s, const char *bucket, const char *key, const oss_put_opts *o,
                          char upload_id[40], mc_err *err)
{
    new_id(upload_id);
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st,
                               "INSERT INTO oss_uploads(upload_id, bucket, key, content_type, user_meta, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?)",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, bucket, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, key, (int)strlen(key), SQLITE_STATIC);
        if (o && o->content_type)
            sqlite3_bind_text(st, 4, o->content_type, -1, SQLITE_STATIC);
        if (o && o->user_meta)
            sqlite3_bind_text(st, 5, o->user_meta, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, mc_now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s->state, err, "initiate upload");
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}

static int no_such_upload(mc_err *err)
{
    mc_err_set(err, MC_ERR_NOT_FOUND,
               "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
               "aborted or completed.");
    snprintf(err->remote_code, sizeof err->remote_code, "NoSuchUpload");
    return -1;
}

/* Caller holds the lock. */
static int upload_check_locked(oss_store *s, const char *bucket, const char *key, const char *upload_id,
                               char *ctype, size_t ccap, char **meta, mc_err *err)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s->state, &st,
                          "SELECT content_type, user_meta FROM oss_uploads WHERE upload_id = ? AND bucket = ? AND key = ?",
                          err))
        return -1;
    sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, bucket, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, key, (int)strlen(key), SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (ctype)
            snprintf(ctype, ccap, "%s",
                     sqlite3_column_type(st, 0) == SQLITE_NULL ? "application/octet-stream"
                                                               : (const char *)sqlite3_column_text(st, 0));
        if (meta)
            *meta = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL : mc_strdup((const char *)sqlite3_column_text(st, 1));
    } else {
        rc = no_such_upload(err);
    }
    sqlite3_finalize(st);
    return rc;
}

int oss_store_upload_check(oss_store *s, const char *bucket, const char *key, const char *upload_id, mc_err *err)
{
    emu_state_lock(s->state);
    int rc = upload_check_locked(s, bucket, key, upload_id, NULL, 0, NULL, err);
    emu_state_unlock(s->state);
    return rc;
}

int oss_store_upload_part(oss_store *s, oss_writer *w, const char *bucket, const char *key, const char *upload_id,
                          int part_number, oss_part *out, mc_err *err)
{
    uint8_t md5[MC_MD5_LEN];
    if (writer_finish(w, md5, err)) {
        oss_writer_abort(w);
        return -1;
    }
    oss_part p;
    memset(&p, 0, sizeof p);
    p.part_number = part_number;
    etag_of(p.etag, md5);
    p.size = w->size;
    p.crc64 = w->crc;
    p.mtime_ms = mc_now_ms();
    snprintf(p.file_id, sizeof p.file_id, "%s", w->file_id);
    char old[40] = "";
    emu_state_lock(s->state);
    int rc = upload_check_locked(s, bucket, key, upload_id, NULL, 0, NULL, err);
    sqlite3_stmt *st;
    if (rc == 0 && emu_state_prepare(s->state, &st,
                                     "SELECT file_id FROM oss_parts WHERE upload_id = ? AND part_number = ?", err) == 0) {
        sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, part_number);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(old, sizeof old, "%s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (rc == 0) {
        rc = emu_state_prepare(s->state, &st,
                               "INSERT OR REPLACE INTO oss_parts(upload_id, part_number, file_id, size, etag, md5, crc64,"
                               " mtime_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               err);
        if (rc == 0) {
            char crc[24];
            snprintf(crc, sizeof crc, "%llu", (unsigned long long)p.crc64);
            sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 2, part_number);
            sqlite3_bind_text(st, 3, p.file_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, p.size);
            sqlite3_bind_text(st, 5, p.etag, -1, SQLITE_STATIC);
            sqlite3_bind_blob(st, 6, md5, sizeof md5, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, crc, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 8, p.mtime_ms);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : emu_state_err(s->state, err, "upload part");
            sqlite3_finalize(st);
        }
    }
    emu_state_unlock(s->state);
    if (rc)
        remove_file(s, bucket, p.file_id);
    else if (old[0])
        remove_file(s, bucket, old);
    writer_free(w);
    if (rc == 0 && out)
        *out = p;
    return rc;
}

/* Caller holds the lock. Parts in part-number order, with their MD5s. */
static int parts_locked(oss_store *s, const char *upload_id, oss_part **out, size_t *n, mc_buf *md5s, mc_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (emu_state_prepare(s->state, &st,
                          "SELECT part_number, etag, size, crc64, mtime_ms, file_id, md5 FROM oss_parts"
                          " WHERE upload_id = ? ORDER BY part_number",
                          err))
        return -1;
    sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        *out = mc_realloc(*out, (*n + 1) * sizeof **out);
        oss_part *p = &(*out)[(*n)++];
        memset(p, 0, sizeof *p);
        p->part_number = sqlite3_column_int(st, 0);
        snprintf(p->etag, sizeof p->etag, "%s", sqlite3_column_text(st, 1));
        p->size = sqlite3_column_int64(st, 2);
        p->crc64 = strtoull((const char *)sqlite3_column_text(st, 3), NULL, 10);
        p->mtime_ms = sqlite3_column_int64(st, 4);
        snprintf(p->file_id, sizeof p->file_id, "%s", sqlite3_column_text(st, 5));
        if (md5s)
            mc_buf_append(md5s, sqlite3_column_blob(st, 6), MC_MD5_LEN);
    }
    sqlite3_finalize(st);
    return 0;
}

int oss_store_list_parts(oss_store *s, const char *bucket, const char *key, const char *upload_id, oss_part **out,
                         size_t *n, mc_err *err)
{
    emu_state_lock(s->state);
    int rc = upload_check_locked(s, bucket, key, upload_id, NULL, 0, NULL, err);
    if (rc == 0)
        rc = parts_locked(s, upload_id, out, n, NULL, err);
    emu_state_unlock(s->state);
    return rc;
}

static int part_error(mc_err *err, const char *code, const char *msg)
{
    mc_err_set(err, MC_ERR_INVALID, "%s", msg);
    snprintf(err->remote_code, sizeof err->remote_code, "%s", code);
    return -1;
}

static void delete_upload_locked(oss_store *s, const char *upload_id)
{
    sqlite3_stmt *st;
    if (emu_state_prepare(s->state, &st, "DELETE FROM oss_parts WHERE upload_id = ?", NULL) == 0) {
        sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
    if (emu_state_prepare(s->state, &st, "DELETE FROM oss_uploads WHERE upload_id = ?", NULL) == 0) {
        sqlite3_bind_text(st, 1, upload_id, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
}

#define MIN_PART_SIZE (100 * 1024) /* reference/oss-api.md §9 */

int oss_store_upload_complete(oss_store *s, const char *bucket, const char *key, const char *upload_id,
                              const oss_part *want, size_t nwant, bool forbid_overwrite, oss_meta *out,
                              mc_err *err)
{
    char ctype[256];
    char *meta = NULL;
    oss_part *have = NULL;
    size_t nhave = 0;
    mc_buf md5s = MC_BUF_INIT;
    emu_state_lock(s->state);
    int rc = upload_check_locked(s, bucket, key, upload_id, ctype, sizeof ctype, &meta, err);
    if (rc == 0)
        rc = parts_locked(s, upload_id, &have, &nhave, &md5s, err);
    emu_state_unlock(s->state);
    if (rc)
        goto out;
    if (nwant == 0) {
        rc = part_error(err, "MalformedXML",
                        "The XML you provided was not well-formed or did not validate against our published schema.");
        goto out;
    }
    /* Check order, existence and ETags (§6), and find each listed part. */
    size_t *idx = mc_calloc(nwant, sizeof *idx);
    for (size_t i = 1; i < nwant && rc == 0; i++)
        if (want[i].part_number <= want[i - 1].part_number)
            rc = part_error(err, "InvalidPartOrder",
                            "The list of parts was not in ascending order. The parts list must be specified in order "
                            "by part number.");
    for (size_t i = 0; i < nwant && rc == 0; i++) {
        size_t k = 0;
        while (k < nhave && have[k].part_number != want[i].part_number)
            k++;
        if (k == nhave || strcasecmp(have[k].etag, want[i].etag) != 0) {
            rc = part_error(err, "InvalidPart",
                            "One or more of the specified parts could not be found or the specified entity tag "
                            "might not have matched the part's entity tag.");
            break;
        }
        idx[i] = k;
        if (i + 1 < nwant && have[k].size < MIN_PART_SIZE)
            rc = part_error(err, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size.");
    }
    oss_writer *w = NULL;
    if (rc == 0)
        rc = oss_writer_begin(&w, s, bucket, err);
    mc_buf part_md5s = MC_BUF_INIT;
    for (size_t i = 0; i < nwant && rc == 0; i++) {
        oss_part *p = &have[idx[i]];
        oss_meta pm;
        memset(&pm, 0, sizeof pm);
        snprintf(pm.file_id, sizeof pm.file_id, "%s", p->file_id);
        mc_buf data = MC_BUF_INIT;
        rc = oss_store_read(s, bucket, &pm, 0, p->size, &data, err);
        if (rc == 0)
            rc = oss_writer_write(w, data.data, data.len, err);
        mc_buf_free(&data);
        mc_buf_append(&part_md5s, md5s.data + idx[i] * MC_MD5_LEN, MC_MD5_LEN);
    }
    free(idx);
    if (rc) {
        oss_writer_abort(w);
        mc_buf_free(&part_md5s);
        goto out;
    }
    oss_put_opts o = {ctype, meta, forbid_overwrite, "Multipart"};
    oss_meta m;
    rc = oss_store_commit(s, w, bucket, key, &o, &m, err);
    if (rc == 0) {
        /* Multipart ETag: MD5 of the part MD5s, "-" part count (§7). */
        uint8_t d[MC_MD5_LEN];
        char hex[33];
        mc_md5(d, part_md5s.data, part_md5s.len);
        mc_hex_upper(hex, d, sizeof d);
        snprintf(m.etag, sizeof m.etag, "\"%s-%zu\"", hex, nwant);
        m.content_md5[0] = '\0';
        char old[40];
        emu_state_lock(s->state);
        rc = upsert_locked(s, bucket, &m, old, err);
        if (rc == 0)
            delete_upload_locked(s, upload_id);
        emu_state_unlock(s->state);
        for (size_t i = 0; rc == 0 && i < nhave; i++)
            remove_file(s, bucket, have[i].file_id);
        if (out && rc == 0)
            *out = m;
        else
            oss_meta_clear(&m);
    }
    mc_buf_free(&part_md5s);
out:
    free(meta);
    free(have);
    mc_buf_free(&md5s);
    return rc;
}

int oss_store_upload_abort(oss_store *s, const char *bucket, const char *key, const char *upload_id, mc_err *err)
{
    oss_part *have = NULL;
    size_t nhave = 0;
    emu_state_lock(s->state);
    int rc = upload_check_locked(s, bucket, key, upload_id, NULL, 0, NULL, err);
    if (rc == 0)
        rc = parts_locked(s, upload_id, &have, &nhave, NULL, err);
    if (rc == 0)
        delete_upload_locked(s, upload_id);
    emu_state_unlock(s->state);
    for (size_t i = 0; rc == 0 && i < nhave; i++)
        remove_file(s, bucket, have[i].file_id);
    free(have);
    return rc;
}

int oss_store_list_uploads(oss_store *s, const char *bucket, const char *prefix, oss_upload_info **out, size_t *n,
                           mc_err *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    emu_state_lock(s->state);
    int rc = emu_state_prepare(s->state, &st,
                               "SELECT key, upload_id, created_ms FROM oss_uploads WHERE bucket = ?1"
                               " AND substr(key, 1, length(?2)) = ?2 ORDER BY key, created_ms LIMIT 1000",
                               err);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, bucket, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, prefix ? prefix : "", (int)strlen(prefix ? prefix : ""), SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            *out = mc_realloc(*out, (*n + 1) * sizeof **out);
            oss_upload_info *u = &(*out)[(*n)++];
            int kl = sqlite3_column_bytes(st, 0);
            memset(u->key, 0, sizeof u->key);
            memcpy(u->key, sqlite3_column_blob(st, 0), (size_t)kl < sizeof u->key ? (size_t)kl : sizeof u->key - 1);
            snprintf(u->upload_id, sizeof u->upload_id, "%s", sqlite3_column_text(st, 1));
            u->created_ms = sqlite3_column_int64(st, 2);
        }
        sqlite3_finalize(st);
    }
    emu_state_unlock(s->state);
    return rc;
}
