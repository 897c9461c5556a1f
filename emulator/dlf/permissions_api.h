/*
 * dlf/permissions_api: DLF's permission management OpenAPI (DlfNext
 * 2025-03-10, reference/dlf-permissions.md §3.4; docs/dlf-permissions-api.md)
 * over dlf/grants. ROA style, served on the DLF listener beside the Paimon
 * REST catalog (the real public host dlfnext.<region>.aliyuncs.com serves
 * both), told apart by the path prefix /dlf/v1/auth/:
 *
 *   GET  /dlf/v1/auth/permissions/{catalogId}/list         ListPermissions
 *   POST /dlf/v1/auth/permissions/{catalogId}/batchgrant   BatchGrantPermissions
 *   POST /dlf/v1/auth/permissions/{catalogId}/batchrevoke  BatchRevokePermissions
 *
 * Requests are signed ACS3-HMAC-SHA256 as the Tea SDKs sign them
 * (reference/ram-sts.md §5.2); errors are POP JSON envelopes (RequestId,
 * HostId, Code, Message). The caller needs the RAM action dlf:<Operation>
 * (ram/policy) and, to grant or revoke, DLF's GRANT privilege on every
 * resource named (dlf_check: account root, DLF admins and owners pass).
 *
 * Invariant: a batch is validated and authorised as a whole before anything
 * is applied; a malformed entry (400) or a missing GRANT (403) changes no
 * grant. What can fail per entry once applied (a resource that does not
 * exist, a revoke of a grant that is not held) is reported in
 * failurePermissions while the other entries take effect.
 */
#ifndef MC_DLF_PERMISSIONS_API_H
#define MC_DLF_PERMISSIONS_API_H

#include <jansson.h>
#include <stdbool.h>

#include "dlf/grants.h"
#include "mc_err.h"
#include "server/service.h"

#define DLF_PERMISSIONS_API_PREFIX "/dlf/v1/auth/"

/* One Permission object of the API as a grant of dlf/grants. */
typedef struct {
    char principal[512];
    dlf_resource_type type;
    char database[256]; /* "" for a catalog */
    char table[256];    /* "" unless a table */
    dlf_privilege access;
} dlf_permission;

/* Whether a request path (as sent, query excluded) belongs to this API. */
bool dlf_permissions_api_owns(const char *raw_path);

/* Serves one request of this API; sends exactly one response. */
void dlf_permissions_api_handle(const emu_env *env, emu_request *r);

/* Maps a Permission object to a grant. account_id: the caller's account;
 * the principal must be a RAM user or role ARN of it. Fields mcdlf does not
 * model (columns, rowFilter, expireTime, VIEW and FUNCTION resources) are
 * refused, not ignored. -1 with MC_ERR_INVALID (or MC_ERR_UNSUPPORTED) and
 * a message naming the field otherwise. */
int dlf_permission_parse(dlf_permission *out, const json_t *perm, const char *account_id, mc_err *err);

/* The Permission object of a grant (the fields that apply to its type). */
json_t *dlf_permission_json(const dlf_permission *p);

#endif
