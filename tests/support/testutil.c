/* testutil: see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "mc_err.h"

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
