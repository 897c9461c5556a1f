/* dlf/ram_layer: see ram_layer.h. */
#include "dlf/ram_layer.h"

#include <stdio.h>
#include <string.h>

/* One row per Paimon REST route (shared/spec): the method, the path after
 * /v1/{prefix}/ with * for a name, and the REST API name of DLF's RAM action
 * list (docs/dlf-ram-layer.md gives each row's source). Rows are tried in
 * order; the first match wins. */
typedef struct {
    const char *method;
    const char *path;
    const char *operation;
} rest_route;

static const rest_route ROUTES[] = {
    {"GET", "databases", "ListDatabases"},
    {"POST", "databases", "CreateDatabase"},
    {"GET", "databases/*", "GetDatabase"},
    {"POST", "databases/*", "AlterDatabase"},
    {"DELETE", "databases/*", "DropDatabase"},
    {"GET", "databases/*/tables", "ListTables"},
    {"POST", "databases/*/tables", "CreateTable"},
    {"GET", "databases/*/table-details", "ListTableDetails"},
    {"POST", "databases/*/register", "RegisterTable"},
    {"GET", "databases/*/tables/*", "GetTable"},
    {"POST", "databases/*/tables/*", "AlterTable"},
    {"DELETE", "databases/*/tables/*", "DropTable"},
    {"POST", "databases/*/tables/*/commit", "CommitTable"},
    {"GET", "databases/*/tables/*/token", "GetTableToken"},
    {"POST", "databases/*/tables/*/auth", "AuthTableQuery"},
    {"GET", "databases/*/tables/*/snapshot", "GetTableSnapshot"},
    {"GET", "databases/*/tables/*/snapshots", "ListSnapshots"},
    {"GET", "databases/*/tables/*/snapshots/*", "GetTableSnapshot"},
    {"POST", "databases/*/tables/*/rollback", "RollbackTable"},
    {"POST", "databases/*/tables/*/rollback-schema", "RollbackTableSchema"},
    {"GET", "databases/*/tables/*/partitions", "ListPartitions"},
    {"POST", "databases/*/tables/*/partitions", "CreatePartitions"},
    {"POST", "databases/*/tables/*/partitions/drop", "DropPartitions"},
    {"POST", "databases/*/tables/*/partitions/mark", "MarkDonePartitions"},
    {"POST", "databases/*/tables/*/partitions/list-by-names", "ListPartitions"},
    {"POST", "databases/*/tables/*/partitions/list-by-filter", "ListPartitions"},
    {"GET", "databases/*/tables/*/tags", "ListTags"},
    {"POST", "databases/*/tables/*/tags", "CreateTag"},
    {"GET", "databases/*/tables/*/tags/*", "GetTag"},
    {"DELETE", "databases/*/tables/*/tags/*", "DeleteTag"},
    {"GET", "databases/*/tables/*/branches", "ListBranches"},
    {"POST", "databases/*/tables/*/branches", "CreateBranch"},
    {"DELETE", "databases/*/tables/*/branches/*", "DropBranch"},
    {"POST", "databases/*/tables/*/branches/*/rename", "RenameBranch"},
    {"POST", "databases/*/tables/*/branches/*/forward", "ForwardBranch"},
    {"GET", "databases/*/tables/*/consumers", "ListConsumers"},
    {"POST", "databases/*/tables/*/consumers/reset", "ResetConsumer"},
    {"GET", "databases/*/views", "ListViews"},
    {"POST", "databases/*/views", "CreateView"},
    {"GET", "databases/*/view-details", "ListViewDetails"},
    {"GET", "databases/*/views/*", "GetView"},
    {"POST", "databases/*/views/*", "AlterView"},
    {"DELETE", "databases/*/views/*", "DropView"},
    {"GET", "databases/*/functions", "ListFunctions"},
    {"POST", "databases/*/functions", "CreateFunction"},
    {"GET", "databases/*/function-details", "ListFunctionDetails"},
    {"GET", "databases/*/functions/*", "GetFunction"},
    {"POST", "databases/*/functions/*", "AlterFunction"},
    {"DELETE", "databases/*/functions/*", "DropFunction"},
    {"POST", "views/rename", "RenameView"},
    {"POST", "tables/rename", "RenameTable"},
    {"GET", "tables/id/*", "GetTable"},
    {"GET", "tables", "ListTables"},
    {"GET", "views", "ListViews"},
    {"GET", "functions", "ListFunctions"},
};

/* Does segs[0..n) match the pattern, segment by segment? */
static bool path_matches(const char *pattern, char *const *segs, int n)
{
    int i = 0;
    for (const char *p = pattern; *p; i++) {
        size_t len = strcspn(p, "/");
        if (i >= n)
            return false;
        if (!(len == 1 && *p == '*') && (strlen(segs[i]) != len || strncmp(segs[i], p, len) != 0))
            return false;
        p += len;
        if (*p == '/')
            p++;
    }
    return i == n;
}

const char *dlf_rest_operation(const char *method, char *const *segs, int nsegs)
{
    if (nsegs == 1 && !strcmp(segs[0], "config"))
        return !strcmp(method, "GET") ? "GetConfig" : NULL;
    if (nsegs < 2)
        return NULL;
    for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++)
        if (!strcmp(ROUTES[i].method, method) && path_matches(ROUTES[i].path, segs + 1, nsegs - 1))
            return ROUTES[i].operation;
    return NULL;
}

int dlf_ram_decide(const emu_env *env, emu_request *r, const emu_cred *cred, const char *operation,
                   ram_decision *d, mc_err *err)
{
    char action[64];
    snprintf(action, sizeof action, "dlf:%s", operation);
    const char *ctx[] = {"acs:SourceIp", emu_req_remote_addr(r), "acs:SecureTransport",
                         emu_req_secure(r) ? "true" : "false", NULL};
    if (cred->scope) {
        /* Scoped STS credentials are table data tokens: they reach OSS data only. */
        memset(d, 0, sizeof *d);
        snprintf(d->reason, sizeof d->reason, "scoped data-token credentials do not reach the DLF APIs");
    } else if (ram_authorize_session(env->state, cred->principal, cred->session_policy, action, "*", ctx, d, err)) {
        return -1;
    }
    if (env->record)
        env->record(env, "RAM", cred->principal, action, "*", d->allowed, d->reason);
    return 0;
}

void dlf_ram_refusal(char *out, size_t cap, const char *operation)
{
    snprintf(out, cap, "You are not authorized to do this action. Resource: * Action: dlf:%s", operation);
}
