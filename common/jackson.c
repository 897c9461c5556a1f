/*
 * paimon/pjson: Jackson-compatible pretty printing (see pjson.h). String
 * escaping follows Jackson: `"` and `\` escaped, control characters as the
 * short escapes \b \t \n \f \r or \u00XX, everything else (including '/'
 * and non-ASCII UTF-8) written as is.
 */
#include "jackson.h"

#include <inttypes.h>
#include <string.h>

static void put_string(mc_buf *out, const char *s, size_t n)
{
    mc_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': mc_buf_puts(out, "\\\""); break;
        case '\\': mc_buf_puts(out, "\\\\"); break;
        case '\b': mc_buf_puts(out, "\\b"); break;
        case '\t': mc_buf_puts(out, "\\t"); break;
        case '\n': mc_buf_puts(out, "\\n"); break;
        case '\f': mc_buf_puts(out, "\\f"); break;
        case '\r': mc_buf_puts(out, "\\r"); break;
        default:
            if (c < 0x20)
                mc_buf_printf(out, "\\u%04X", c);
            else
                mc_buf_putc(out, (char)c);
        }
    }
    mc_buf_putc(out, '"');
}

static void indent(mc_buf *out, int level)
{
    mc_buf_putc(out, '\n');
    for (int i = 0; i < level; i++)
        mc_buf_puts(out, "  ");
}

static void dump(mc_buf *out, const json_t *j, int level)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        if (json_object_size(j) == 0) {
            mc_buf_puts(out, "{ }");
            return;
        }
        mc_buf_putc(out, '{');
        const char *k;
        json_t *v;
        int first = 1;
        json_object_foreach((json_t *)j, k, v) {
            if (!first)
                mc_buf_putc(out, ',');
            first = 0;
            indent(out, level + 1);
            put_string(out, k, strlen(k));
            mc_buf_puts(out, " : ");
            dump(out, v, level + 1);
        }
        indent(out, level);
        mc_buf_putc(out, '}');
        return;
    }
    case JSON_ARRAY: {
        if (json_array_size(j) == 0) {
            mc_buf_puts(out, "[ ]");
            return;
        }
        mc_buf_puts(out, "[ ");
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (i)
                mc_buf_puts(out, ", ");
            dump(out, json_array_get(j, i), level);
        }
        mc_buf_puts(out, " ]");
        return;
    }
    case JSON_STRING: put_string(out, json_string_value(j), json_string_length(j)); return;
    case JSON_INTEGER: mc_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(j)); return;
    case JSON_REAL: mc_buf_printf(out, "%.17g", json_real_value(j)); return;
    case JSON_TRUE: mc_buf_puts(out, "true"); return;
    case JSON_FALSE: mc_buf_puts(out, "false"); return;
    case JSON_NULL: mc_buf_puts(out, "null"); return;
    }
}

void mc_json_jackson_dump(mc_buf *out, const json_t *j)
{
    dump(out, j, 0);
}
