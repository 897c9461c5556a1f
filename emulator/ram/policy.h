/*
 * ram/policy: RAM's policy language, the policies an account holds, and the
 * decision whether a principal may do an action on a resource
 * (reference/ram-sts.md §2 language and evaluation, §3 system policies).
 *
 * A policy is a JSON document {"Version":"1","Statement":[...]}. System
 * policies (type "System") are built in and read-only; custom policies (type
 * "Custom") live in SQLite together with the attachments of policies to
 * principals (RAM ARNs). Tables (module "ram"): ram_policies, ram_policy_attachments.
 *
 * Invariants between calls:
 *   - every document in ram_policies passed ram_policy_validate when it was stored;
 *   - an attachment names a policy that exists (attach checks; delete refuses
 *     a custom policy that is still attached: DeleteConflict.Policy.<Kind>);
 *   - role names in ARNs are case-insensitive (§1), so role ARNs are stored and
 *     looked up with the role name lower-cased; an assumed-role session ARN
 *     (.../role/<name>/<session>) acts with the policies of its role.
 *
 * Decision (§2): any matching Deny statement -> explicit deny; else any
 * matching Allow -> allowed; else implicit deny. The account root
 * (acs:ram::<uid>:root) is always allowed. Session policies, resource-based
 * policies and control policies are not this module's business.
 *
 * Errors carry RAM's error code in err->remote_code and its HTTP status in
 * err->http_status (§6 error table), so the RAM service renders them as is.
 */
#ifndef MC_RAM_POLICY_H
#define MC_RAM_POLICY_H

#include <stdbool.h>

#include "mc_err.h"
#include "state/state.h"

typedef struct {
    bool allowed;
    bool explicit_deny;
    bool by_session_policy; /* denied by an STS session policy (ram_authorize_session) */
    /* For `mcdlf why`: the policy and statement that allowed or denied, or
     * "no policy allows <action> on <resource>". */
    char reason[512];
} ram_decision;

int ram_policy_migrate(emu_state *s, mc_err *err);

/* Parses and checks a document; 0 or -1 (MC_ERR_INVALID, remote_code
 * "MalformedPolicyDocument", message saying what is wrong and where). */
int ram_policy_validate(const char *document, mc_err *err);

/* The built-in document of a system policy, or NULL when there is none. */
const char *ram_policy_system_document(const char *name);

/* Creates a custom policy. Name 1-128 of letters, digits, '-'; document 1-6144
 * chars; description <= 1024. MC_ERR_EXISTS / "EntityAlreadyExists.Policy"
 * when a system or custom policy already has the name. */
int ram_policy_create(emu_state *s, const char *name, const char *document, const char *description, mc_err *err);
/* Deletes a custom policy. MC_ERR_NOT_FOUND / "EntityNotExist.Policy";
 * MC_ERR_CONFLICT / "DeleteConflict.Policy.User" (or .Role, .Group) while attached. */
int ram_policy_delete(emu_state *s, const char *name, mc_err *err);
/* The document of a policy of type "System" or "Custom" (caller frees). */
int ram_policy_get(emu_state *s, const char *name, const char *type, char **document, mc_err *err);

/* type "System" or "Custom" (else MC_ERR_INVALID / "InvalidParameter.PolicyType");
 * MC_ERR_NOT_FOUND / "EntityNotExist.Policy"; attaching twice is
 * MC_ERR_EXISTS / "EntityAlreadyExists.User.Policy" (.Role., .Group.).
 * Whether the principal itself exists is the caller's check. */
int ram_policy_attach(emu_state *s, const char *principal, const char *policy, const char *type, mc_err *err);
/* MC_ERR_NOT_FOUND / "EntityNotExist.User.Policy" (.Role., .Group.) when not attached. */
int ram_policy_detach(emu_state *s, const char *principal, const char *policy, const char *type, mc_err *err);
/* "name type" lines of the principal's attached policies, in attach order
 * (caller frees *text; "" when none). */
int ram_policy_list_for(emu_state *s, const char *principal, char **text, mc_err *err);

/* The decision for principal doing action on resource with the request context
 * (NULL-terminated key/value pairs, e.g. {"acs:SourceIp","127.0.0.1",NULL};
 * NULL for none). acs:CurrentTime defaults to now when the context lacks it.
 * The account root (acs:ram::<uid>:root) is always allowed. */
int ram_authorize(emu_state *s, const char *principal, const char *action, const char *resource,
                  const char *const *context, ram_decision *out, mc_err *err);

/* ram_authorize for STS credentials that carry a session policy (the
 * AssumeRole Policy parameter, §2 evaluation order and §4): the session
 * policy is evaluated first; its explicit Deny denies, and what it does not
 * allow is implicitly denied; otherwise the principal's policies decide.
 * So the session acts with the intersection of both. session_policy NULL
 * is ram_authorize. */
int ram_authorize_session(emu_state *s, const char *principal, const char *session_policy, const char *action,
                          const char *resource, const char *const *context, ram_decision *out, mc_err *err);

/* A role's trust policy (AssumeRolePolicyDocument): a policy document whose
 * statements each name a Principal object ({"RAM": [...]}, {"Service": [...]}
 * or {"Federated": [...]}, strings or arrays of strings) instead of a
 * Resource. -1 with "MalformedPolicyDocument" otherwise. */
int ram_trust_validate(const char *document, mc_err *err);

/* Whether the trust policy lets caller (the ARN of a RAM user or of an
 * assumed-role session) do action (sts:AssumeRole) with the request context
 * (e.g. sts:ExternalId). A RAM principal matches the caller when it is the
 * caller's ARN, the root of the caller's account (acs:ram::<uid>:root: any
 * identity of that account, §1 CreateRole sample), or the role a session
 * caller belongs to. Service and Federated principals never match a RAM
 * identity. Deny wins over Allow; nothing matching is an implicit deny. */
int ram_trust_evaluate(const char *document, const char *caller, const char *action, const char *const *context,
                       ram_decision *out, mc_err *err);

/* Evaluates one document directly (for tests and `mcdlf why`); -1 when it is malformed. */
int ram_policy_evaluate(const char *document, const char *action, const char *resource,
                        const char *const *context, ram_decision *out, mc_err *err);

#endif
