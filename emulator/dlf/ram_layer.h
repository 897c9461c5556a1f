/*
 * dlf/ram_layer: DLF's first permission layer (reference/dlf-permissions.md §3,
 * §6): before any data-permission check, the caller's RAM policies must allow
 * the `dlf:<Operation>` action of the request, on all resources (DLF's RAM
 * authorisation granularity is the operation). The account root is always
 * allowed; RAM users and assumed-role sessions need a policy such as
 * AliyunDLFReadOnlyAccess (List/Get) or AliyunDLFFullAccess; scoped STS data
 * tokens never reach DLF. Both DLF listeners — the Paimon REST catalog and the
 * DlfNext permission API — decide here, so their refusals agree.
 * Facts and mcdlf's choices: docs/dlf-ram-layer.md.
 */
#ifndef MC_EMU_DLF_RAM_LAYER_H
#define MC_EMU_DLF_RAM_LAYER_H

#include "mc_err.h"
#include "ram/policy.h"
#include "server/cred.h"
#include "server/service.h"

/* The REST API name of a Paimon REST request as DLF's RAM action list names it
 * (`ListTables` for GET /v1/{prefix}/databases/{db}/tables); segs are the path
 * segments after /v1/ (segs[0] the catalog prefix, except for `config`).
 * NULL for a request no route serves (route() answers those itself). */
const char *dlf_rest_operation(const char *method, char *const *segs, int nsegs);

/* Decides `dlf:<operation>` for cred as the RAM layer does and tells the
 * trace (`mcdlf why`) about it. -1 only on an internal error. */
int dlf_ram_decide(const emu_env *env, emu_request *r, const emu_cred *cred, const char *operation,
                   ram_decision *d, mc_err *err);

/* The refusal text: DLF's RAM refusals are undocumented (docs/dlf-ram-layer.md);
 * mcdlf answers as RAM's own API does (reference/ram-sts.md §6 NoPermission):
 * "You are not authorized to do this action. Resource: * Action: dlf:<Op>". */
void dlf_ram_refusal(char *out, size_t cap, const char *operation);

#endif
