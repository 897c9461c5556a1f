/* testutil: see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "mc_err.h"
#include "paimon/snapshot.h"
#include "strutil.h"

char *tu_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = mc_asprintf("%s/mcdlf-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(tmpl)) {
        fprintf(stderr, "mkdtemp %s failed\n", tmpl);
        abort();
    }
    return tmpl;
}

void tu_rmdir(char *dir)
{
    if (dir)
        mc_rm_rf(dir);
    free(dir);
}

char *tu_shared_path(const char *rel)
{
    const char *env = getenv("MCDLF_SHARED_DIR");
    return mc_path_join(env && *env ? env : MCDLF_SHARED_DIR, rel);
}

void tu_read_file(mc_buf *out, const char *path)
{
    mc_err err;
    mc_err_clear(&err);
    if (mc_file_read_all(out, path, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        fail();
    }
}

/* ---- an in-memory table directory ---------------------------------------------- */

int tu_memfs_read(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    tu_memfs *fs = ud;
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->paths[i], rel)) {
            mc_buf_append(out, fs->data[i].data, fs->data[i].len);
            return 0;
        }
    return mc_err_set(err, MC_ERR_NOT_FOUND, "no file %s", rel);
}

void tu_memfs_add_plan(tu_memfs *fs, const paimon_write_plan *p)
{
    for (size_t i = 0; i < p->nfiles; i++) {
        fs->paths = mc_realloc(fs->paths, (fs->n + 1) * sizeof *fs->paths);
        fs->data = mc_realloc(fs->data, (fs->n + 1) * sizeof *fs->data);
        fs->paths[fs->n] = mc_strdup(p->files[i].path);
        mc_buf_init(&fs->data[fs->n]);
        mc_buf_append(&fs->data[fs->n], p->files[i].data.data, p->files[i].data.len);
        fs->n++;
    }
}

void tu_memfs_free(tu_memfs *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->paths[i]);
        mc_buf_free(&fs->data[i]);
    }
    free(fs->paths);
    free(fs->data);
}

void tu_memfs_load_state(paimon_table_state *st, tu_memfs *fs, const paimon_snapshot *snap)
{
    paimon_snapshot *copy = NULL;
    mc_err err;
    if (snap) {
        mc_buf b = MC_BUF_INIT;
        paimon_snapshot_write(&b, snap);
        assert_int_equal(paimon_snapshot_parse(&copy, b.data, b.len, &err), 0);
        mc_buf_free(&b);
    }
    paimon_fileio io = {tu_memfs_read, fs};
    if (paimon_table_state_load(st, &io, copy, &err))
        fail_msg("%s", err.msg);
}
