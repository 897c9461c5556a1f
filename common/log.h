/*
 * log: leveled logging to stderr. Level from MCDLF_LOG (error|warn|info|debug),
 * default warn. Thread-safe (one fprintf per line).
 */
#ifndef MC_LOG_H
#define MC_LOG_H

typedef enum { MC_LOG_ERROR, MC_LOG_WARN, MC_LOG_INFO, MC_LOG_DEBUG } mc_log_level;

void mc_log(mc_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int mc_log_enabled(mc_log_level level);

#define MC_LOGE(...) mc_log(MC_LOG_ERROR, __VA_ARGS__)
#define MC_LOGW(...) mc_log(MC_LOG_WARN, __VA_ARGS__)
#define MC_LOGI(...) mc_log(MC_LOG_INFO, __VA_ARGS__)
#define MC_LOGD(...) mc_log(MC_LOG_DEBUG, __VA_ARGS__)

#endif
