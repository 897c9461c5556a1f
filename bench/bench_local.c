/* bench_local: see bench_local.h. */
#include "bench_local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"
#include "paimon/snapshot.h"
#include "paimon/writer.h"
#include "strutil.h"
#include "timeutil.h"

int bench_local_read(void *ud, const char *rel, mc_buf *out, mc_err *err)
{
    char *p = mc_path_join(ud, rel);
    int rc = mc_file_read_all(out, p, err);
    free(p);
    return rc;
}

int bench_local_put(const char *dir, const char *rel, const void *data, size_t n, mc_err *err)
{
    char *path = mc_path_join(dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    int rc = mc_mkdir_p(path, 0755, err);
    *slash = '/';
    FILE *f = rc ? NULL : fopen(path, "wb");
    if (!rc && (!f || fwrite(data, 1, n, f) != n))
        rc = mc_err_set(err, MC_ERR_IO, "writing %s failed", path);
    if (f && fclose(f) && !rc)
        rc = mc_err_set(err, MC_ERR_IO, "writing %s failed", path);
    free(path);
    return rc;
}

int bench_local_create(const char *dir, const paimon_schema *s, mc_err *err)
{
    mc_buf js = MC_BUF_INIT;
    paimon_schema_write(&js, s);
    int rc = bench_local_put(dir, "schema/schema-0", js.data, js.len, err);
    mc_buf_free(&js);
    return rc;
}

int bench_local_commit(const char *dir, const paimon_schema *s, const paimon_datum *const *rows, size_t n,
                       paimon_table_state *st, mc_err *err)
{
    paimon_write_input in;
    memset(&in, 0, sizeof in);
    in.schema = s;
    in.rows = rows;
    in.nrows = n;
    in.latest = st->snap;
    in.prev_manifests = st->metas;
    in.nprev = st->nmetas;
    in.live = st->live;
    in.nlive = st->nlive;
    in.now_ms = mc_now_ms();
    paimon_write_plan p;
    if (paimon_write_plan_build(&p, &in, err))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < p.nfiles && rc == 0; i++)
        rc = bench_local_put(dir, p.files[i].path, p.files[i].data.data, p.files[i].data.len, err);
    mc_buf js = MC_BUF_INIT, hint = MC_BUF_INIT;
    char *name = mc_asprintf("snapshot/snapshot-%lld", (long long)p.snapshot->id);
    paimon_snapshot_write(&js, p.snapshot);
    paimon_hint_write(&hint, p.snapshot->id);
    if (rc == 0)
        rc = bench_local_put(dir, name, js.data, js.len, err);
    if (rc == 0)
        rc = bench_local_put(dir, "snapshot/LATEST", hint.data, hint.len, err);
    paimon_snapshot *snap = NULL;
    if (rc == 0)
        rc = paimon_snapshot_load(&snap, dir, p.snapshot->id, err);
    if (rc == 0) {
        paimon_table_state_clear(st);
        paimon_fileio io = {bench_local_read, (void *)dir};
        rc = paimon_table_state_load(st, &io, snap, err);
    }
    free(name);
    mc_buf_free(&js);
    mc_buf_free(&hint);
    paimon_write_plan_clear(&p);
    return rc;
}

int bench_local_scan_open(paimon_scan **out, paimon_table_state *st, const char *dir, const paimon_schema *s,
                          mc_err *err)
{
    *out = NULL;
    memset(st, 0, sizeof *st);
    paimon_fileio io = {bench_local_read, (void *)dir};
    int64_t id = 0;
    paimon_snapshot *snap = NULL;
    if (paimon_snapshot_latest_id(&id, dir, err) || paimon_snapshot_load(&snap, dir, id, err) ||
        paimon_table_state_load(st, &io, snap, err) || paimon_scan_open(out, &io, s, st, err))
        return -1;
    return 0;
}
