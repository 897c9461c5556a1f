/*
 * paimon/text: values as text in the format of reference/paimon-cat-csv.md
 * (the contract `mcdlf paimon cat` and the read-conformance fixtures share):
 * decimals with exactly s fraction digits, timestamps with exactly p
 * fraction digits (LTZ in UTC), floats as the shortest round-tripping
 * decimal in their own width, binary as lower-case hex.
 */
#ifndef PAIMON_TEXT_H
#define PAIMON_TEXT_H

#include "buf.h"
#include "mc_err.h"
#include "paimon/types.h"

/* Appends the text of a non-null value; nested values (ARRAY, MAP, MULTISET,
 * ROW) as compact JSON; MC_ERR_UNSUPPORTED for VARIANT and other types. */
int paimon_datum_text(mc_buf *out, const paimon_type *t, const paimon_datum *d, mc_err *err);
/* Appends one CSV field: empty for NULL, `""` for the empty string, RFC 4180
 * quoting when the text holds , " CR or LF. */
void paimon_csv_field(mc_buf *out, const char *text, size_t len, bool is_null);

#endif
