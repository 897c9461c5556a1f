/*
 * ram/service: the RAM API endpoint (version 2015-05-01) and, on the same
 * listener, the STS API (2015-04-01) and ResourceManager's service-linked
 * role actions (2020-03-31), all Alibaba Cloud POP RPC style
 * (reference/ram-sts.md §4-§6): one endpoint answering `POST /` (or GET)
 * with the action in x-acs-action / Action and the parameters in the query
 * string or a form body; JSON answers carrying RequestId, errors in the POP
 * JSON envelope (§5.4). The request's version picks the product.
 * A signature nonce is accepted once per AccessKey (SignatureNonceUsed) and a
 * timestamp only within 15 minutes of the server's clock.
 *
 * Requests are authenticated with ACS3-HMAC-SHA256 (§5.2, the Tea SDKs'
 * default) or the legacy RPC HMAC-SHA1 signature (§5.3) through
 * emu_cred_lookup (account root keys, RAM user keys, STS credentials with
 * their security token), and every RAM action is authorised through
 * ram_authorize as `ram:<Action>` (the account root is always allowed);
 * assumed-role sessions act with their role's policies intersected with the
 * session policy given to AssumeRole (ram_authorize_session).
 *
 * Roles live in ram/role; AssumeRole checks sts:AssumeRole on the role, then
 * the role's trust policy, and issues STS credentials through the cred
 * module, so every service accepts them until they expire.
 *
 * Users live in table ram_users (module "ram_users"); their AccessKeys live
 * in the cred module with principal acs:ram::<uid>:user/<name>. A user that
 * only has keys (`mcdlf admin ram create-user`) is adopted into ram_users the
 * first time the API looks users up, so both paths see the same users.
 */
#ifndef MC_RAM_SERVICE_H
#define MC_RAM_SERVICE_H

#include "server/service.h"

extern const emu_service_def emu_ram_service;

#endif
