/* xml: see xml.h. A recursive-descent reader over a byte range. */
#include "xml.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX_DEPTH 64

typedef struct {
    const char *p, *s, *end;
    mc_err *err;
} reader;

static int fail(reader *r, const char *what)
{
    return mc_err_set(r->err, MC_ERR_INVALID, "malformed XML at byte %ld: %s", (long)(r->p - r->s), what);
}

static void skip_ws(reader *r)
{
    while (r->p < r->end && isspace((unsigned char)*r->p))
        r->p++;
}

static bool starts(reader *r, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(r->end - r->p) >= n && memcmp(r->p, lit, n) == 0;
}

/* Skips <?...?>, <!--...-->; refuses <!DOCTYPE (no DTDs). */
static int skip_misc(reader *r)
{
    for (;;) {
        skip_ws(r);
        if (starts(r, "<?")) {
            const char *e = memmem(r->p, (size_t)(r->end - r->p), "?>", 2);
            if (!e)
                return fail(r, "unterminated processing instruction");
            r->p = e + 2;
        } else if (starts(r, "<!--")) {
            const char *e = memmem(r->p + 4, (size_t)(r->end - r->p - 4), "-->", 3);
            if (!e)
                return fail(r, "unterminated comment");
            r->p = e + 3;
        } else if (starts(r, "<!")) {
            return fail(r, "DTDs and declarations are not accepted");
        } else {
            return 0;
        }
    }
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

static void put_utf8(mc_buf *b, unsigned long cp)
{
    char o[4];
    if (cp < 0x80) {
        o[0] = (char)cp;
        mc_buf_append(b, o, 1);
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        mc_buf_append(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        mc_buf_append(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | cp >> 18);
        o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        mc_buf_append(b, o, 4);
    }
}

/* Decodes character data up to '<' (entities resolved). */
static int read_text(reader *r, mc_buf *out)
{
    while (r->p < r->end && *r->p != '<') {
        if (*r->p != '&') {
            mc_buf_putc(out, *r->p++);
            continue;
        }
        const char *semi = memchr(r->p, ';', (size_t)(r->end - r->p));
        if (!semi || semi - r->p > 12)
            return fail(r, "bad entity reference");
        size_t n = (size_t)(semi - r->p - 1);
        const char *e = r->p + 1;
        if (n == 2 && !memcmp(e, "lt", 2)) mc_buf_putc(out, '<');
        else if (n == 2 && !memcmp(e, "gt", 2)) mc_buf_putc(out, '>');
        else if (n == 3 && !memcmp(e, "amp", 3)) mc_buf_putc(out, '&');
        else if (n == 4 && !memcmp(e, "quot", 4)) mc_buf_putc(out, '"');
        else if (n == 4 && !memcmp(e, "apos", 4)) mc_buf_putc(out, '\'');
        else if (n >= 2 && e[0] == '#') {
            char *endp = NULL;
            unsigned long cp = e[1] == 'x' ? strtoul(e + 2, &endp, 16) : strtoul(e + 1, &endp, 10);
            if (endp != semi || cp == 0 || cp > 0x10FFFF)
                return fail(r, "bad character reference");
            put_utf8(out, cp);
        } else {
            return fail(r, "unknown entity");
        }
        r->p = semi + 1;
    }
    return 0;
}

static int read_element(reader *r, mc_xml **out, int depth)
{
    if (depth > XML_MAX_DEPTH)
        return fail(r, "nesting too deep");
    if (!starts(r, "<"))
        return fail(r, "expected an element");
    r->p++;
    const char *n0 = r->p;
    while (r->p < r->end && name_char(*r->p))
        r->p++;
    if (r->p == n0)
        return fail(r, "expected an element name");
    mc_xml *x = mc_calloc(1, sizeof *x);
    x->name = mc_strndup(n0, (size_t)(r->p - n0));
    *out = x;
    /* Attributes are skipped (OSS bodies carry none we need), but parsed. */
    for (;;) {
        skip_ws(r);
        if (r->p >= r->end)
            return fail(r, "unterminated start tag");
        if (*r->p == '>' || starts(r, "/>"))
            break;
        while (r->p < r->end && name_char(*r->p))
            r->p++;
        skip_ws(r);
        if (r->p >= r->end || *r->p != '=')
            return fail(r, "expected '=' in attribute");
        r->p++;
        skip_ws(r);
        if (r->p >= r->end || (*r->p != '"' && *r->p != '\''))
            return fail(r, "expected a quoted attribute value");
        char q = *r->p++;
        const char *e = memchr(r->p, q, (size_t)(r->end - r->p));
        if (!e)
            return fail(r, "unterminated attribute value");
        r->p = e + 1;
    }
    if (starts(r, "/>")) {
        r->p += 2;
        x->text = mc_strdup("");
        return 0;
    }
    r->p++;
    mc_buf text = MC_BUF_INIT;
    for (;;) {
        if (read_text(r, &text)) {
            mc_buf_free(&text);
            return -1;
        }
        if (r->p >= r->end) {
            mc_buf_free(&text);
            return fail(r, "unterminated element");
        }
        if (starts(r, "</")) {
            r->p += 2;
            size_t nl = strlen(x->name);
            if ((size_t)(r->end - r->p) < nl || memcmp(r->p, x->name, nl) != 0 ||
                (r->p + nl < r->end && name_char(r->p[nl]))) {
                mc_buf_free(&text);
                return fail(r, "mismatched end tag");
            }
            r->p += nl;
            skip_ws(r);
            if (r->p >= r->end || *r->p != '>') {
                mc_buf_free(&text);
                return fail(r, "expected '>'");
            }
            r->p++;
            break;
        }
        if (starts(r, "<!--") || starts(r, "<?")) {
            if (skip_misc(r)) {
                mc_buf_free(&text);
                return -1;
            }
            continue;
        }
        if (starts(r, "<![CDATA[")) {
            const char *e = memmem(r->p + 9, (size_t)(r->end - r->p - 9), "]]>", 3);
            if (!e) {
                mc_buf_free(&text);
                return fail(r, "unterminated CDATA");
            }
            mc_buf_append(&text, r->p + 9, (size_t)(e - r->p - 9));
            r->p = e + 3;
            continue;
        }
        mc_xml *child = NULL;
        x->children = mc_realloc(x->children, (x->nchildren + 1) * sizeof *x->children);
        int rc = read_element(r, &child, depth + 1);
        x->children[x->nchildren++] = child;
        if (rc) {
            mc_buf_free(&text);
            return -1;
        }
    }
    x->text = mc_buf_detach(&text, NULL);
    return 0;
}

int mc_xml_parse(mc_xml **out, const char *data, size_t len, mc_err *err)
{
    reader r = {data, data, data + len, err};
    *out = NULL;
    mc_xml *root = NULL;
    if (skip_misc(&r))
        return -1;
    if (read_element(&r, &root, 0)) {
        mc_xml_free(root);
        return -1;
    }
    if (skip_misc(&r) || r.p != r.end) {
        mc_xml_free(root);
        if (r.p != r.end)
            fail(&r, "content after the root element");
        return -1;
    }
    *out = root;
    return 0;
}

void mc_xml_free(mc_xml *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->nchildren; i++)
        mc_xml_free(x->children[i]);
    free(x->children);
    free(x->name);
    free(x->text);
    free(x);
}

const mc_xml *mc_xml_child(const mc_xml *x, const char *name)
{
    for (size_t i = 0; x && i < x->nchildren; i++)
        if (!strcmp(x->children[i]->name, name))
            return x->children[i];
    return NULL;
}

const char *mc_xml_child_text(const mc_xml *x, const char *name)
{
    const mc_xml *c = mc_xml_child(x, name);
    return c ? c->text : NULL;
}

void mc_xml_escape(mc_buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': mc_buf_puts(out, "&amp;"); break;
        case '<': mc_buf_puts(out, "&lt;"); break;
        case '>': mc_buf_puts(out, "&gt;"); break;
        case '"': mc_buf_puts(out, "&quot;"); break;
        case '\'': mc_buf_puts(out, "&apos;"); break;
        default: mc_buf_putc(out, *s);
        }
    }
}
