/*
 * fsutil: durable local file operations. A file written with
 * mc_file_write_atomic is either the old content or the new, never partial:
 * temp file in the same directory, fsync, rename, fsync of the directory.
 */
#ifndef MC_FSUTIL_H
#define MC_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "mc_err.h"

int mc_mkdir_p(const char *path, int mode, mc_err *err);
int mc_file_write_atomic(const char *path, const void *data, size_t n, int mode, mc_err *err);
int mc_file_read_all(mc_buf *out, const char *path, mc_err *err);
int mc_fsync_dir(const char *dir, mc_err *err);
bool mc_path_exists(const char *path);
/* Removes a directory tree (for tests and state resets). */
int mc_rm_rf(const char *path);
/* Joins with exactly one '/' between parts; caller frees. */
char *mc_path_join(const char *a, const char *b);

#endif
