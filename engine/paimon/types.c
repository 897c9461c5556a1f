/*
 * paimon/types: construction, copying, JSON parsing and printing of Paimon
 * data types (reference/paimon-format.md §3), plus decimal text helpers.
 *
 * Printing follows Java's DataType.asSQLString: "STRING" for
 * VARCHAR(2147483647), "BYTES" for VARBINARY(2147483647), "DECIMAL(p, s)"
 * with a space, "TIMESTAMP(p) WITH LOCAL TIME ZONE", " NOT NULL" suffix.
 * Parsing accepts what Java's DataTypeJsonParser accepts for atomic types:
 * case-insensitive keywords, INTEGER/NUMERIC/DEC aliases, TIMESTAMP_LTZ,
 * WITHOUT TIME ZONE, default parameters when omitted.
 */
#include "paimon/types.h"

#include <ctype.h>
#include <string.h>

static paimon_type *type_alloc(paimon_type_id id, bool nullable)
{
    paimon_type *t = mc_calloc(1, sizeof *t);
    t->id = id;
    t->nullable = nullable;
    return t;
}

paimon_type *paimon_type_new(paimon_type_id id, bool nullable)
{
    paimon_type *t = type_alloc(id, nullable);
    switch (id) {
    case PAIMON_DECIMAL: t->precision = 10; t->scale = 0; break;
    case PAIMON_TIME: t->precision = 0; break;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: t->precision = 6; break;
    case PAIMON_CHAR:
    case PAIMON_BINARY: t->length = 1; break;
    case PAIMON_VARCHAR:
    case PAIMON_VARBINARY: t->length = PAIMON_MAX_LENGTH; break;
    default: break;
    }
    return t;
}

paimon_type *paimon_type_new_decimal(int32_t precision, int32_t scale, bool nullable)
{
    paimon_type *t = type_alloc(PAIMON_DECIMAL, nullable);
    t->precision = precision;
    t->scale = scale;
    return t;
}

paimon_type *paimon_type_new_time(paimon_type_id id, int32_t precision, bool nullable)
{
    paimon_type *t = type_alloc(id, nullable);
    t->precision = precision;
    return t;
}

paimon_type *paimon_type_new_len(paimon_type_id id, int32_t length, bool nullable)
{
    paimon_type *t = type_alloc(id, nullable);
    t->length = length;
    return t;
}

void paimon_field_copy(paimon_field *dst, const paimon_field *src)
{
    dst->id = src->id;
    dst->name = mc_strdup(src->name);
    dst->type = paimon_type_copy(src->type);
    dst->description = src->description ? mc_strdup(src->description) : NULL;
    dst->default_value = src->default_value ? mc_strdup(src->default_value) : NULL;
}

paimon_type *paimon_type_copy(const paimon_type *t)
{
    if (!t)
        return NULL;
    paimon_type *c = mc_malloc(sizeof *c);
    *c = *t;
    c->element = paimon_type_copy(t->element);
    c->key = paimon_type_copy(t->key);
    c->value = paimon_type_copy(t->value);
    c->fields = NULL;
    if (t->nfields) {
        c->fields = mc_calloc(t->nfields, sizeof *c->fields);
        for (size_t i = 0; i < t->nfields; i++)
            paimon_field_copy(&c->fields[i], &t->fields[i]);
    }
    return c;
}

void paimon_fields_free(paimon_field *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++) {
        free(f[i].name);
        paimon_type_free(f[i].type);
        free(f[i].description);
        free(f[i].default_value);
    }
    free(f);
}

void paimon_type_free(paimon_type *t)
{
    if (!t)
        return;
    paimon_type_free(t->element);
    paimon_type_free(t->key);
    paimon_type_free(t->value);
    paimon_fields_free(t->fields, t->nfields);
    free(t);
}

static bool str_eq_null(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool paimon_type_equal(const paimon_type *a, const paimon_type *b)
{
    if (!a || !b)
        return a == b;
    if (a->id != b->id || a->nullable != b->nullable || a->precision != b->precision ||
        a->scale != b->scale || a->length != b->length || a->nfields != b->nfields)
        return false;
    if (!paimon_type_equal(a->element, b->element) || !paimon_type_equal(a->key, b->key) ||
        !paimon_type_equal(a->value, b->value))
        return false;
    for (size_t i = 0; i < a->nfields; i++) {
        const paimon_field *x = &a->fields[i], *y = &b->fields[i];
        if (x->id != y->id || strcmp(x->name, y->name) != 0 || !paimon_type_equal(x->type, y->type) ||
            !str_eq_null(x->description, y->description) ||
            !str_eq_null(x->default_value, y->default_value))
            return false;
    }
    return true;
}

bool paimon_type_is_fixed_in_row(const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
    case PAIMON_DATE:
    case PAIMON_TIME: return true;
    case PAIMON_DECIMAL: return t->precision <= 18;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ: return t->precision <= 3;
    default: return false;
    }
}

/* ---- printing ---------------------------------------------------------- */

static void base_name(mc_buf *out, const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_BOOLEAN: mc_buf_puts(out, "BOOLEAN"); break;
    case PAIMON_TINYINT: mc_buf_puts(out, "TINYINT"); break;
    case PAIMON_SMALLINT: mc_buf_puts(out, "SMALLINT"); break;
    case PAIMON_INT: mc_buf_puts(out, "INT"); break;
    case PAIMON_BIGINT: mc_buf_puts(out, "BIGINT"); break;
    case PAIMON_FLOAT: mc_buf_puts(out, "FLOAT"); break;
    case PAIMON_DOUBLE: mc_buf_puts(out, "DOUBLE"); break;
    case PAIMON_DECIMAL: mc_buf_printf(out, "DECIMAL(%d, %d)", t->precision, t->scale); break;
    case PAIMON_CHAR: mc_buf_printf(out, "CHAR(%d)", t->length); break;
    case PAIMON_VARCHAR:
        if (t->length == PAIMON_MAX_LENGTH)
            mc_buf_puts(out, "STRING");
        else
            mc_buf_printf(out, "VARCHAR(%d)", t->length);
        break;
    case PAIMON_BINARY: mc_buf_printf(out, "BINARY(%d)", t->length); break;
    case PAIMON_VARBINARY:
        if (t->length == PAIMON_MAX_LENGTH)
            mc_buf_puts(out, "BYTES");
        else
            mc_buf_printf(out, "VARBINARY(%d)", t->length);
        break;
    case PAIMON_DATE: mc_buf_puts(out, "DATE"); break;
    case PAIMON_TIME: mc_buf_printf(out, "TIME(%d)", t->precision); break;
    case PAIMON_TIMESTAMP: mc_buf_printf(out, "TIMESTAMP(%d)", t->precision); break;
    case PAIMON_TIMESTAMP_LTZ:
        mc_buf_printf(out, "TIMESTAMP(%d) WITH LOCAL TIME ZONE", t->precision);
        break;
    case PAIMON_ARRAY: mc_buf_puts(out, "ARRAY"); break;
    case PAIMON_MULTISET: mc_buf_puts(out, "MULTISET"); break;
    case PAIMON_MAP: mc_buf_puts(out, "MAP"); break;
    case PAIMON_ROW: mc_buf_puts(out, "ROW"); break;
    case PAIMON_VARIANT: mc_buf_puts(out, "VARIANT"); break;
    case PAIMON_BLOB: mc_buf_puts(out, "BLOB"); break;
    case PAIMON_VECTOR: mc_buf_puts(out, "VECTOR"); break;
    }
}

static void put_nullability(mc_buf *out, const paimon_type *t)
{
    if (!t->nullable)
        mc_buf_puts(out, " NOT NULL");
}

void paimon_type_to_sql(mc_buf *out, const paimon_type *t)
{
    switch (t->id) {
    case PAIMON_ARRAY:
    case PAIMON_MULTISET:
        base_name(out, t);
        mc_buf_putc(out, '<');
        paimon_type_to_sql(out, t->element);
        mc_buf_putc(out, '>');
        break;
    case PAIMON_VECTOR:
        mc_buf_puts(out, "VECTOR<");
        paimon_type_to_sql(out, t->element);
        mc_buf_printf(out, ", %d>", t->length);
        break;
    case PAIMON_MAP:
        mc_buf_puts(out, "MAP<");
        paimon_type_to_sql(out, t->key);
        mc_buf_puts(out, ", ");
        paimon_type_to_sql(out, t->value);
        mc_buf_putc(out, '>');
        break;
    case PAIMON_ROW:
        mc_buf_puts(out, "ROW<");
        for (size_t i = 0; i < t->nfields; i++) {
            if (i)
                mc_buf_puts(out, ", ");
            mc_buf_printf(out, "`%s` ", t->fields[i].name);
            paimon_type_to_sql(out, t->fields[i].type);
            if (t->fields[i].description)
                mc_buf_printf(out, " '%s'", t->fields[i].description);
        }
        mc_buf_putc(out, '>');
        break;
    default: base_name(out, t); break;
    }
    put_nullability(out, t);
}

json_t *paimon_fields_to_json(const paimon_field *f, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(f[i].id));
        json_object_set_new(o, "name", json_string(f[i].name));
        json_object_set_new(o, "type", paimon_type_to_json(f[i].type));
        if (f[i].description)
            json_object_set_new(o, "description", json_string(f[i].description));
        if (f[i].default_value)
            json_object_set_new(o, "defaultValue", json_string(f[i].default_value));
        json_array_append_new(arr, o);
    }
    return arr;
}

json_t *paimon_type_to_json(const paimon_type *t)
{
    mc_buf b = MC_BUF_INIT;
    json_t *o;
    switch (t->id) {
    case PAIMON_ARRAY:
    case PAIMON_MULTISET:
    case PAIMON_MAP:
    case PAIMON_ROW:
    case PAIMON_VECTOR:
        base_name(&b, t);
        put_nullability(&b, t);
        o = json_object();
        json_object_set_new(o, "type", json_string(mc_buf_cstr(&b)));
        if (t->id == PAIMON_MAP) {
            json_object_set_new(o, "key", paimon_type_to_json(t->key));
            json_object_set_new(o, "value", paimon_type_to_json(t->value));
        } else if (t->id == PAIMON_ROW) {
            json_object_set_new(o, "fields", paimon_fields_to_json(t->fields, t->nfields));
        } else {
            json_object_set_new(o, "element", paimon_type_to_json(t->element));
            if (t->id == PAIMON_VECTOR)
                json_object_set_new(o, "length", json_integer(t->length));
        }
        break;
    default:
        paimon_type_to_sql(&b, t);
        o = json_string(mc_buf_cstr(&b));
        break;
    }
    mc_buf_free(&b);
    return o;
}

/* ---- parsing ----------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t pos;
    char tok[64]; /* current word (upper-cased) or punctuation; "" at end */
    long num;
    bool is_num;
} lexer;

static void lex_next(lexer *lx)
{
    const char *s = lx->s;
    while (s[lx->pos] && isspace((unsigned char)s[lx->pos]))
        lx->pos++;
    lx->is_num = false;
    size_t n = 0;
    char c = s[lx->pos];
    if (!c) {
        lx->tok[0] = 0;
        return;
    }
    if (isdigit((unsigned char)c)) {
        long v = 0;
        while (isdigit((unsigned char)s[lx->pos]) && v < 100000000000L)
            v = v * 10 + (s[lx->pos++] - '0');
        lx->num = v;
        lx->is_num = true;
        strcpy(lx->tok, "#");
        return;
    }
    if (isalpha((unsigned char)c) || c == '_') {
        while ((isalnum((unsigned char)s[lx->pos]) || s[lx->pos] == '_')) {
            if (n + 1 < sizeof lx->tok)
                lx->tok[n++] = (char)toupper((unsigned char)s[lx->pos]);
            lx->pos++;
        }
        lx->tok[n] = 0;
        return;
    }
    lx->tok[0] = c;
    lx->tok[1] = 0;
    lx->pos++;
}

static bool lex_is(lexer *lx, const char *w)
{
    return strcmp(lx->tok, w) == 0;
}

/* Optional "(n)" or "(n, m)". Returns number of parameters read, -1 on error. */
static int lex_params(lexer *lx, long *a, long *b)
{
    if (!lex_is(lx, "("))
        return 0;
    lex_next(lx);
    if (!lx->is_num)
        return -1;
    *a = lx->num;
    lex_next(lx);
    int n = 1;
    if (lex_is(lx, ",")) {
        lex_next(lx);
        if (!lx->is_num)
            return -1;
        *b = lx->num;
        lex_next(lx);
        n = 2;
    }
    if (!lex_is(lx, ")"))
        return -1;
    lex_next(lx);
    return n;
}

static int parse_type_string(paimon_type **out, const char *s, bool composite_ok, mc_err *err)
{
    *out = NULL;
    lexer lx = {.s = s};
    lex_next(&lx);
    paimon_type_id id;
    long a = 0, b = 0;
    int np = 0;
    bool is_ts = false, is_time = false;
    if (lex_is(&lx, "BOOLEAN")) id = PAIMON_BOOLEAN;
    else if (lex_is(&lx, "TINYINT")) id = PAIMON_TINYINT;
    else if (lex_is(&lx, "SMALLINT")) id = PAIMON_SMALLINT;
    else if (lex_is(&lx, "INT") || lex_is(&lx, "INTEGER")) id = PAIMON_INT;
    else if (lex_is(&lx, "BIGINT")) id = PAIMON_BIGINT;
    else if (lex_is(&lx, "FLOAT")) id = PAIMON_FLOAT;
    else if (lex_is(&lx, "DOUBLE")) id = PAIMON_DOUBLE;
    else if (lex_is(&lx, "DECIMAL") || lex_is(&lx, "NUMERIC") || lex_is(&lx, "DEC")) id = PAIMON_DECIMAL;
    else if (lex_is(&lx, "CHAR")) id = PAIMON_CHAR;
    else if (lex_is(&lx, "VARCHAR")) id = PAIMON_VARCHAR;
    else if (lex_is(&lx, "STRING")) id = PAIMON_VARCHAR;
    else if (lex_is(&lx, "BINARY")) id = PAIMON_BINARY;
    else if (lex_is(&lx, "VARBINARY")) id = PAIMON_VARBINARY;
    else if (lex_is(&lx, "BYTES")) id = PAIMON_VARBINARY;
    else if (lex_is(&lx, "DATE")) id = PAIMON_DATE;
    else if (lex_is(&lx, "TIME")) { id = PAIMON_TIME; is_time = true; }
    else if (lex_is(&lx, "TIMESTAMP")) { id = PAIMON_TIMESTAMP; is_ts = true; }
    else if (lex_is(&lx, "TIMESTAMP_LTZ")) { id = PAIMON_TIMESTAMP_LTZ; is_ts = true; }
    else if (lex_is(&lx, "VARIANT")) id = PAIMON_VARIANT;
    else if (lex_is(&lx, "BLOB")) id = PAIMON_BLOB;
    else if (lex_is(&lx, "ARRAY")) id = PAIMON_ARRAY;
    else if (lex_is(&lx, "MULTISET")) id = PAIMON_MULTISET;
    else if (lex_is(&lx, "MAP")) id = PAIMON_MAP;
    else if (lex_is(&lx, "ROW")) id = PAIMON_ROW;
    else if (lex_is(&lx, "VECTOR")) id = PAIMON_VECTOR;
    else
        return mc_err_set(err, MC_ERR_INVALID, "unknown Paimon type '%s'", s);
    bool is_string_alias = lex_is(&lx, "STRING") || lex_is(&lx, "BYTES");
    lex_next(&lx);
    if (!is_string_alias) {
        np = lex_params(&lx, &a, &b);
        if (np < 0)
            return mc_err_set(err, MC_ERR_INVALID, "malformed type parameters in '%s'", s);
    }
    if (is_ts || is_time) {
        if (lex_is(&lx, "WITH") || lex_is(&lx, "WITHOUT")) {
            bool with = lex_is(&lx, "WITH");
            lex_next(&lx);
            if (with && lex_is(&lx, "LOCAL"))
                lex_next(&lx);
            else if (with)
                return mc_err_set(err, MC_ERR_UNSUPPORTED, "type '%s' is not supported", s);
            if (!lex_is(&lx, "TIME"))
                return mc_err_set(err, MC_ERR_INVALID, "malformed type '%s'", s);
            lex_next(&lx);
            if (!lex_is(&lx, "ZONE"))
                return mc_err_set(err, MC_ERR_INVALID, "malformed type '%s'", s);
            lex_next(&lx);
            if (with && is_ts)
                id = PAIMON_TIMESTAMP_LTZ;
        }
    }
    bool nullable = true;
    if (lex_is(&lx, "NOT")) {
        lex_next(&lx);
        if (!lex_is(&lx, "NULL"))
            return mc_err_set(err, MC_ERR_INVALID, "malformed type '%s': NOT without NULL", s);
        lex_next(&lx);
        nullable = false;
    } else if (lex_is(&lx, "NULL")) {
        lex_next(&lx);
    }
    if (lx.tok[0])
        return mc_err_set(err, MC_ERR_INVALID, "unexpected '%s' in type '%s'", lx.tok, s);

    paimon_type *t = paimon_type_new(id, nullable);
    switch (id) {
    case PAIMON_DECIMAL:
        if (np >= 1) t->precision = (int32_t)a;
        t->scale = np == 2 ? (int32_t)b : 0;
        if (t->precision < 1 || t->precision > 38 || t->scale < 0 || t->scale > t->precision)
            goto bad;
        break;
    case PAIMON_TIME:
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (np == 2) goto bad;
        if (np == 1) t->precision = (int32_t)a;
        if (t->precision < 0 || t->precision > 9) goto bad;
        break;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
        if (np == 2) goto bad;
        if (np == 1) t->length = (int32_t)a;
        else if (!is_string_alias) t->length = 1;
        if (t->length < 1 || a > PAIMON_MAX_LENGTH) goto bad;
        break;
    case PAIMON_ARRAY:
    case PAIMON_MULTISET:
    case PAIMON_MAP:
    case PAIMON_ROW:
    case PAIMON_VECTOR:
        /* Only the "type" member of a composite JSON object may name these;
         * paimon_type_from_json fills in the children. */
        if (!composite_ok) {
            paimon_type_free(t);
            return mc_err_set(err, MC_ERR_INVALID,
                              "composite type '%s' needs the JSON object form", s);
        }
        if (np) goto bad;
        break;
    default:
        if (np) goto bad;
        break;
    }
    *out = t;
    return 0;
bad:
    paimon_type_free(t);
    return mc_err_set(err, MC_ERR_INVALID, "invalid type parameters in '%s'", s);
}

int paimon_type_parse(paimon_type **out, const char *s, mc_err *err)
{
    return parse_type_string(out, s, false, err);
}

static int field_from_json(paimon_field *f, const json_t *o, mc_err *err)
{
    if (!json_is_object(o))
        return mc_err_set(err, MC_ERR_INVALID, "field is not a JSON object");
    json_t *id = json_object_get(o, "id"), *name = json_object_get(o, "name"),
           *type = json_object_get(o, "type"), *desc = json_object_get(o, "description"),
           *dv = json_object_get(o, "defaultValue");
    if (!json_is_integer(id) || !json_is_string(name) || !type)
        return mc_err_set(err, MC_ERR_INVALID, "field needs integer 'id', string 'name' and 'type'");
    f->id = (int32_t)json_integer_value(id);
    f->name = mc_strdup(json_string_value(name));
    if (paimon_type_from_json(&f->type, type, err) != 0)
        return mc_err_prefix(err, "field '%s'", f->name);
    if (json_is_string(desc))
        f->description = mc_strdup(json_string_value(desc));
    if (json_is_string(dv))
        f->default_value = mc_strdup(json_string_value(dv));
    return 0;
}

int paimon_fields_from_json(paimon_field **out, size_t *n, const json_t *arr, mc_err *err)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(arr))
        return mc_err_set(err, MC_ERR_INVALID, "'fields' is not a JSON array");
    size_t cnt = json_array_size(arr);
    paimon_field *f = mc_calloc(cnt ? cnt : 1, sizeof *f);
    for (size_t i = 0; i < cnt; i++) {
        if (field_from_json(&f[i], json_array_get(arr, i), err) != 0) {
            paimon_fields_free(f, cnt);
            return -1;
        }
    }
    *out = f;
    *n = cnt;
    return 0;
}

int paimon_type_from_json(paimon_type **out, const json_t *j, mc_err *err)
{
    *out = NULL;
    if (json_is_string(j))
        return paimon_type_parse(out, json_string_value(j), err);
    if (!json_is_object(j))
        return mc_err_set(err, MC_ERR_INVALID, "type is neither a string nor an object");
    json_t *tj = json_object_get(j, "type");
    if (!json_is_string(tj))
        return mc_err_set(err, MC_ERR_INVALID, "composite type without a string 'type'");
    paimon_type *t;
    if (parse_type_string(&t, json_string_value(tj), true, err) != 0)
        return -1;
    int rc = 0;
    switch (t->id) {
    case PAIMON_ARRAY:
    case PAIMON_MULTISET:
    case PAIMON_VECTOR:
        rc = paimon_type_from_json(&t->element, json_object_get(j, "element"), err);
        if (rc == 0 && t->id == PAIMON_VECTOR) {
            json_t *len = json_object_get(j, "length");
            if (!json_is_integer(len))
                rc = mc_err_set(err, MC_ERR_INVALID, "VECTOR type without 'length'");
            else
                t->length = (int32_t)json_integer_value(len);
        }
        break;
    case PAIMON_MAP:
        rc = paimon_type_from_json(&t->key, json_object_get(j, "key"), err);
        if (rc == 0)
            rc = paimon_type_from_json(&t->value, json_object_get(j, "value"), err);
        break;
    case PAIMON_ROW:
        rc = paimon_fields_from_json(&t->fields, &t->nfields, json_object_get(j, "fields"), err);
        break;
    default:
        rc = mc_err_set(err, MC_ERR_INVALID, "type '%s' is not a composite type",
                        json_string_value(tj));
    }
    if (rc != 0) {
        paimon_type_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

/* ---- decimals ----------------------------------------------------------- */

int paimon_decimal_parse(paimon_i128 *out, const char *s, int32_t scale, mc_err *err)
{
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    paimon_i128 v = 0;
    int digits = 0, frac = -1;
    for (; *p; p++) {
        if (*p == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            return mc_err_set(err, MC_ERR_INVALID, "malformed decimal '%s'", s);
        if (frac >= 0 && frac >= scale) {
            if (*p != '0')
                return mc_err_set(err, MC_ERR_INVALID, "decimal '%s' has more than %d fraction digits",
                                  s, scale);
            continue;
        }
        if (++digits > 38)
            return mc_err_set(err, MC_ERR_INVALID, "decimal '%s' has more than 38 digits", s);
        v = v * 10 + (*p - '0');
        if (frac >= 0)
            frac++;
    }
    if (digits == 0 && frac <= 0)
        return mc_err_set(err, MC_ERR_INVALID, "malformed decimal '%s'", s);
    for (int f = frac < 0 ? 0 : frac; f < scale; f++)
        v *= 10;
    *out = neg ? -v : v;
    return 0;
}

void paimon_decimal_format(mc_buf *out, paimon_i128 unscaled, int32_t scale)
{
    char digits[64];
    int n = 0;
    bool neg = unscaled < 0;
    unsigned __int128 u = neg ? (unsigned __int128)0 - (unsigned __int128)unscaled
                              : (unsigned __int128)unscaled;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= scale)
        digits[n++] = '0';
    if (neg)
        mc_buf_putc(out, '-');
    for (int i = n - 1; i >= 0; i--) {
        mc_buf_putc(out, digits[i]);
        if (i == scale && scale > 0)
            mc_buf_putc(out, '.');
    }
}

size_t paimon_decimal_to_bytes(uint8_t out[16], paimon_i128 v)
{
    size_t n = 1;
    while (n < 16) {
        paimon_i128 lim = (paimon_i128)1 << (8 * n - 1);
        if (v >= -lim && v < lim)
            break;
        n++;
    }
    for (size_t i = 0; i < n; i++)
        out[n - 1 - i] = (uint8_t)((unsigned __int128)v >> (8 * i));
    return n;
}

paimon_i128 paimon_decimal_from_bytes(const uint8_t *p, size_t n)
{
    unsigned __int128 u = (n && (p[0] & 0x80)) ? ~(unsigned __int128)0 : 0;
    for (size_t i = 0; i < n; i++)
        u = (u << 8) | p[i];
    return (paimon_i128)u;
}
