/* log: see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int level_from_env(void)
{
    const char *v = getenv("MCDLF_LOG");
    if (!v) return MC_LOG_WARN;
    if (!strcmp(v, "error")) return MC_LOG_ERROR;
    if (!strcmp(v, "info")) return MC_LOG_INFO;
    if (!strcmp(v, "debug")) return MC_LOG_DEBUG;
    return MC_LOG_WARN;
}

int mc_log_enabled(mc_log_level level)
{
    return (int)level <= level_from_env();
}

void mc_log(mc_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    if (!mc_log_enabled(level))
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "mcdlf %s: %s\n", names[level], line);
}
