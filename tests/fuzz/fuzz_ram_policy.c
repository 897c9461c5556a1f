/*
 * libFuzzer target for RAM policy documents (emulator/ram/policy.c): the
 * validator every CreatePolicy body goes through and the evaluator behind
 * every control-plane decision (reference/ram-sts.md §2). Built and run by
 * ci/fuzz (seed corpus: tests/fuzz/corpus/ram_policy).
 *
 * Input: NUL-separated parts: document, action, resource, then context
 * key/value pairs (acs:SourceIp, acs:CurrentTime, ...). Missing parts take
 * plain defaults so that a bare document is a useful input too.
 * Properties: no crash or sanitizer report; a document is accepted by the
 * evaluator exactly when the validator accepts it; a decision is never both
 * allowed and an explicit deny, and always says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ram/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *part[MAX_PARTS];
    size_t n = 0;
    for (char *p = text; n < MAX_PARTS && p <= text + size; p += strlen(p) + 1)
        part[n++] = p;
    const char *doc = part[0];
    const char *action = n > 1 ? part[1] : "dlf:GetTable";
    const char *resource = n > 2 ? part[2] : "acs:dlf:cn-hangzhou:1:catalog/c/database/d/table/t";
    const char *ctx[MAX_PARTS + 1];
    size_t nctx = 0;
    for (size_t i = 3; i + 1 < n; i += 2) {
        ctx[nctx++] = part[i];
        ctx[nctx++] = part[i + 1];
    }
    ctx[nctx] = NULL;

    mc_err err;
    int valid = ram_policy_validate(doc, &err) == 0;
    ram_decision d;
    int rc = ram_policy_evaluate(doc, action, resource, nctx ? ctx : NULL, &d, &err);
    if ((rc == 0) != valid)
        abort(); /* evaluate must load exactly what validate accepts */
    if (rc == 0 && ((d.allowed && d.explicit_deny) || !d.reason[0]))
        abort();
    free(text);
    return 0;
}
