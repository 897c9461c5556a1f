/*
 * paimon/thrift: Thrift compact protocol reader (see thrift.h). Nothing here
 * allocates: strings are returned as pointers into the input.
 */
#include "paimon/thrift.h"

void paimon_thrift_init(paimon_thrift *t, const uint8_t *data, size_t len, mc_err *err)
{
    t->data = data;
    t->len = len;
    t->pos = 0;
    t->depth = 0;
    t->err = err;
}

static int truncated(paimon_thrift *t, const char *what)
{
    return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: truncated %s at byte %zu of %zu", what,
                      t->pos, t->len);
}

static int get_byte(paimon_thrift *t, uint8_t *b, const char *what)
{
    if (t->pos >= t->len)
        return truncated(t, what);
    *b = t->data[t->pos++];
    return 0;
}

int paimon_thrift_varint(paimon_thrift *t, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        uint8_t b = 0;
        if (get_byte(t, &b, "varint") != 0)
            return -1;
        if (shift == 63 && (b & 0x7e))
            break;
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: varint too long at byte %zu", t->pos);
}

static int64_t unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

int paimon_thrift_i64(paimon_thrift *t, int64_t *v)
{
    uint64_t u;
    if (paimon_thrift_varint(t, &u) != 0)
        return -1;
    *v = unzigzag(u);
    return 0;
}

int paimon_thrift_i32(paimon_thrift *t, int32_t *v)
{
    int64_t x;
    if (paimon_thrift_i64(t, &x) != 0)
        return -1;
    if (x < INT32_MIN || x > INT32_MAX)
        return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: i32 out of range at byte %zu", t->pos);
    *v = (int32_t)x;
    return 0;
}

int paimon_thrift_binary(paimon_thrift *t, const uint8_t **p, size_t *n)
{
    uint64_t u;
    if (paimon_thrift_varint(t, &u) != 0)
        return -1;
    if (u > t->len - t->pos)
        return truncated(t, "binary");
    *p = t->data + t->pos;
    *n = (size_t)u;
    t->pos += (size_t)u;
    return 0;
}

int paimon_thrift_field(paimon_thrift *t, int16_t *last, int16_t *id, uint8_t *type)
{
    uint8_t b = 0;
    if (get_byte(t, &b, "field header") != 0)
        return -1;
    *type = b & 0x0f;
    if (*type == PAIMON_THRIFT_STOP) {
        *id = 0;
        return 0;
    }
    if (*type > PAIMON_THRIFT_STRUCT)
        return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: unknown field type %u at byte %zu",
                          *type, t->pos - 1);
    if (b >> 4) {
        *id = (int16_t)(*last + (b >> 4));
    } else {
        int64_t v;
        if (paimon_thrift_i64(t, &v) != 0)
            return -1;
        if (v < INT16_MIN || v > INT16_MAX)
            return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: field id out of range");
        *id = (int16_t)v;
    }
    *last = *id;
    return 0;
}

int paimon_thrift_list(paimon_thrift *t, uint8_t *elem_type, size_t *n)
{
    uint8_t b = 0;
    if (get_byte(t, &b, "list header") != 0)
        return -1;
    *elem_type = b & 0x0f;
    uint64_t size = b >> 4;
    if (size == 15 && paimon_thrift_varint(t, &size) != 0)
        return -1;
    if (*elem_type == PAIMON_THRIFT_STOP || *elem_type > PAIMON_THRIFT_STRUCT)
        return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: bad list element type %u",
                          *elem_type);
    if (size > t->len - t->pos)
        return mc_err_set(t->err, MC_ERR_PROTOCOL,
                          "thrift: list of %llu elements exceeds the %zu bytes left",
                          (unsigned long long)size, t->len - t->pos);
    *n = (size_t)size;
    return 0;
}

int paimon_thrift_enter(paimon_thrift *t)
{
    if (t->depth >= PAIMON_THRIFT_MAX_DEPTH)
        return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: nesting deeper than %d",
                          PAIMON_THRIFT_MAX_DEPTH);
    t->depth++;
    return 0;
}

void paimon_thrift_leave(paimon_thrift *t)
{
    t->depth--;
}

static int skip_struct(paimon_thrift *t)
{
    if (paimon_thrift_enter(t) != 0)
        return -1;
    int16_t last = 0, id;
    uint8_t type;
    for (;;) {
        if (paimon_thrift_field(t, &last, &id, &type) != 0)
            return -1;
        if (type == PAIMON_THRIFT_STOP)
            break;
        if (paimon_thrift_skip(t, type) != 0)
            return -1;
    }
    paimon_thrift_leave(t);
    return 0;
}

int paimon_thrift_skip(paimon_thrift *t, uint8_t type)
{
    uint64_t u;
    uint8_t b = 0;
    const uint8_t *p;
    size_t n;
    switch (type) {
    case PAIMON_THRIFT_TRUE:
    case PAIMON_THRIFT_FALSE:
        /* In a field header the value is the type; inside a list/map the
         * value is one byte. Callers skipping a field pass the header type,
         * list walkers use skip_elem below. */
        return 0;
    case PAIMON_THRIFT_I8:
        return get_byte(t, &b, "byte");
    case PAIMON_THRIFT_I16:
    case PAIMON_THRIFT_I32:
    case PAIMON_THRIFT_I64:
        return paimon_thrift_varint(t, &u);
    case PAIMON_THRIFT_DOUBLE:
        if (t->len - t->pos < 8)
            return truncated(t, "double");
        t->pos += 8;
        return 0;
    case PAIMON_THRIFT_BINARY:
        return paimon_thrift_binary(t, &p, &n);
    case PAIMON_THRIFT_STRUCT:
        return skip_struct(t);
    case PAIMON_THRIFT_LIST:
    case PAIMON_THRIFT_SET: {
        uint8_t et;
        if (paimon_thrift_list(t, &et, &n) != 0 || paimon_thrift_enter(t) != 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            int rc = (et == PAIMON_THRIFT_TRUE || et == PAIMON_THRIFT_FALSE)
                         ? get_byte(t, &b, "bool")
                         : paimon_thrift_skip(t, et);
            if (rc != 0)
                return -1;
        }
        paimon_thrift_leave(t);
        return 0;
    }
    case PAIMON_THRIFT_MAP: {
        if (paimon_thrift_varint(t, &u) != 0)
            return -1;
        if (u == 0)
            return 0;
        if (get_byte(t, &b, "map header") != 0)
            return -1;
        uint8_t kt = b >> 4, vt = b & 0x0f;
        if (kt == 0 || kt > PAIMON_THRIFT_STRUCT || vt == 0 || vt > PAIMON_THRIFT_STRUCT)
            return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: bad map types %u/%u", kt, vt);
        if (u > t->len - t->pos)
            return truncated(t, "map");
        if (paimon_thrift_enter(t) != 0)
            return -1;
        for (uint64_t i = 0; i < u; i++) {
            for (int k = 0; k < 2; k++) {
                uint8_t et = k ? vt : kt;
                int rc = (et == PAIMON_THRIFT_TRUE || et == PAIMON_THRIFT_FALSE)
                             ? get_byte(t, &b, "bool")
                             : paimon_thrift_skip(t, et);
                if (rc != 0)
                    return -1;
            }
        }
        paimon_thrift_leave(t);
        return 0;
    }
    default:
        return mc_err_set(t->err, MC_ERR_PROTOCOL, "thrift: cannot skip type %u", type);
    }
}
