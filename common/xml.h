/*
 * xml: a small, strict, non-validating XML reader into a tree, and an
 * escaping helper for writers. Enough for the request bodies OSS takes
 * (DeleteMultipleObjects, CompleteMultipartUpload) and the responses its
 * clients read. Bounded: depth <= 64, no DTDs, no external entities;
 * malformed input gives an error naming the byte offset, never a crash.
 */
#ifndef MC_XML_H
#define MC_XML_H

#include <stddef.h>

#include "buf.h"
#include "mc_err.h"

typedef struct mc_xml mc_xml;
struct mc_xml {
    char *name;
    char *text;          /* concatenated character data directly inside, decoded */
    mc_xml **children;
    size_t nchildren;
};

int mc_xml_parse(mc_xml **out, const char *data, size_t len, mc_err *err);
void mc_xml_free(mc_xml *x);
/* First child element named name, or NULL. */
const mc_xml *mc_xml_child(const mc_xml *x, const char *name);
/* Text of the first child named name, or NULL. */
const char *mc_xml_child_text(const mc_xml *x, const char *name);

/* Appends s with & < > " ' escaped. */
void mc_xml_escape(mc_buf *out, const char *s);

#endif
