/* paimon/travel: see travel.h. Section numbers: reference/paimon-format.md. */
#include "paimon/travel.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strutil.h"
#include "timeutil.h"

#define DAY_MS (86400LL * 1000)

int paimon_snapshot_read(paimon_snapshot **out, const paimon_fileio *io, const char *rel, mc_err *err)
{
    *out = NULL;
    mc_buf b = MC_BUF_INIT;
    int rc = io->read(io->ud, rel, &b, err);
    if (rc == 0 && (rc = paimon_snapshot_parse(out, b.data, b.len, err)) != 0)
        mc_err_prefix(err, "%s", rel);
    mc_buf_free(&b);
    return rc;
}

static void names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int paimon_snapshot_ids(int64_t **ids, size_t *n, const paimon_store *st, mc_err *err)
{
    *ids = NULL;
    *n = 0;
    char **names;
    size_t nn;
    if (st->list(st->files.ud, "snapshot", &names, &nn, err))
        return -1;
    *ids = mc_calloc(nn + 1, sizeof **ids);
    for (size_t i = 0; i < nn; i++) {
        long long id;
        /* snapshot-N only: LATEST, EARLIEST and temporary files are not snapshots (§1). */
        if (mc_str_starts_with(names[i], "snapshot-") && mc_parse_i64(names[i] + 9, &id) == 0 && id > 0)
            (*ids)[(*n)++] = id;
    }
    names_free(names, nn);
    qsort(*ids, *n, sizeof **ids, cmp_i64);
    return 0;
}

void paimon_millis_text(char *out, size_t cap, int64_t millis, int64_t offset_ms)
{
    int64_t ms = millis + offset_ms;
    int64_t days = ms / DAY_MS - (ms % DAY_MS < 0);
    int64_t rem = ms - days * DAY_MS, y;
    int mo, d;
    mc_civil_from_days(days, &y, &mo, &d);
    snprintf(out, cap, "%04lld-%02d-%02d %02d:%02d:%02d.%03d", (long long)y, mo, d, (int)(rem / 3600000),
             (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

static int load_id(paimon_snapshot **out, const paimon_store *st, int64_t id, mc_err *err)
{
    char *rel = mc_asprintf("snapshot/snapshot-%lld", (long long)id);
    int rc = paimon_snapshot_read(out, &st->files, rel, err);
    free(rel);
    return rc;
}

/* Java: "The specified scan snapshotId %s is out of available snapshotId
 * range [%s, %s]." (StaticFromSnapshotStartingScanner); ours also says
 * when the id is below the earliest, i.e. expired. */
static int by_id(paimon_snapshot **out, const paimon_store *st, int64_t id, mc_err *err)
{
    int64_t *ids;
    size_t n;
    if (paimon_snapshot_ids(&ids, &n, st, err))
        return -1;
    bool found = bsearch(&id, ids, n, sizeof *ids, cmp_i64) != NULL;
    int rc = 0;
    if (found)
        rc = load_id(out, st, id, err);
    else if (n == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "snapshot %lld does not exist: the table has no snapshot",
                        (long long)id);
    else
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "snapshot %lld does not exist%s: snapshots %lld..%lld exist",
                        (long long)id, id > 0 && id < ids[0] ? " (expired)" : "", (long long)ids[0],
                        (long long)ids[n - 1]);
    free(ids);
    return rc;
}

/* SnapshotManager.earlierOrEqualTimeMills: binary search on timeMillis
 * over the snapshots that exist, which commit in id order. Of snapshots
 * committed in the same millisecond this takes the last; Java stops at
 * whichever its search probes first. */
static int by_millis(paimon_snapshot **out, const paimon_store *st, const paimon_at *at, mc_err *err)
{
    int64_t *ids;
    size_t n;
    if (paimon_snapshot_ids(&ids, &n, st, err))
        return -1;
    char when[40], first[40];
    paimon_millis_text(when, sizeof when, at->millis, at->zone_offset_ms);
    paimon_snapshot *best = NULL, *s = NULL;
    int rc = 0;
    size_t lo = 0, hi = n; /* invariant: ids[< lo] are at or before millis, ids[>= hi] after */
    while (rc == 0 && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((rc = load_id(&s, st, ids[mid], err)) != 0)
            break;
        if (s->time_millis <= at->millis) {
            paimon_snapshot_free(best);
            best = s;
            lo = mid + 1;
        } else {
            if (mid == 0) {
                paimon_millis_text(first, sizeof first, s->time_millis, at->zone_offset_ms);
                rc = mc_err_set(err, MC_ERR_NOT_FOUND,
                                "no snapshot was committed at or before %s: the earliest, snapshot %lld, was "
                                "committed at %s",
                                when, (long long)s->id, first);
            }
            paimon_snapshot_free(s);
            hi = mid;
        }
        s = NULL;
    }
    if (rc == 0 && n == 0)
        rc = mc_err_set(err, MC_ERR_NOT_FOUND, "no snapshot was committed at or before %s: the table has no snapshot",
                        when);
    free(ids);
    if (rc) {
        paimon_snapshot_free(best);
        return -1;
    }
    *out = best;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tag names, sorted. */
static int tag_names(char ***out, size_t *n, const paimon_store *st, mc_err *err)
{
    char **names;
    size_t nn;
    *out = NULL;
    *n = 0;
    if (st->list(st->files.ud, "tag", &names, &nn, err))
        return -1;
    *out = mc_calloc(nn + 1, sizeof **out);
    for (size_t i = 0; i < nn; i++)
        if (mc_str_starts_with(names[i], "tag-") && names[i][4]) /* TagManager.TAG_PREFIX */
            (*out)[(*n)++] = mc_strdup(names[i] + 4);
    names_free(names, nn);
    qsort(*out, *n, sizeof **out, cmp_str);
    return 0;
}

/* "(tags: a, b)" or "(the table has no tags)" */
static char *tags_hint(char **names, size_t n)
{
    if (n == 0)
        return mc_strdup("(the table has no tags)");
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "(tags: ");
    for (size_t i = 0; i < n; i++)
        mc_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    mc_buf_putc(&b, ')');
    char *s = mc_strdup(mc_buf_cstr(&b));
    mc_buf_free(&b);
    return s;
}

static bool all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* Java: "Tag '%s' doesn't exist." (TagManager.getOrThrow); VERSION falls
 * back to a snapshot id when all digits (TimeTravelUtil.adaptScanVersion). */
static int by_name(paimon_snapshot **out, const paimon_store *st, const char *name, bool version, mc_err *err)
{
    char **names;
    size_t n;
    if (tag_names(&names, &n, st, err))
        return -1;
    bool found = bsearch(&name, names, n, sizeof *names, cmp_str) != NULL;
    int rc;
    if (found) {
        char *rel = mc_asprintf("tag/tag-%s", name);
        rc = paimon_snapshot_read(out, &st->files, rel, err);
        free(rel);
    } else if (version && all_digits(name)) {
        long long id;
        rc = mc_parse_i64(name, &id) == 0 ? by_id(out, st, id, err)
                                           : mc_err_set(err, MC_ERR_NOT_FOUND, "snapshot %s does not exist", name);
    } else {
        char *hint = tags_hint(names, n);
        rc = version ? mc_err_set(err, MC_ERR_NOT_FOUND, "'%s' is neither a tag nor a snapshot id %s", name, hint)
                     : mc_err_set(err, MC_ERR_NOT_FOUND, "tag '%s' does not exist %s", name, hint);
        free(hint);
    }
    names_free(names, n);
    return rc;
}

int paimon_snapshot_at(paimon_snapshot **out, const paimon_store *st, const paimon_at *at, mc_err *err)
{
    *out = NULL;
    switch (at->kind) {
    case PAIMON_AT_LATEST: {
        int64_t *ids;
        size_t n;
        if (paimon_snapshot_ids(&ids, &n, st, err))
            return -1;
        int rc = n ? load_id(out, st, ids[n - 1], err) : 0;
        free(ids);
        return rc;
    }
    case PAIMON_AT_SNAPSHOT: return by_id(out, st, at->id, err);
    case PAIMON_AT_MILLIS: return by_millis(out, st, at, err);
    case PAIMON_AT_TAG:
    case PAIMON_AT_VERSION: break;
    }
    assert(at->name);
    return by_name(out, st, at->name, at->kind == PAIMON_AT_VERSION, err);
}

static int cmp_tag(const void *a, const void *b)
{
    const paimon_tag *x = a, *y = b;
    if (x->snap->id != y->snap->id)
        return x->snap->id < y->snap->id ? -1 : 1;
    return strcmp(x->name, y->name);
}

int paimon_tags_list(paimon_tag **out, size_t *n, const paimon_store *st, mc_err *err)
{
    char **names;
    size_t nn;
    *out = NULL;
    *n = 0;
    if (tag_names(&names, &nn, st, err))
        return -1;
    paimon_tag *tags = mc_calloc(nn + 1, sizeof *tags);
    int rc = 0;
    for (size_t i = 0; i < nn && rc == 0; i++) {
        char *rel = mc_asprintf("tag/tag-%s", names[i]);
        if ((rc = paimon_snapshot_read(&tags[i].snap, &st->files, rel, err)) == 0) {
            tags[i].name = names[i];
            names[i] = NULL;
            (*n)++;
        }
        free(rel);
    }
    names_free(names, nn);
    if (rc) {
        paimon_tags_free(tags, *n);
        *n = 0;
        return -1;
    }
    qsort(tags, *n, sizeof *tags, cmp_tag);
    *out = tags;
    return 0;
}

void paimon_tags_free(paimon_tag *tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(tags[i].name);
        paimon_snapshot_free(tags[i].snap);
    }
    free(tags);
}
