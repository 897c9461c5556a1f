/*
 * oss/store: buckets and objects on local disk, metadata in the emulator's
 * SQLite state (module "oss"). Emulator-internal: the OSS service uses it,
 * and so may other emulator modules that must place files in a bucket (the
 * DLF catalog writes schema and snapshot files).
 *
 * On disk an object is <state>/oss/<bucket>/<file id>, a random id: keys
 * never become paths, so no key can escape the state directory. Writes go
 * to a temporary file that is fsynced and renamed, and only then is the
 * metadata committed; a crash at any point leaves the old object or the new
 * one, and an unreferenced file is removed at the next open. Listing reads
 * metadata only, so an orphan is never listed.
 */
#ifndef MC_OSS_STORE_H
#define MC_OSS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mc_err.h"
#include "server/service.h"

typedef struct oss_store oss_store;

typedef struct {
    char key[1024];
    char etag[80];           /* quoted: "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"" */
    int64_t size;
    char content_type[256];
    uint64_t crc64;
    int64_t mtime_ms;
    char type[16];           /* Normal | Appendable | Multipart */
    char content_md5[32];    /* base64, simple objects only */
    char file_id[40];
    char *user_meta;         /* JSON object of lower-case x-oss-meta-* suffixes; owned */
} oss_meta;

void oss_meta_clear(oss_meta *m);

int oss_store_open(oss_store **out, const emu_env *env, mc_err *err);
void oss_store_close(oss_store *s);

/* Name rules (reference/oss-api.md §9). */
bool oss_bucket_name_valid(const char *name);
/* Key rules: 1..1023 bytes, no NUL, not starting with '/' or '\', no ".."
 * path segment. Returns 0 or -1 with MC_ERR_INVALID. */
int oss_key_validate(const char *key, size_t len, mc_err *err);

int oss_store_bucket_create(oss_store *s, const char *bucket, const char *owner, mc_err *err); /* MC_ERR_EXISTS */
int oss_store_bucket_delete(oss_store *s, const char *bucket, mc_err *err); /* NOT_FOUND, CONFLICT */
/* 0 when it exists (created_ms filled), MC_ERR_NOT_FOUND when not. */
int oss_store_bucket_get(oss_store *s, const char *bucket, int64_t *created_ms, mc_err *err);
/* Bucket ACLs (reference/oss-api.md: private | public-read | public-read-write). */
bool oss_acl_valid(const char *acl);
int oss_store_bucket_acl(oss_store *s, const char *bucket, char acl[32], mc_err *err); /* NOT_FOUND */
int oss_store_bucket_set_acl(oss_store *s, const char *bucket, const char *acl, mc_err *err);
typedef struct {
    char name[64];
    int64_t created_ms;
} oss_bucket_info;
int oss_store_bucket_list(oss_store *s, oss_bucket_info **out, size_t *n, mc_err *err);

/* A streaming writer into a new file of a bucket. */
typedef struct oss_writer oss_writer;
int oss_writer_begin(oss_writer **out, oss_store *s, const char *bucket, mc_err *err);
int oss_writer_write(oss_writer *w, const void *data, size_t n, mc_err *err);
/* Sizes and digests so far. */
int64_t oss_writer_size(const oss_writer *w);
void oss_writer_abort(oss_writer *w); /* removes the file; NULL is a no-op */

typedef struct {
    const char *content_type;   /* NULL: application/octet-stream */
    const char *user_meta;      /* JSON or NULL */
    bool forbid_overwrite;
    const char *type;           /* NULL: Normal */
} oss_put_opts;

/* Finishes w (fsync, rename) and makes it the object bucket/key. On
 * success out (may be NULL) holds the new metadata. MC_ERR_EXISTS when
 * forbid_overwrite and the key exists. w is consumed either way. */
int oss_store_commit(oss_store *s, oss_writer *w, const char *bucket, const char *key, const oss_put_opts *o,
                     oss_meta *out, mc_err *err);
/* Convenience: a whole object from memory. */
int oss_store_put(oss_store *s, const char *bucket, const char *key, const void *data, size_t n,
                  const oss_put_opts *o, oss_meta *out, mc_err *err);
/* AppendObject: position must equal the current size (MC_ERR_CONFLICT with
 * *next_position set otherwise); the object must be appendable. */
int oss_store_append(oss_store *s, const char *bucket, const char *key, int64_t position, const void *data,
                     size_t n, const oss_put_opts *o, oss_meta *out, int64_t *next_position, mc_err *err);

int oss_store_head(oss_store *s, const char *bucket, const char *key, oss_meta *out, mc_err *err); /* NOT_FOUND */
/* The file holding an object's bytes (caller frees). */
char *oss_store_object_path(oss_store *s, const char *bucket, const oss_meta *m);
int oss_store_read(oss_store *s, const char *bucket, const oss_meta *m, int64_t off, int64_t len, mc_buf *out,
                   mc_err *err);
/* Deleting a missing key is not an error (OSS answers 204). */
int oss_store_delete(oss_store *s, const char *bucket, const char *key, mc_err *err);
/* Objects with key > after (may be "") and the prefix, in byte order, at most limit. */
int oss_store_list(oss_store *s, const char *bucket, const char *prefix, const char *after, size_t limit,
                   oss_meta **out, size_t *n, mc_err *err);
void oss_metas_free(oss_meta *m, size_t n);

/* Multipart. */
int oss_store_upload_init(oss_store *s, const char *bucket, const char *key, const oss_put_opts *o,
                          char upload_id[40], mc_err *err);
typedef struct {
    int part_number;
    char etag[80];
    int64_t size;
    uint64_t crc64;
    int64_t mtime_ms;
    char file_id[40];
} oss_part;
/* Checks the upload exists and belongs to bucket/key (MC_ERR_NOT_FOUND). */
int oss_store_upload_check(oss_store *s, const char *bucket, const char *key, const char *upload_id, mc_err *err);
int oss_store_upload_part(oss_store *s, oss_writer *w, const char *bucket, const char *key, const char *upload_id,
                          int part_number, oss_part *out, mc_err *err);
int oss_store_list_parts(oss_store *s, const char *bucket, const char *key, const char *upload_id, oss_part **out,
                         size_t *n, mc_err *err);
/* parts: the client's list (number + ETag). Errors carry the OSS code in
 * err->remote_code (InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload). */
int oss_store_upload_complete(oss_store *s, const char *bucket, const char *key, const char *upload_id,
                              const oss_part *parts, size_t nparts, bool forbid_overwrite, oss_meta *out,
                              mc_err *err);
int oss_store_upload_abort(oss_store *s, const char *bucket, const char *key, const char *upload_id, mc_err *err);
typedef struct {
    char key[1024];
    char upload_id[40];
    int64_t created_ms;
} oss_upload_info;
int oss_store_list_uploads(oss_store *s, const char *bucket, const char *prefix, oss_upload_info **out, size_t *n,
                           mc_err *err);

#endif
