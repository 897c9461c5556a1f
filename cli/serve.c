/*
 * serve: `mcdlf serve --state DIR [--host H] [--oss-port N] [--dlf-port N]
 * [--ram-port N] [--mc-port N] [--region R] [--tls-cert CERT --tls-key KEY]`
 * runs the emulator in the foreground. Prints one line per endpoint
 * ("oss http://127.0.0.1:PORT", https:// with the TLS options),
 * writes DIR/endpoints.json once every listener is up, and stops cleanly on
 * SIGINT/SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "emulator.h"
#include "timeutil.h"
#include "fsutil.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int parse_port(const char *flag, const char *v, int *out)
{
    char *end = NULL;
    long p = v ? strtol(v, &end, 10) : -1;
    if (!v || *end || p < 0 || p > 65535) {
        fprintf(stderr, "mcdlf serve: %s needs a port number 0-65535\n", flag);
        return -1;
    }
    *out = (int)p;
    return 0;
}

static void serve_usage(FILE *f)
{
    fputs("usage: mcdlf serve --state DIR [--host 127.0.0.1] [--region cn-hangzhou]\n"
          "                   [--oss-port N] [--dlf-port N] [--ram-port N] [--mc-port N]\n"
          "                   [--tls-cert CERT.pem --tls-key KEY.pem] [--clock-skew SECONDS]\n"
          "Ports default to 0 (ephemeral). Endpoints are printed and written to DIR/endpoints.json.\n"
          "With --tls-cert and --tls-key every service speaks HTTPS (TLS 1.2+) on its port.\n"
          "--clock-skew runs the services with their clock off by SECONDS (negative: behind), to\n"
          "reproduce the skew errors (RequestTimeTooSkewed) clients with a wrong clock get.\n",
          f);
}

int cli_serve(int argc, char **argv)
{
    emulator_options opts;
    emulator_options_init(&opts);
    const char *state = NULL, *tls_cert = NULL, *tls_key = NULL;
    for (int i = 1; i < argc; i += 2) { /* every option but --help takes a value */
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            serve_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--state") && v) {
            state = v;
        } else if (!strcmp(a, "--tls-cert") && v) {
            tls_cert = v;
        } else if (!strcmp(a, "--tls-key") && v) {
            tls_key = v;
        } else if (!strcmp(a, "--clock-skew") && v) {
            char *end;
            long long sec = strtoll(v, &end, 10);
            if (*end || end == v || sec > 100LL * 365 * 86400 || sec < -100LL * 365 * 86400) {
                fprintf(stderr, "mcdlf serve: --clock-skew takes whole seconds, got %s\n", v);
                return 2;
            }
            mc_clock_skew_set(sec * 1000);
        } else if (!strcmp(a, "--host") && v) {
            opts.host = v;
        } else if (!strcmp(a, "--region") && v) {
            opts.region = v;
        } else if (!strcmp(a, "--oss-port")) {
            rc = parse_port(a, v, &opts.oss_port);
        } else if (!strcmp(a, "--dlf-port")) {
            rc = parse_port(a, v, &opts.dlf_port);
        } else if (!strcmp(a, "--ram-port")) {
            rc = parse_port(a, v, &opts.ram_port);
        } else if (!strcmp(a, "--mc-port")) {
            rc = parse_port(a, v, &opts.mc_port);
        } else {
            fprintf(stderr, "mcdlf serve: unknown or incomplete option %s\n", a);
            serve_usage(stderr);
            return 2;
        }
        if (rc)
            return 2;
    }
    if (!state) {
        const char *home = getenv("MCDLF_HOME");
        state = home && *home ? home : ".mcdlf";
    }
    mc_err err;
    mc_err_clear(&err);
    if (!tls_cert != !tls_key) {
        fprintf(stderr, "mcdlf serve: --tls-cert and --tls-key go together\n");
        return 2;
    }
    opts.tls_cert = tls_cert;
    opts.tls_key = tls_key;
    emulator *e = NULL;
    if (emulator_start(&e, state, &opts, &err)) {
        fprintf(stderr, "mcdlf serve: %s\n", err.msg);
        return 1;
    }
    static const char *const names[] = {"oss", "dlf", "ram", "mc", NULL};
    for (int i = 0; names[i]; i++) {
        const char *url = emulator_endpoint(e, names[i]);
        if (url)
            printf("%s %s\n", names[i], url);
    }
    printf("account %s\naccess_key_id %s\n", emulator_account_id(e), emulator_owner_key_id(e));
    char *path = mc_path_join(state, "endpoints.json");
    int rc = emulator_write_endpoints_json(e, path, &err);
    if (rc == 0)
        printf("endpoints %s\n", path);
    free(path);
    fflush(stdout);
    if (rc) {
        fprintf(stderr, "mcdlf serve: %s\n", err.msg);
        emulator_stop(e);
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (!stop_requested)
        pause();
    emulator_stop(e);
    fputs("mcdlf serve: stopped\n", stderr);
    return 0;
}
