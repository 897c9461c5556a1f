/*
 * control_api: the console actions of the seed's steps 1-3 as OpenAPI
 * (docs/control-plane-api.md), so that `mcdlf admin` and `mcdlf apply`
 * reach them over HTTP on url profiles. ROA style, JSON bodies, signed
 * ACS3-HMAC-SHA256 (reference/ram-sts.md §5.2, server/pop_auth); errors are
 * POP envelopes (RequestId, HostId, Code, Message) whose Message is the
 * console's own text. Every action is decided as the console decides it
 * (server/console: the RAM layer, then control/ and dlf/catalog).
 *
 * On the "mc" listener, MaxCompute OpenAPI 2022-01-04
 * (reference/maxcompute-control.md §4) and mcdlf's foreign servers (§2: no
 * public API exists; the shape is mcdlf's):
 *   POST /api/v1/projects                CreateProject (external projects only)
 *   GET  /api/v1/projects/{name}         GetProject
 *   GET  /api/v1/projects                ListProjects
 *   POST /api/v1/foreignServers          CreateForeignServer (mcdlf)
 *   GET  /api/v1/foreignServers/{name}   GetForeignServer (mcdlf)
 * On the DLF listener beside the permission API (DlfNext 2025-03-10):
 *   POST /dlf/v1/catalogs                CreateCatalog
 *   POST /dlf/v1/service/subscribe       Subscribe (the console's "activate")
 *   POST /dlf/v1/service/authorize       mcdlf only: the console's cloud-resource
 *                                        authorisation, which has no public API
 */
#ifndef MC_EMU_CONTROL_API_H
#define MC_EMU_CONTROL_API_H

#include <stdbool.h>

#include "server/service.h"

extern const emu_service_def emu_mc_service;

/* Whether a DLF request path (as sent, query excluded) is one of the above. */
bool emu_dlf_manage_owns(const char *raw_path);
/* Serves one of them; sends exactly one response. */
void emu_dlf_manage_handle(const emu_env *env, emu_request *r);

#endif
