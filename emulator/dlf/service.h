/*
 * dlf/service: the DLF catalog endpoint, the Paimon REST catalog protocol
 * (reference/paimon-rest.md; spec/paimon-rest-catalog-open-api.yaml) over
 * dlf/catalog, with DLF4-HMAC-SHA256 authentication (§3.3), data-plane
 * privilege checks through dlf/grants (one function per request), table
 * data tokens scoped to the table path (§8), and snapshot/schema files
 * written into the catalog's bucket as Java Paimon lays them out.
 *
 * Requests below /dlf/v1/auth/ are DLF's permission OpenAPI, served on the
 * same listener by dlf/permissions_api.
 *
 * On a fresh state the service provisions a default catalog (with its
 * bucket and a `default` database); endpoints.json names it as "catalog".
 */
#ifndef MC_DLF_SERVICE_H
#define MC_DLF_SERVICE_H

#include "server/service.h"

extern const emu_service_def emu_dlf_service;

/* The name of the catalog provisioned on a fresh state. */
#define DLF_DEFAULT_CATALOG "mcdlf"

#endif
