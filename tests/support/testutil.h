/*
 * testutil: helpers shared by cmocka tests: include cmocka in the required
 * order, make and remove temporary directories, read fixture files.
 */
#ifndef MC_TESTUTIL_H
#define MC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "paimon/scan.h"
#include "paimon/writer.h"

/* A fresh directory under $TMPDIR (or /tmp); caller frees and removes. */
char *tu_tmpdir(const char *tag);
void tu_rmdir(char *dir); /* removes the tree and frees the string */
/* Path under ../shared (MCDLF_SHARED_DIR); caller frees. */
char *tu_shared_path(const char *rel);
/* Reads a whole file; fails the test if it cannot. */
void tu_read_file(mc_buf *out, const char *path);

/* An in-memory table directory: the files of write plans by relative path. */
typedef struct {
    char **paths;
    mc_buf *data;
    size_t n;
} tu_memfs;

/* A paimon_read_fn over a tu_memfs (ud). */
int tu_memfs_read(void *ud, const char *rel, mc_buf *out, mc_err *err);
/* Adds copies of a plan's files. */
void tu_memfs_add_plan(tu_memfs *fs, const paimon_write_plan *p);
void tu_memfs_free(tu_memfs *fs);
/* The table state after a plan's snapshot (a copy: the state owns it;
 * snap NULL: an empty table); fails the test if it does not load. */
void tu_memfs_load_state(paimon_table_state *st, tu_memfs *fs, const paimon_snapshot *snap);

#endif
