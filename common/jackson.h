/*
 * jackson: JSON output the way Java Paimon writes its metadata files
 * (Jackson's default pretty printer, reference/paimon-format.md §2): 2-space
 * indent per object level, `"key" : value`, arrays inline as `[ a, b ]`,
 * empty containers `[ ]` and `{ }`, no trailing newline. Object members are
 * written in the json_t's insertion order, which callers set to Java's field
 * order.
 */
#ifndef MC_JACKSON_H
#define MC_JACKSON_H

#include <jansson.h>

#include "buf.h"

void mc_json_jackson_dump(mc_buf *out, const json_t *j);

#endif
