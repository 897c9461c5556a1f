/*
 * libFuzzer target for the strict XML reader behind every OSS request body
 * (common/xml.c: DeleteMultipleObjects, CompleteMultipartUpload,
 * CreateBucketConfiguration). Property: no crash or sanitizer report; what
 * parses can be walked and escaped back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const mc_xml *x, mc_buf *b, int depth)
{
    if (depth > 64)
        abort(); /* the reader bounds nesting well below this */
    mc_buf_printf(b, "<%s>", x->name);
    mc_xml_escape(b, x->text ? x->text : "");
    for (size_t i = 0; i < x->nchildren; i++)
        walk(x->children[i], b, depth + 1);
    mc_xml_child_text(x, "Key");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mc_xml *x = NULL;
    mc_err err;
    if (mc_xml_parse(&x, (const char *)data, size, &err) == 0) {
        mc_buf b = MC_BUF_INIT;
        walk(x, &b, 0);
        mc_buf_free(&b);
        mc_xml_free(x);
    }
    return 0;
}
