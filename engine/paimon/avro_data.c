/*
 * paimon/avro_data: Avro data-file schema derivation and datum conversion
 * (see avro_data.h; reference/paimon-format.md §7.3; Java
 * paimon-format/.../avro/AvroSchemaConverter was read for the naming of
 * nested records and the array-of-records form of non-string-key maps).
 *
 * Schema JSON is printed the way Avro's Schema.toString does: "type" first,
 * then logicalType and its properties, nested named types without a
 * namespace (they inherit the top-level one), fields as
 * {"name":..,"type":..[,"default":null]}.
 */
#include "paimon/avro_data.h"

#include <stdlib.h>
#include <string.h>

static void put_json_string(mc_buf *out, const char *s)
{
    mc_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            mc_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            mc_buf_printf(out, "\\u%04x", *p);
        else
            mc_buf_putc(out, (char)*p);
    }
    mc_buf_putc(out, '"');
}

static int type_schema(mc_buf *out, const paimon_type *t, const char *row_name, mc_err *err);

static int record_schema(mc_buf *out, const paimon_field *fields, size_t n, const char *row_name,
                         bool top, mc_err *err)
{
    mc_buf_puts(out, "{\"type\":\"record\",\"name\":");
    put_json_string(out, row_name);
    if (top)
        mc_buf_puts(out, ",\"namespace\":\"org.apache.paimon.avro.generated\"");
    mc_buf_puts(out, ",\"fields\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            mc_buf_putc(out, ',');
        mc_buf_puts(out, "{\"name\":");
        put_json_string(out, fields[i].name);
        mc_buf_puts(out, ",\"type\":");
        char *sub = mc_asprintf("%s_%s", row_name, fields[i].name);
        int rc = type_schema(out, fields[i].type, sub, err);
        free(sub);
        if (rc != 0)
            return -1;
        if (fields[i].type->nullable)
            mc_buf_puts(out, ",\"default\":null");
        mc_buf_putc(out, '}');
    }
    mc_buf_puts(out, "]}");
    return 0;
}

static int inner_schema(mc_buf *out, const paimon_type *t, const char *row_name, mc_err *err)
{
    switch (t->id) {
    case PAIMON_BOOLEAN: mc_buf_puts(out, "\"boolean\""); return 0;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT: mc_buf_puts(out, "\"int\""); return 0;
    case PAIMON_BIGINT: mc_buf_puts(out, "\"long\""); return 0;
    case PAIMON_FLOAT: mc_buf_puts(out, "\"float\""); return 0;
    case PAIMON_DOUBLE: mc_buf_puts(out, "\"double\""); return 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR: mc_buf_puts(out, "\"string\""); return 0;
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
    case PAIMON_BLOB: mc_buf_puts(out, "\"bytes\""); return 0;
    case PAIMON_DECIMAL:
        mc_buf_printf(out, "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":%d,\"scale\":%d}",
                      t->precision, t->scale);
        return 0;
    case PAIMON_DATE: mc_buf_puts(out, "{\"type\":\"int\",\"logicalType\":\"date\"}"); return 0;
    case PAIMON_TIME:
        if (t->precision > 3)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro files cannot hold TIME(%d)", t->precision);
        mc_buf_puts(out, "{\"type\":\"int\",\"logicalType\":\"time-millis\"}");
        return 0;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (t->precision > 6)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro files cannot hold TIMESTAMP(%d)",
                              t->precision);
        mc_buf_printf(out, "{\"type\":\"long\",\"logicalType\":\"%stimestamp-%s\"}",
                      t->id == PAIMON_TIMESTAMP_LTZ ? "local-" : "", t->precision <= 3 ? "millis" : "micros");
        return 0;
    case PAIMON_ARRAY:
        mc_buf_puts(out, "{\"type\":\"array\",\"items\":");
        if (type_schema(out, t->element, row_name, err) != 0)
            return -1;
        mc_buf_putc(out, '}');
        return 0;
    case PAIMON_MAP:
    case PAIMON_MULTISET: {
        const paimon_type *key = t->id == PAIMON_MAP ? t->key : t->element;
        paimon_type *int_type = paimon_type_new(PAIMON_INT, true);
        const paimon_type *value = t->id == PAIMON_MAP ? t->value : int_type;
        int rc = 0;
        if (key->id == PAIMON_VARCHAR || key->id == PAIMON_CHAR) {
            mc_buf_puts(out, "{\"type\":\"map\",\"values\":");
            rc = type_schema(out, value, row_name, err);
            mc_buf_putc(out, '}');
        } else {
            paimon_field kv[2] = {{0, "key", (paimon_type *)key, NULL, NULL},
                                  {1, "value", (paimon_type *)value, NULL, NULL}};
            mc_buf_puts(out, "{\"type\":\"array\",\"items\":");
            rc = record_schema(out, kv, 2, row_name, false, err);
            mc_buf_puts(out, ",\"logicalType\":\"map\"}");
        }
        paimon_type_free(int_type);
        return rc;
    }
    case PAIMON_ROW: return record_schema(out, t->fields, t->nfields, row_name, false, err);
    default: break;
    }
    mc_buf b = MC_BUF_INIT;
    paimon_type_to_sql(&b, t);
    int rc = mc_err_set(err, MC_ERR_UNSUPPORTED, "no Avro form for type %s", b.data);
    mc_buf_free(&b);
    return rc;
}

static int type_schema(mc_buf *out, const paimon_type *t, const char *row_name, mc_err *err)
{
    if (!t->nullable)
        return inner_schema(out, t, row_name, err);
    mc_buf_puts(out, "[\"null\",");
    if (inner_schema(out, t, row_name, err) != 0)
        return -1;
    mc_buf_putc(out, ']');
    return 0;
}

int paimon_avro_data_schema(mc_buf *out, const paimon_field *fields, size_t n, mc_err *err)
{
    return record_schema(out, fields, n, "record", true, err);
}

static bool is_micros(const paimon_avro_value *v, const paimon_type *t)
{
    const char *lt = v->node ? v->node->logical_type : NULL;
    if (lt)
        return strstr(lt, "micros") != NULL;
    return t->precision > 3;
}

int paimon_avro_to_datum(paimon_datum *out, const paimon_type *t, const paimon_avro_value *v,
                         mc_err *err)
{
    memset(out, 0, sizeof *out);
    if (paimon_avro_is_null(v)) {
        out->is_null = true;
        return 0;
    }
    switch (t->id) {
    case PAIMON_BOOLEAN:
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_DATE:
    case PAIMON_TIME:
        if (v->kind != PAIMON_AVRO_BOOLEAN && v->kind != PAIMON_AVRO_INT && v->kind != PAIMON_AVRO_LONG)
            break;
        out->i = v->l;
        return 0;
    case PAIMON_FLOAT:
    case PAIMON_DOUBLE:
        if (v->kind == PAIMON_AVRO_FLOAT || v->kind == PAIMON_AVRO_DOUBLE)
            out->d = v->d;
        else if (v->kind == PAIMON_AVRO_INT || v->kind == PAIMON_AVRO_LONG)
            out->d = (double)v->l;
        else
            break;
        return 0;
    case PAIMON_DECIMAL:
        if (v->kind != PAIMON_AVRO_BYTES && v->kind != PAIMON_AVRO_FIXED)
            break;
        if (v->len < 1 || v->len > 16)
            return mc_err_set(err, MC_ERR_PROTOCOL, "Avro decimal of %zu bytes", v->len);
        out->dec = paimon_decimal_from_bytes(v->bytes, v->len);
        return 0;
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (v->kind != PAIMON_AVRO_LONG)
            break;
        if (is_micros(v, t)) {
            int64_t ms = v->l / 1000, rem = v->l % 1000;
            if (rem < 0) {
                rem += 1000;
                ms--;
            }
            out->i = ms;
            out->nanos = (int32_t)(rem * 1000);
        } else {
            out->i = v->l;
        }
        return 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
    case PAIMON_BLOB:
        if (v->kind != PAIMON_AVRO_STRING && v->kind != PAIMON_AVRO_BYTES && v->kind != PAIMON_AVRO_FIXED)
            break;
        out->ptr = v->bytes;
        out->len = v->len;
        return 0;
    default:
        return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro conversion of composite types is not supported");
    }
    return mc_err_set(err, MC_ERR_PROTOCOL, "Avro value kind %d does not fit the Paimon type", (int)v->kind);
}

int paimon_avro_put_datum(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err)
{
    if (t->nullable) {
        paimon_avro_put_long(out, d->is_null ? 0 : 1);
        if (d->is_null)
            return 0;
    } else if (d->is_null) {
        return mc_err_set(err, MC_ERR_INVALID, "NULL for a NOT NULL column");
    }
    switch (t->id) {
    case PAIMON_BOOLEAN: paimon_avro_put_bool(out, d->i != 0); return 0;
    case PAIMON_TINYINT:
    case PAIMON_SMALLINT:
    case PAIMON_INT:
    case PAIMON_BIGINT:
    case PAIMON_DATE:
    case PAIMON_TIME: paimon_avro_put_long(out, d->i); return 0;
    case PAIMON_FLOAT: paimon_avro_put_float(out, (float)d->d); return 0;
    case PAIMON_DOUBLE: paimon_avro_put_double(out, d->d); return 0;
    case PAIMON_DECIMAL: {
        uint8_t b[16];
        size_t n = paimon_decimal_to_bytes(b, d->dec);
        paimon_avro_put_bytes(out, b, n);
        return 0;
    }
    case PAIMON_TIMESTAMP:
    case PAIMON_TIMESTAMP_LTZ:
        if (t->precision > 6)
            return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro files cannot hold TIMESTAMP(%d)", t->precision);
        paimon_avro_put_long(out, t->precision <= 3 ? d->i : d->i * 1000 + d->nanos / 1000);
        return 0;
    case PAIMON_CHAR:
    case PAIMON_VARCHAR:
    case PAIMON_BINARY:
    case PAIMON_VARBINARY:
    case PAIMON_BLOB: paimon_avro_put_bytes(out, d->ptr, d->len); return 0;
    default: return mc_err_set(err, MC_ERR_UNSUPPORTED, "Avro encoding of composite types is not supported");
    }
}
