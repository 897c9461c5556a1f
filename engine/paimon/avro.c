/*
 * paimon/avro: Avro binary encoding, schema parsing, generic decoding and
 * object container files (see avro.h; Avro 1.11 specification, "Binary
 * Encoding" and "Object Container Files"; reference/paimon-format.md §4.1).
 *
 * Invariants: a decoder never reads past `len`; every allocation made while
 * decoding is reachable from the output value, so paimon_avro_value_clear
 * frees a partially decoded value too. Collection counts are checked against
 * the bytes left before anything is allocated for them.
 */
#include "paimon/avro.h"

#include <jansson.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define MAX_DEPTH 64
#define SYNC_INTERVAL (64 * 1024)
#define MAX_BLOCK (256u * 1024 * 1024) /* refuse absurd decompressed blocks */

/* ---- schema -------------------------------------------------------------- */

typedef struct {
    paimon_avro_schema *s;
    char **full;  /* full names of named nodes, parallel to named */
    paimon_avro_node **named;
    size_t nnamed;
} schema_ctx;

static paimon_avro_node *node_new(schema_ctx *c, paimon_avro_kind k)
{
    paimon_avro_node *n = mc_calloc(1, sizeof *n);
    n->kind = k;
    c->s->all = mc_realloc(c->s->all, (c->s->nall + 1) * sizeof *c->s->all);
    c->s->all[c->s->nall++] = n;
    return n;
}

static void node_free(paimon_avro_node *n)
{
    free(n->name);
    free(n->logical_type);
    for (size_t i = 0; i < n->n && n->names; i++)
        free(n->names[i]);
    free(n->names);
    free(n->children);
    free(n);
}

void paimon_avro_schema_free(paimon_avro_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nall; i++)
        node_free(s->all[i]);
    free(s->all);
    free(s);
}

static int primitive_kind(const char *t, paimon_avro_kind *k)
{
    static const struct {
        const char *name;
        paimon_avro_kind kind;
    } prim[] = {{"null", PAIMON_AVRO_NULL},     {"boolean", PAIMON_AVRO_BOOLEAN},
                {"int", PAIMON_AVRO_INT},       {"long", PAIMON_AVRO_LONG},
                {"float", PAIMON_AVRO_FLOAT},   {"double", PAIMON_AVRO_DOUBLE},
                {"bytes", PAIMON_AVRO_BYTES},   {"string", PAIMON_AVRO_STRING}};
    for (size_t i = 0; i < sizeof prim / sizeof prim[0]; i++) {
        if (strcmp(prim[i].name, t) == 0) {
            *k = prim[i].kind;
            return 0;
        }
    }
    return -1;
}

static paimon_avro_node *lookup_named(schema_ctx *c, const char *name, const char *ns)
{
    for (size_t i = 0; i < c->nnamed; i++) {
        if (strcmp(c->full[i], name) == 0)
            return c->named[i];
        if (ns && *ns) {
            size_t nl = strlen(ns);
            if (strncmp(c->full[i], ns, nl) == 0 && c->full[i][nl] == '.' &&
                strcmp(c->full[i] + nl + 1, name) == 0)
                return c->named[i];
        }
    }
    for (size_t i = 0; i < c->nnamed; i++) /* short name as a last resort */
        if (strcmp(c->named[i]->name, name) == 0)
            return c->named[i];
    return NULL;
}

static void register_named(schema_ctx *c, paimon_avro_node *n, const char *name, const char *ns)
{
    const char *dot = strrchr(name, '.');
    n->name = mc_strdup(dot ? dot + 1 : name);
    c->full = mc_realloc(c->full, (c->nnamed + 1) * sizeof *c->full);
    c->named = mc_realloc(c->named, (c->nnamed + 1) * sizeof *c->named);
    c->full[c->nnamed] = (dot || !ns || !*ns) ? mc_strdup(name) : mc_asprintf("%s.%s", ns, name);
    c->named[c->nnamed++] = n;
}

static int parse_node(paimon_avro_node **out, schema_ctx *c, json_t *j, const char *ns, int depth,
                      mc_err *err);

static int parse_object(paimon_avro_node **out, schema_ctx *c, json_t *j, const char *ns, int depth,
                        mc_err *err)
{
    json_t *tj = json_object_get(j, "type");
    const char *t = json_string_value(tj);
    if (!t) /* {"type": {...}} or {"type": [...]} */
        return tj ? parse_node(out, c, tj, ns, depth + 1, err)
                  : mc_err_set(err, MC_ERR_PROTOCOL, "Avro schema object without 'type'");
    paimon_avro_kind k;
    paimon_avro_node *n;
    const char *lt = json_string_value(json_object_get(j, "logicalType"));
    if (primitive_kind(t, &k) == 0) {
        n = node_new(c, k);
    } else if (strcmp(t, "record") == 0 || strcmp(t, "error") == 0) {
        const char *name = json_string_value(json_object_get(j, "name"));
        json_t *fields = json_object_get(j, "fields");
        if (!name || !json_is_array(fields))
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro record without name or fields");
        const char *rns = json_string_value(json_object_get(j, "namespace"));
        n = node_new(c, PAIMON_AVRO_RECORD);
        register_named(c, n, name, rns ? rns : ns);
        const char *dot = strrchr(name, '.');
        char *inner_ns = dot ? mc_strndup(name, (size_t)(dot - name)) : mc_strdup(rns ? rns : (ns ? ns : ""));
        size_t nf = json_array_size(fields);
        n->names = mc_calloc(nf + 1, sizeof *n->names);
        n->children = mc_calloc(nf + 1, sizeof *n->children);
        for (size_t i = 0; i < nf; i++) {
            json_t *f = json_array_get(fields, i);
            const char *fname = json_string_value(json_object_get(f, "name"));
            if (!fname) {
                free(inner_ns);
                return mc_err_set(err, MC_ERR_PROTOCOL, "Avro record field without a name");
            }
            n->names[i] = mc_strdup(fname);
            n->n = i + 1;
            if (parse_node(&n->children[i], c, json_object_get(f, "type"), inner_ns, depth + 1, err) != 0) {
                free(inner_ns);
                return mc_err_prefix(err, "field '%s'", fname);
            }
        }
        free(inner_ns);
    } else if (strcmp(t, "enum") == 0) {
        const char *name = json_string_value(json_object_get(j, "name"));
        json_t *syms = json_object_get(j, "symbols");
        if (!name || !json_is_array(syms))
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro enum without name or symbols");
        n = node_new(c, PAIMON_AVRO_ENUM);
        register_named(c, n, name, ns);
        size_t ns_ = json_array_size(syms);
        n->names = mc_calloc(ns_ + 1, sizeof *n->names);
        for (size_t i = 0; i < ns_; i++) {
            const char *sym = json_string_value(json_array_get(syms, i));
            n->names[i] = mc_strdup(sym ? sym : "");
            n->n = i + 1;
        }
    } else if (strcmp(t, "fixed") == 0) {
        const char *name = json_string_value(json_object_get(j, "name"));
        json_t *size = json_object_get(j, "size");
        if (!name || !json_is_integer(size) || json_integer_value(size) < 0)
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro fixed without name or size");
        n = node_new(c, PAIMON_AVRO_FIXED);
        register_named(c, n, name, ns);
        n->fixed_size = (size_t)json_integer_value(size);
    } else if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
        bool arr = t[0] == 'a';
        n = node_new(c, arr ? PAIMON_AVRO_ARRAY : PAIMON_AVRO_MAP);
        n->children = mc_calloc(1, sizeof *n->children);
        json_t *sub = json_object_get(j, arr ? "items" : "values");
        if (!sub)
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro %s without '%s'", t, arr ? "items" : "values");
        if (parse_node(&n->children[0], c, sub, ns, depth + 1, err) != 0)
            return -1;
    } else {
        paimon_avro_node *ref = lookup_named(c, t, ns);
        if (!ref)
            return mc_err_set(err, MC_ERR_PROTOCOL, "unknown Avro type '%s'", t);
        *out = ref;
        return 0;
    }
    if (lt) {
        n->logical_type = mc_strdup(lt);
        json_t *p = json_object_get(j, "precision"), *s = json_object_get(j, "scale");
        n->precision = json_is_integer(p) ? (int32_t)json_integer_value(p) : 0;
        n->scale = json_is_integer(s) ? (int32_t)json_integer_value(s) : 0;
    }
    *out = n;
    return 0;
}

static int parse_node(paimon_avro_node **out, schema_ctx *c, json_t *j, const char *ns, int depth,
                      mc_err *err)
{
    *out = NULL;
    if (depth > MAX_DEPTH)
        return mc_err_set(err, MC_ERR_PROTOCOL, "Avro schema nested too deeply");
    if (json_is_string(j)) {
        const char *t = json_string_value(j);
        paimon_avro_kind k;
        if (primitive_kind(t, &k) == 0) {
            *out = node_new(c, k);
            return 0;
        }
        paimon_avro_node *ref = lookup_named(c, t, ns);
        if (!ref)
            return mc_err_set(err, MC_ERR_PROTOCOL, "unknown Avro type '%s'", t);
        *out = ref;
        return 0;
    }
    if (json_is_array(j)) {
        paimon_avro_node *n = node_new(c, PAIMON_AVRO_UNION);
        size_t nb = json_array_size(j);
        n->children = mc_calloc(nb + 1, sizeof *n->children);
        for (size_t i = 0; i < nb; i++) {
            if (parse_node(&n->children[i], c, json_array_get(j, i), ns, depth + 1, err) != 0)
                return -1;
            n->n = i + 1;
        }
        *out = n;
        return 0;
    }
    if (json_is_object(j))
        return parse_object(out, c, j, ns, depth, err);
    return mc_err_set(err, MC_ERR_PROTOCOL, "Avro schema is not a string, array or object");
}

int paimon_avro_schema_parse(paimon_avro_schema **out, const char *json, size_t len, mc_err *err)
{
    *out = NULL;
    json_error_t je;
    json_t *j = json_loadb(json, len, JSON_DECODE_ANY, &je);
    if (!j)
        return mc_err_set(err, MC_ERR_PROTOCOL, "Avro schema JSON: %s", je.text);
    schema_ctx c = {.s = mc_calloc(1, sizeof(paimon_avro_schema))};
    int rc = parse_node(&c.s->root, &c, j, NULL, 0, err);
    json_decref(j);
    for (size_t i = 0; i < c.nnamed; i++)
        free(c.full[i]);
    free(c.full);
    free(c.named);
    if (rc != 0) {
        paimon_avro_schema_free(c.s);
        return mc_err_prefix(err, "Avro schema");
    }
    *out = c.s;
    return 0;
}

int paimon_avro_node_field(const paimon_avro_node *record, const char *name)
{
    if (!record || record->kind != PAIMON_AVRO_RECORD)
        return -1;
    for (size_t i = 0; i < record->n; i++)
        if (strcmp(record->names[i], name) == 0)
            return (int)i;
    return -1;
}

/* ---- primitives ---------------------------------------------------------- */

void paimon_avro_put_long(mc_buf *out, int64_t v)
{
    uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    uint8_t b[10];
    size_t n = 0;
    while (z >= 0x80) {
        b[n++] = (uint8_t)(z | 0x80);
        z >>= 7;
    }
    b[n++] = (uint8_t)z;
    mc_buf_append(out, b, n);
}

void paimon_avro_put_bool(mc_buf *out, bool v)
{
    mc_buf_putc(out, v ? 1 : 0);
}

void paimon_avro_put_float(mc_buf *out, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    uint8_t b[4] = {(uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24)};
    mc_buf_append(out, b, 4);
}

void paimon_avro_put_double(mc_buf *out, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(u >> (8 * i));
    mc_buf_append(out, b, 8);
}

void paimon_avro_put_bytes(mc_buf *out, const void *p, size_t n)
{
    paimon_avro_put_long(out, (int64_t)n);
    if (n)
        mc_buf_append(out, p, n);
}

void paimon_avro_put_string(mc_buf *out, const char *s)
{
    paimon_avro_put_bytes(out, s, strlen(s));
}

int paimon_avro_get_long(int64_t *v, const uint8_t *data, size_t len, size_t *pos, mc_err *err)
{
    uint64_t z = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (*pos >= len)
            return mc_err_set(err, MC_ERR_PROTOCOL, "truncated Avro varint at byte %zu", *pos);
        uint8_t b = data[(*pos)++];
        z |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
            return 0;
        }
        if (shift == 63)
            break;
    }
    return mc_err_set(err, MC_ERR_PROTOCOL, "Avro varint longer than 10 bytes at byte %zu", *pos);
}

static int get_int(int64_t *v, const uint8_t *data, size_t len, size_t *pos, mc_err *err)
{
    if (paimon_avro_get_long(v, data, len, pos, err) != 0)
        return -1;
    if (*v < INT32_MIN || *v > INT32_MAX)
        return mc_err_set(err, MC_ERR_PROTOCOL, "Avro int out of range at byte %zu", *pos);
    return 0;
}

/* Length-prefixed bytes; *p borrows data. */
static int get_bytes(const uint8_t **p, size_t *n, const uint8_t *data, size_t len, size_t *pos,
                     mc_err *err)
{
    int64_t l = 0;
    if (paimon_avro_get_long(&l, data, len, pos, err) != 0)
        return -1;
    if (l < 0 || (uint64_t)l > len - *pos)
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "Avro bytes/string length %lld exceeds the %zu bytes left at byte %zu",
                          (long long)l, len - *pos, *pos);
    *p = data + *pos;
    *n = (size_t)l;
    *pos += (size_t)l;
    return 0;
}

/* ---- generic values ------------------------------------------------------- */

void paimon_avro_value_clear(paimon_avro_value *v)
{
    if (!v)
        return;
    free(v->bytes);
    for (size_t i = 0; i < v->n; i++) {
        if (v->items)
            paimon_avro_value_clear(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

const paimon_avro_value *paimon_avro_get(const paimon_avro_value *record, const char *name)
{
    if (!record || record->kind != PAIMON_AVRO_RECORD)
        return NULL;
    int i = paimon_avro_node_field(record->node, name);
    return i < 0 ? NULL : &record->items[i];
}

bool paimon_avro_is_null(const paimon_avro_value *v)
{
    return !v || v->kind == PAIMON_AVRO_NULL;
}

static int decode(paimon_avro_value *out, const paimon_avro_node *node, const uint8_t *data,
                  size_t len, size_t *pos, int depth, mc_err *err);

/* Arrays and maps: blocks of `count` items; a negative count is followed by
 * the block's byte size; a zero count ends the sequence. */
static int decode_blocks(paimon_avro_value *out, const paimon_avro_node *node, const uint8_t *data,
                         size_t len, size_t *pos, int depth, mc_err *err)
{
    bool is_map = node->kind == PAIMON_AVRO_MAP;
    size_t cap = 0;
    for (;;) {
        int64_t count = 0;
        if (paimon_avro_get_long(&count, data, len, pos, err) != 0)
            return -1;
        if (count == 0)
            return 0;
        if (count < 0) {
            int64_t size = 0;
            if (count == INT64_MIN)
                return mc_err_set(err, MC_ERR_PROTOCOL, "bad Avro block count at byte %zu", *pos);
            count = -count;
            if (paimon_avro_get_long(&size, data, len, pos, err) != 0)
                return -1;
            if (size < 0 || (uint64_t)size > len - *pos)
                return mc_err_set(err, MC_ERR_PROTOCOL, "Avro block size %lld exceeds the data left",
                                  (long long)size);
        }
        /* every item takes at least one byte unless it is null-typed; refuse
         * counts that cannot fit the bytes left */
        if ((uint64_t)count > len - *pos && !(node->children[0]->kind == PAIMON_AVRO_NULL &&
                                              !is_map && count <= 1000000))
            return mc_err_set(err, MC_ERR_PROTOCOL,
                              "Avro %s block of %lld items exceeds the %zu bytes left",
                              is_map ? "map" : "array", (long long)count, len - *pos);
        size_t need = out->n + (size_t)count;
        if (need > cap) {
            size_t ncap = cap ? cap : 4;
            while (ncap < need)
                ncap *= 2;
            out->items = mc_realloc(out->items, ncap * sizeof *out->items);
            memset(out->items + cap, 0, (ncap - cap) * sizeof *out->items);
            if (is_map) {
                out->keys = mc_realloc(out->keys, ncap * sizeof *out->keys);
                memset(out->keys + cap, 0, (ncap - cap) * sizeof *out->keys);
            }
            cap = ncap;
        }
        for (int64_t i = 0; i < count; i++) {
            if (is_map) {
                const uint8_t *k = NULL;
                size_t kn = 0;
                if (get_bytes(&k, &kn, data, len, pos, err) != 0)
                    return -1;
                out->keys[out->n] = mc_strndup((const char *)k, kn);
            }
            out->n++;
            if (decode(&out->items[out->n - 1], node->children[0], data, len, pos, depth + 1, err) != 0)
                return -1;
        }
    }
}

static int decode(paimon_avro_value *out, const paimon_avro_node *node, const uint8_t *data,
                  size_t len, size_t *pos, int depth, mc_err *err)
{
    memset(out, 0, sizeof *out);
    out->branch = -1;
    if (depth > MAX_DEPTH)
        return mc_err_set(err, MC_ERR_PROTOCOL, "Avro datum nested too deeply");
    if (node->kind == PAIMON_AVRO_UNION) {
        int64_t b = 0;
        if (paimon_avro_get_long(&b, data, len, pos, err) != 0)
            return -1;
        if (b < 0 || (uint64_t)b >= node->n)
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro union index %lld out of range (%zu branches)",
                              (long long)b, node->n);
        if (decode(out, node->children[b], data, len, pos, depth + 1, err) != 0)
            return -1;
        out->branch = (int32_t)b;
        return 0;
    }
    out->kind = node->kind;
    out->node = node;
    const uint8_t *p = NULL;
    size_t n = 0;
    switch (node->kind) {
    case PAIMON_AVRO_NULL: return 0;
    case PAIMON_AVRO_BOOLEAN:
        if (*pos >= len)
            return mc_err_set(err, MC_ERR_PROTOCOL, "truncated Avro boolean");
        out->l = data[(*pos)++] != 0;
        return 0;
    case PAIMON_AVRO_INT: return get_int(&out->l, data, len, pos, err);
    case PAIMON_AVRO_LONG: return paimon_avro_get_long(&out->l, data, len, pos, err);
    case PAIMON_AVRO_ENUM:
        if (get_int(&out->l, data, len, pos, err) != 0)
            return -1;
        if (out->l < 0 || (uint64_t)out->l >= node->n)
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro enum index %lld out of range",
                              (long long)out->l);
        return 0;
    case PAIMON_AVRO_FLOAT: {
        if (len - *pos < 4)
            return mc_err_set(err, MC_ERR_PROTOCOL, "truncated Avro float");
        uint32_t u = (uint32_t)data[*pos] | (uint32_t)data[*pos + 1] << 8 |
                     (uint32_t)data[*pos + 2] << 16 | (uint32_t)data[*pos + 3] << 24;
        float f;
        memcpy(&f, &u, 4);
        out->d = f;
        *pos += 4;
        return 0;
    }
    case PAIMON_AVRO_DOUBLE: {
        if (len - *pos < 8)
            return mc_err_set(err, MC_ERR_PROTOCOL, "truncated Avro double");
        uint64_t u = 0;
        for (int i = 0; i < 8; i++)
            u |= (uint64_t)data[*pos + i] << (8 * i);
        memcpy(&out->d, &u, 8);
        *pos += 8;
        return 0;
    }
    case PAIMON_AVRO_BYTES:
    case PAIMON_AVRO_STRING:
        if (get_bytes(&p, &n, data, len, pos, err) != 0)
            return -1;
        out->bytes = mc_malloc(n + 1); /* bytes may hold NULs: no strndup */
        if (n)
            memcpy(out->bytes, p, n);
        out->bytes[n] = 0;
        out->len = n;
        return 0;
    case PAIMON_AVRO_FIXED:
        if (len - *pos < node->fixed_size)
            return mc_err_set(err, MC_ERR_PROTOCOL, "truncated Avro fixed");
        out->bytes = mc_malloc(node->fixed_size + 1);
        memcpy(out->bytes, data + *pos, node->fixed_size);
        out->bytes[node->fixed_size] = 0;
        out->len = node->fixed_size;
        *pos += node->fixed_size;
        return 0;
    case PAIMON_AVRO_RECORD:
        out->items = mc_calloc(node->n + 1, sizeof *out->items);
        for (size_t i = 0; i < node->n; i++) {
            out->n = i + 1;
            if (decode(&out->items[i], node->children[i], data, len, pos, depth + 1, err) != 0)
                return mc_err_prefix(err, "field '%s'", node->names[i]);
        }
        return 0;
    case PAIMON_AVRO_ARRAY:
    case PAIMON_AVRO_MAP: return decode_blocks(out, node, data, len, pos, depth, err);
    case PAIMON_AVRO_UNION: break;
    }
    return mc_err_set(err, MC_ERR_INTERNAL, "unhandled Avro kind");
}

int paimon_avro_decode(paimon_avro_value *out, const paimon_avro_node *node, const uint8_t *data,
                       size_t len, size_t *pos, mc_err *err)
{
    if (*pos > len)
        return mc_err_set(err, MC_ERR_PROTOCOL, "Avro position past the end");
    return decode(out, node, data, len, pos, 0, err);
}

/* ---- codecs ------------------------------------------------------------- */

static int block_decompress(mc_buf *out, const char *codec, const uint8_t *in, size_t n, mc_err *err)
{
    mc_buf_reset(out);
    if (strcmp(codec, "null") == 0) {
        mc_buf_append(out, in, n);
        return 0;
    }
    if (strcmp(codec, "zstandard") == 0) {
        ZSTD_DStream *ds = ZSTD_createDStream();
        ZSTD_initDStream(ds);
        ZSTD_inBuffer ib = {in, n, 0};
        int rc = 0;
        size_t r = 1;
        while (ib.pos < ib.size || r != 0) {
            mc_buf_reserve(out, 64 * 1024);
            ZSTD_outBuffer ob = {out->data + out->len, out->cap - out->len - 1, 0};
            size_t before = ib.pos;
            r = ZSTD_decompressStream(ds, &ob, &ib);
            if (ZSTD_isError(r)) {
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "zstandard block: %s", ZSTD_getErrorName(r));
                break;
            }
            out->len += ob.pos;
            out->data[out->len] = 0;
            if (out->len > MAX_BLOCK) {
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "zstandard block expands beyond %u bytes",
                                MAX_BLOCK);
                break;
            }
            if (ob.pos == 0 && ib.pos == before && ib.pos == ib.size) {
                if (r != 0)
                    rc = mc_err_set(err, MC_ERR_PROTOCOL, "truncated zstandard block");
                break;
            }
        }
        ZSTD_freeDStream(ds);
        return rc;
    }
    if (strcmp(codec, "deflate") == 0) {
        z_stream zs = {0};
        if (inflateInit2(&zs, -15) != Z_OK)
            return mc_err_set(err, MC_ERR_INTERNAL, "inflateInit2 failed");
        zs.next_in = (Bytef *)in;
        zs.avail_in = (uInt)n;
        int zr = Z_OK, rc = 0;
        while (zr != Z_STREAM_END) {
            mc_buf_reserve(out, 64 * 1024);
            zs.next_out = (Bytef *)out->data + out->len;
            zs.avail_out = (uInt)(out->cap - out->len - 1);
            uInt before = zs.avail_out;
            zr = inflate(&zs, Z_NO_FLUSH);
            out->len += before - zs.avail_out;
            out->data[out->len] = 0;
            if (zr != Z_OK && zr != Z_STREAM_END) {
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "deflate block: %s",
                                zr == Z_BUF_ERROR ? "truncated data" : (zs.msg ? zs.msg : "corrupt"));
                break;
            }
            if (out->len > MAX_BLOCK) {
                rc = mc_err_set(err, MC_ERR_PROTOCOL, "deflate block too large");
                break;
            }
        }
        inflateEnd(&zs);
        return rc;
    }
    if (strcmp(codec, "snappy") == 0) {
        if (n < 4)
            return mc_err_set(err, MC_ERR_PROTOCOL, "snappy block lacks its CRC32");
        size_t ulen = 0;
        if (snappy_uncompressed_length((const char *)in, n - 4, &ulen) != SNAPPY_OK || ulen > MAX_BLOCK)
            return mc_err_set(err, MC_ERR_PROTOCOL, "snappy block: bad length header");
        mc_buf_reserve(out, ulen + 1);
        size_t got = ulen;
        if (snappy_uncompress((const char *)in, n - 4, out->data, &got) != SNAPPY_OK || got != ulen)
            return mc_err_set(err, MC_ERR_PROTOCOL, "snappy block: corrupt data");
        out->len = ulen;
        out->data[ulen] = 0;
        uint32_t want = (uint32_t)in[n - 4] << 24 | (uint32_t)in[n - 3] << 16 |
                        (uint32_t)in[n - 2] << 8 | in[n - 1];
        uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)out->data, (uInt)ulen);
        if (crc != want)
            return mc_err_set(err, MC_ERR_PROTOCOL, "snappy block: CRC32 mismatch");
        return 0;
    }
    return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro codec '%s' is not supported", codec);
}

static int block_compress(mc_buf *out, const char *codec, const uint8_t *in, size_t n, mc_err *err)
{
    mc_buf_reset(out);
    if (strcmp(codec, "null") == 0) {
        mc_buf_append(out, in, n);
        return 0;
    }
    if (strcmp(codec, "zstandard") == 0) {
        size_t bound = ZSTD_compressBound(n);
        mc_buf_reserve(out, bound + 1);
        /* level 1: Paimon's default zstd level (reference/paimon-format.md §7) */
        size_t r = ZSTD_compress(out->data, bound, in, n, 1);
        if (ZSTD_isError(r))
            return mc_err_set(err, MC_ERR_INTERNAL, "zstd: %s", ZSTD_getErrorName(r));
        out->len = r;
        out->data[r] = 0;
        return 0;
    }
    if (strcmp(codec, "deflate") == 0) {
        z_stream zs = {0};
        if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return mc_err_set(err, MC_ERR_INTERNAL, "deflateInit2 failed");
        size_t bound = deflateBound(&zs, (uLong)n);
        mc_buf_reserve(out, bound + 1);
        zs.next_in = (Bytef *)in;
        zs.avail_in = (uInt)n;
        zs.next_out = (Bytef *)out->data;
        zs.avail_out = (uInt)bound;
        int zr = deflate(&zs, Z_FINISH);
        out->len = bound - zs.avail_out;
        out->data[out->len] = 0;
        deflateEnd(&zs);
        if (zr != Z_STREAM_END)
            return mc_err_set(err, MC_ERR_INTERNAL, "deflate failed");
        return 0;
    }
    if (strcmp(codec, "snappy") == 0) {
        size_t bound = snappy_max_compressed_length(n);
        mc_buf_reserve(out, bound + 5);
        size_t got = bound;
        if (snappy_compress((const char *)in, n, out->data, &got) != SNAPPY_OK)
            return mc_err_set(err, MC_ERR_INTERNAL, "snappy compression failed");
        out->len = got;
        uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)in, (uInt)n);
        uint8_t t[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
        mc_buf_append(out, t, 4);
        return 0;
    }
    return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro codec '%s' is not supported", codec);
}

/* ---- container reader ------------------------------------------------------ */

struct paimon_avro_file {
    const uint8_t *data;
    size_t len;
    size_t pos;           /* next block header */
    paimon_avro_schema *schema;
    char *codec;
    uint8_t sync[16];
    mc_buf block;         /* decompressed current block */
    size_t block_pos;
    int64_t block_left;   /* records left in the current block */
};

static const uint8_t MAGIC[4] = {'O', 'b', 'j', 1};

int paimon_avro_file_open(paimon_avro_file **out, const uint8_t *data, size_t len, mc_err *err)
{
    *out = NULL;
    if (len < 4 || memcmp(data, MAGIC, 4) != 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "not an Avro object container file (bad magic)");
    paimon_avro_file *f = mc_calloc(1, sizeof *f);
    f->data = data;
    f->len = len;
    f->pos = 4;
    const uint8_t *schema = NULL, *codec = NULL;
    size_t schema_len = 0, codec_len = 0;
    for (;;) {
        int64_t count = 0;
        if (paimon_avro_get_long(&count, data, len, &f->pos, err) != 0)
            goto fail;
        if (count == 0)
            break;
        if (count < 0) {
            int64_t size = 0;
            if (count == INT64_MIN || paimon_avro_get_long(&size, data, len, &f->pos, err) != 0)
                goto fail_meta;
            count = -count;
        }
        if ((uint64_t)count > len - f->pos)
            goto fail_meta;
        for (int64_t i = 0; i < count; i++) {
            const uint8_t *k = NULL, *v = NULL;
            size_t kn = 0, vn = 0;
            if (get_bytes(&k, &kn, data, len, &f->pos, err) != 0 ||
                get_bytes(&v, &vn, data, len, &f->pos, err) != 0)
                goto fail;
            if (kn == 11 && memcmp(k, "avro.schema", 11) == 0) {
                schema = v;
                schema_len = vn;
            } else if (kn == 10 && memcmp(k, "avro.codec", 10) == 0) {
                codec = v;
                codec_len = vn;
            }
        }
    }
    if (len - f->pos < 16) {
        mc_err_set(err, MC_ERR_PROTOCOL, "Avro header truncated before the sync marker");
        goto fail;
    }
    memcpy(f->sync, data + f->pos, 16);
    f->pos += 16;
    if (!schema) {
        mc_err_set(err, MC_ERR_PROTOCOL, "Avro header has no avro.schema");
        goto fail;
    }
    f->codec = codec ? mc_strndup((const char *)codec, codec_len) : mc_strdup("null");
    if (strcmp(f->codec, "null") && strcmp(f->codec, "deflate") && strcmp(f->codec, "snappy") &&
        strcmp(f->codec, "zstandard")) {
        mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro codec '%s' is not supported", f->codec);
        goto fail;
    }
    if (paimon_avro_schema_parse(&f->schema, (const char *)schema, schema_len, err) != 0)
        goto fail;
    *out = f;
    return 0;
fail_meta:
    mc_err_set(err, MC_ERR_PROTOCOL, "malformed Avro header metadata");
fail:
    paimon_avro_file_close(f);
    return -1;
}

const paimon_avro_schema *paimon_avro_file_schema(const paimon_avro_file *f)
{
    return f->schema;
}

const char *paimon_avro_file_codec(const paimon_avro_file *f)
{
    return f->codec;
}

static int next_block(paimon_avro_file *f, mc_err *err)
{
    int64_t count = 0, size = 0;
    if (paimon_avro_get_long(&count, f->data, f->len, &f->pos, err) != 0 ||
        paimon_avro_get_long(&size, f->data, f->len, &f->pos, err) != 0)
        return mc_err_prefix(err, "Avro block header");
    if (count < 0 || size < 0 || (uint64_t)size > f->len - f->pos)
        return mc_err_set(err, MC_ERR_PROTOCOL,
                          "Avro block of %lld records and %lld bytes exceeds the file (%zu bytes left)",
                          (long long)count, (long long)size, f->len - f->pos);
    if (block_decompress(&f->block, f->codec, f->data + f->pos, (size_t)size, err) != 0)
        return -1;
    f->pos += (size_t)size;
    if (f->len - f->pos < 16 || memcmp(f->data + f->pos, f->sync, 16) != 0)
        return mc_err_set(err, MC_ERR_PROTOCOL, "Avro block not followed by the file's sync marker");
    f->pos += 16;
    f->block_pos = 0;
    f->block_left = count;
    return 0;
}

int paimon_avro_file_next(paimon_avro_file *f, paimon_avro_value *out, mc_err *err)
{
    while (f->block_left == 0) {
        if (f->block.len != f->block_pos)
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro block has %zu trailing bytes",
                              f->block.len - f->block_pos);
        if (f->pos == f->len)
            return 0;
        if (next_block(f, err) != 0)
            return -1;
    }
    if (decode(out, f->schema->root, (const uint8_t *)f->block.data, f->block.len, &f->block_pos, 0,
               err) != 0) {
        paimon_avro_value_clear(out);
        return mc_err_prefix(err, "Avro record");
    }
    f->block_left--;
    return 1;
}

void paimon_avro_file_close(paimon_avro_file *f)
{
    if (!f)
        return;
    paimon_avro_schema_free(f->schema);
    free(f->codec);
    mc_buf_free(&f->block);
    free(f);
}

/* ---- container writer ------------------------------------------------------ */

struct paimon_avro_writer {
    char *codec;
    mc_buf file;
    mc_buf pending;
    mc_buf scratch;
    int64_t pending_count;
    uint8_t sync[16];
};

int paimon_avro_writer_new(paimon_avro_writer **out, const char *schema_json, const char *codec,
                           mc_err *err)
{
    *out = NULL;
    if (strcmp(codec, "null") && strcmp(codec, "deflate") && strcmp(codec, "snappy") &&
        strcmp(codec, "zstandard"))
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro codec '%s' is not supported", codec);
    paimon_avro_writer *w = mc_calloc(1, sizeof *w);
    w->codec = mc_strdup(codec);
    /* A random sync marker, as Java's DataFileWriter makes one (MD5 of a UUID
     * and time); any 16 bytes that do not recur are fine. */
    FILE *r = fopen("/dev/urandom", "rb");
    if (!r || fread(w->sync, 1, 16, r) != 16) {
        for (int i = 0; i < 16; i++)
            w->sync[i] = (uint8_t)(rand() ^ (i * 131));
    }
    if (r)
        fclose(r);
    mc_buf_append(&w->file, MAGIC, 4);
    paimon_avro_put_long(&w->file, 2); /* metadata map: avro.schema, avro.codec (Java's order) */
    paimon_avro_put_string(&w->file, "avro.schema");
    paimon_avro_put_string(&w->file, schema_json);
    paimon_avro_put_string(&w->file, "avro.codec");
    paimon_avro_put_string(&w->file, codec);
    paimon_avro_put_long(&w->file, 0);
    mc_buf_append(&w->file, w->sync, 16);
    *out = w;
    return 0;
}

static int flush_block(paimon_avro_writer *w, mc_err *err)
{
    if (w->pending_count == 0)
        return 0;
    if (block_compress(&w->scratch, w->codec, (const uint8_t *)w->pending.data, w->pending.len, err) != 0)
        return -1;
    paimon_avro_put_long(&w->file, w->pending_count);
    paimon_avro_put_long(&w->file, (int64_t)w->scratch.len);
    mc_buf_append(&w->file, w->scratch.data, w->scratch.len);
    mc_buf_append(&w->file, w->sync, 16);
    mc_buf_reset(&w->pending);
    w->pending_count = 0;
    return 0;
}

int paimon_avro_writer_add(paimon_avro_writer *w, const void *record, size_t len, mc_err *err)
{
    mc_buf_append(&w->pending, record, len);
    w->pending_count++;
    if (w->pending.len >= SYNC_INTERVAL)
        return flush_block(w, err);
    return 0;
}

int paimon_avro_writer_finish(paimon_avro_writer *w, mc_buf *out, mc_err *err)
{
    if (flush_block(w, err) != 0)
        return -1;
    mc_buf_free(out);
    *out = w->file;
    mc_buf_init(&w->file);
    return 0;
}

void paimon_avro_writer_free(paimon_avro_writer *w)
{
    if (!w)
        return;
    free(w->codec);
    mc_buf_free(&w->file);
    mc_buf_free(&w->pending);
    mc_buf_free(&w->scratch);
    free(w);
}
