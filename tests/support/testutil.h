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

/* A fresh directory under $TMPDIR (or /tmp); caller frees and removes. */
char *tu_tmpdir(const char *tag);
void tu_rmdir(char *dir); /* removes the tree and frees the string */
/* Path under ../shared (MCDLF_SHARED_DIR); caller frees. */
char *tu_shared_path(const char *rel);
/* Reads a whole file; fails the test if it cannot. */
void tu_read_file(mc_buf *out, const char *path);

#endif
