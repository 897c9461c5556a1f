/*
 * sql/tz: a reader of TZif files (RFC 8536) and of the POSIX TZ string in
 * their footer, with a process-wide cache (see tz.h).
 *
 * A zone is its transition table (from the 64-bit section of a version 2+
 * file, the 32-bit one of a version 1 file) plus the footer rule, which
 * gives the offset for instants after the last transition. Before the first
 * transition the first time type applies (RFC 8536 §3.2).
 */
#include "sql/tz.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "fsutil.h"
#include "strutil.h"
#include "timeutil.h"

#define DEFAULT_DIR "/usr/share/zoneinfo"

/* One POSIX TZ rule date: Jn, n or Mm.w.d, with the local time of day. */
typedef struct {
    char kind; /* 'J', 'n' or 'M' */
    int a, b, c;
    int64_t secs;
} tz_rule;

struct sql_tz {
    char *path;
    int64_t *times;   /* transition instants, ascending */
    int32_t *offs;    /* offset in force from times[i] */
    size_t n;
    int32_t first;    /* offset before times[0] (time type 0) */
    bool has_footer;  /* the footer has a rule */
    int32_t std, dst; /* footer offsets (east of UTC) */
    bool has_dst;
    tz_rule start, end;
    struct sql_tz *next; /* in the cache */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
/* Every zone loaded, newest first. Unbounded but finite: one entry per
 * file of the zone directory at most. */
static sql_tz *cache;
static const char *zone_dir = DEFAULT_DIR;

void sql_tz_dir_set(const char *dir)
{
    pthread_mutex_lock(&cache_lock);
    zone_dir = dir ? dir : DEFAULT_DIR;
    pthread_mutex_unlock(&cache_lock);
}

static void tz_free(sql_tz *z)
{
    if (!z)
        return;
    free(z->path);
    free(z->times);
    free(z->offs);
    free(z);
}

/* ---- the footer: std offset [dst [offset] ,start[/time],end[/time]] ---- */

static const char *tz_name(const char *s)
{
    if (*s == '<') {
        const char *e = strchr(s, '>');
        return e ? e + 1 : NULL;
    }
    const char *p = s;
    while (isalpha((unsigned char)*p))
        p++;
    return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] as seconds; hours up to 167 (RFC 8536 §3.3.1). */
static const char *tz_hms(const char *s, int64_t *out)
{
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int64_t v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*s))
            return NULL;
        while (isdigit((unsigned char)*s))
            v[i] = v[i] * 10 + (*s++ - '0');
        if (v[i] > 167 || *s != ':')
            break;
        s++;
    }
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    return s;
}

static const char *tz_num(const char *s, int *out)
{
    if (!isdigit((unsigned char)*s))
        return NULL;
    int v = 0;
    while (isdigit((unsigned char)*s) && v < 1000)
        v = v * 10 + (*s++ - '0');
    *out = v;
    return s;
}

static const char *tz_rule_parse(const char *s, tz_rule *r)
{
    r->secs = 7200; /* 02:00:00 */
    if (*s == 'M') {
        r->kind = 'M';
        if (!(s = tz_num(s + 1, &r->a)) || *s != '.' || !(s = tz_num(s + 1, &r->b)) || *s != '.' ||
            !(s = tz_num(s + 1, &r->c)) || r->a < 1 || r->a > 12 || r->b < 1 || r->b > 5 || r->c > 6)
            return NULL;
    } else {
        r->kind = *s == 'J' ? 'J' : 'n';
        if (!(s = tz_num(s + (*s == 'J'), &r->a)) || r->a > 365 || (r->kind == 'J' && r->a < 1))
            return NULL;
    }
    if (*s == '/')
        s = tz_hms(s + 1, &r->secs);
    return s;
}

/* Whether the footer is usable; an empty footer means "no rule". */
static bool tz_footer_parse(sql_tz *z, const char *s)
{
    int64_t off;
    if (!*s)
        return true;
    if (!(s = tz_name(s)) || !(s = tz_hms(s, &off)))
        return false;
    z->std = (int32_t)-off; /* POSIX offsets count west of UTC */
    z->has_footer = true;
    if (!*s)
        return true;
    if (!(s = tz_name(s)))
        return false;
    z->dst = z->std + 3600;
    if (*s && *s != ',') {
        if (!(s = tz_hms(s, &off)))
            return false;
        z->dst = (int32_t)-off;
    }
    if (*s != ',' || !(s = tz_rule_parse(s + 1, &z->start)) || *s != ',' || !(s = tz_rule_parse(s + 1, &z->end)))
        return false;
    z->has_dst = true;
    return *s == '\0';
}

/* The local-time instant (seconds) at which rule r falls in year y. */
static int64_t tz_rule_at(const tz_rule *r, int64_t y)
{
    int64_t jan1 = mc_days_from_civil(y, 1, 1), day;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (r->kind == 'J') {
        day = jan1 + r->a - 1 + (leap && r->a >= 60);
    } else if (r->kind == 'n') {
        day = jan1 + r->a;
    } else {
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int64_t first = mc_days_from_civil(y, r->a, 1);
        int wd = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; Sunday 0 */
        int d = 1 + (r->c - wd + 7) % 7 + (r->b - 1) * 7;
        int len = mdays[r->a - 1] + (r->a == 2 && leap);
        while (d > len)
            d -= 7;
        day = first + d - 1;
    }
    return day * 86400 + r->secs;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static int32_t tz_footer_offset(const sql_tz *z, int64_t utc)
{
    if (!z->has_dst)
        return z->std;
    int64_t y, days = floor_div(utc + z->std, 86400);
    int m, d;
    mc_civil_from_days(days, &y, &m, &d);
    /* start is in standard time, end in daylight time (POSIX). */
    int64_t start = tz_rule_at(&z->start, y) - z->std, end = tz_rule_at(&z->end, y) - z->dst;
    bool in_dst = start < end ? utc >= start && utc < end : !(utc >= end && utc < start);
    return in_dst ? z->dst : z->std;
}

int64_t sql_tz_utc_offset(const sql_tz *z, int64_t utc)
{
    if (!z->n || utc < z->times[0])
        return z->first;
    if (utc >= z->times[z->n - 1] && z->has_footer)
        return tz_footer_offset(z, utc);
    size_t lo = 0, hi = z->n; /* the last transition <= utc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->times[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return z->offs[lo];
}

/* The offsets a day either side bracket any transition near local (zones
 * do not change twice within two days); of the two the earlier is kept
 * unless only the later fits. */
int64_t sql_tz_local_offset(const sql_tz *z, int64_t local)
{
    int64_t before = sql_tz_utc_offset(z, local - 86400), after = sql_tz_utc_offset(z, local + 86400);
    if (before == after || sql_tz_utc_offset(z, local - before) == before)
        return before;
    return sql_tz_utc_offset(z, local - after) == after ? after : before;
}

/* ---- TZif ---------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

typedef struct {
    uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static bool tzif_header(const unsigned char *p, size_t n, tzif_counts *c, int *version)
{
    if (n < 44 || memcmp(p, "TZif", 4))
        return false;
    *version = p[4] ? p[4] - '0' : 1;
    c->isut = be32(p + 20), c->isstd = be32(p + 24), c->leap = be32(p + 28);
    c->time = be32(p + 32), c->type = be32(p + 36), c->chars = be32(p + 40);
    return c->type >= 1 && c->type <= 256 && c->time <= 1000000 && c->leap <= 100000 && c->chars <= 100000 &&
           c->isut <= 256 && c->isstd <= 256;
}

static size_t tzif_body_len(const tzif_counts *c, size_t tsize)
{
    return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) + c->isstd + c->isut;
}

static sql_tz *tzif_parse(const unsigned char *p, size_t n)
{
    tzif_counts c;
    int version;
    if (!tzif_header(p, n, &c, &version))
        return NULL;
    size_t tsize = 4, body = tzif_body_len(&c, 4);
    const unsigned char *end = p + n;
    if (version >= 2) {
        if (n < 44 + body)
            return NULL;
        p += 44 + body;
        n -= 44 + body;
        if (!tzif_header(p, n, &c, &version))
            return NULL;
        tsize = 8;
        body = tzif_body_len(&c, 8);
    }
    if (n < 44 + body)
        return NULL;
    const unsigned char *times = p + 44, *idx = times + c.time * tsize, *types = idx + c.time;
    sql_tz *z = mc_calloc(1, sizeof *z);
    z->n = c.time;
    z->times = mc_malloc((c.time ? c.time : 1) * sizeof *z->times);
    z->offs = mc_malloc((c.time ? c.time : 1) * sizeof *z->offs);
    for (size_t i = 0; i < c.time; i++) {
        z->times[i] = tsize == 8 ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
        if (idx[i] >= c.type || (i && z->times[i] <= z->times[i - 1])) {
            tz_free(z);
            return NULL;
        }
        z->offs[i] = (int32_t)be32(types + idx[i] * 6);
    }
    z->first = (int32_t)be32(types);
    if (version >= 2) { /* footer: "\n" TZ "\n" */
        const unsigned char *f = p + 44 + body;
        const unsigned char *nl = f < end && *f == '\n' ? memchr(f + 1, '\n', (size_t)(end - f - 1)) : NULL;
        char *tzs = nl ? mc_strndup((const char *)f + 1, (size_t)(nl - f - 1)) : NULL;
        bool ok = tzs && tz_footer_parse(z, tzs);
        free(tzs);
        if (!ok) {
            tz_free(z);
            return NULL;
        }
    }
    return z;
}

/* ---- names ---------------------------------------------------------------- */

/* Java's ZoneId.SHORT_IDS: the abbreviations MaxCompute (a Java runtime)
 * accepts, e.g. 'PST' in the FROM_UTC_TIMESTAMP docs. The fixed-offset ids
 * (EST, MST, HST) name their Etc/GMT zones. */
static const char *const SHORT_IDS[][2] = {
    {"ACT", "Australia/Darwin"},     {"AET", "Australia/Sydney"},
    {"AGT", "America/Argentina/Buenos_Aires"},
    {"ART", "Africa/Cairo"},         {"AST", "America/Anchorage"},
    {"BET", "America/Sao_Paulo"},    {"BST", "Asia/Dhaka"},
    {"CAT", "Africa/Harare"},        {"CNT", "America/St_Johns"},
    {"CST", "America/Chicago"},      {"CTT", "Asia/Shanghai"},
    {"EAT", "Africa/Addis_Ababa"},   {"ECT", "Europe/Paris"},
    {"EST", "Etc/GMT+5"},            {"HST", "Etc/GMT+10"},
    {"IET", "America/Indiana/Indianapolis"},
    {"IST", "Asia/Kolkata"},         {"JST", "Asia/Tokyo"},
    {"MIT", "Pacific/Apia"},         {"MST", "Etc/GMT+7"},
    {"NET", "Asia/Yerevan"},         {"NST", "Pacific/Auckland"},
    {"PLT", "Asia/Karachi"},         {"PNT", "America/Phoenix"},
    {"PRT", "America/Puerto_Rico"},  {"PST", "America/Los_Angeles"},
    {"SST", "Pacific/Guadalcanal"},  {"VST", "Asia/Ho_Chi_Minh"},
};

/* Area/City style: letters, digits, '_', '-', '+' in '/'-separated parts,
 * none empty or starting with '.', so nothing escapes the zone directory. */
static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 64 || s[0] == '/' || s[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!isalnum(ch) && ch != '_' && ch != '-' && ch != '+' && ch != '/')
            return false;
        if (ch == '/' && s[i + 1] == '/')
            return false;
    }
    return true;
}

/* 'GMT+9', 'UTC-08:00': offsets, which the zone functions do not take
 * (reference/maxcompute-sql.md §6.1). The IANA Etc/GMT+n zones are names. */
static bool offset_style(const char *s)
{
    return (!strncasecmp(s, "GMT", 3) || !strncasecmp(s, "UTC", 3)) && (s[3] == '+' || s[3] == '-');
}

/* Under cache_lock. */
static const sql_tz *cache_find(const char *path)
{
    for (const sql_tz *z = cache; z; z = z->next)
        if (!strcmp(z->path, path))
            return z;
    return NULL;
}

int sql_tz_find(const sql_tz **out, const char *name, mc_err *err)
{
    *out = NULL;
    if (!name_ok(name))
        return mc_err_set(err, MC_ERR_INVALID, "invalid time zone name '%s'", name);
    if (offset_style(name))
        return mc_err_set(err, MC_ERR_INVALID,
                          "time zone '%s' is an offset, not a zone name; use a name such as Asia/Tokyo", name);
    const char *file = name;
    for (size_t i = 0; i < sizeof SHORT_IDS / sizeof *SHORT_IDS; i++)
        if (!strcmp(SHORT_IDS[i][0], name))
            file = SHORT_IDS[i][1];
    pthread_mutex_lock(&cache_lock);
    char *path = mc_asprintf("%s/%s", zone_dir, file);
    char *dir = mc_strdup(zone_dir);
    *out = cache_find(path);
    pthread_mutex_unlock(&cache_lock);
    int rc = 0;
    if (!*out) {
        struct stat st;
        mc_buf data = MC_BUF_INIT;
        mc_err ferr;
        sql_tz *z = NULL;
        if (stat(dir, &st) != 0) {
            rc = mc_err_set(err, MC_ERR_UNSUPPORTED,
                            "the time zone database is not installed (%s is missing; install the tzdata package)",
                            dir);
        } else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || mc_file_read_all(&data, path, &ferr)) {
            rc = mc_err_set(err, MC_ERR_INVALID, "unknown time zone '%s'", name);
        } else if (!(z = tzif_parse((const unsigned char *)data.data, data.len))) {
            rc = mc_err_set(err, MC_ERR_INVALID, "time zone '%s': %s is not a valid TZif file", name, path);
        } else {
            z->path = path;
            path = NULL;
            pthread_mutex_lock(&cache_lock);
            if (!(*out = cache_find(z->path))) { /* else another thread loaded it meanwhile */
                z->next = cache;
                cache = z;
                *out = z;
                z = NULL;
            }
            pthread_mutex_unlock(&cache_lock);
            tz_free(z);
        }
        mc_buf_free(&data);
    }
    free(path);
    free(dir);
    return rc;
}
