/*
 * fuzz_emu: the in-process emulator of the fuzz targets that drive a
 * service through its HTTP handler (fuzz_dlf_json, fuzz_oss_http). Started
 * once per process on a scratch state under $TMPDIR with two worker threads
 * and a 1 MiB body limit; stopped and removed at exit; fuzz_http sends one
 * request to it. Header-only: each
 * fuzz target is its own executable (CMakeLists.txt, ci/fuzz).
 */
#ifndef MC_FUZZ_EMU_H
#define MC_FUZZ_EMU_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "client/http.h"
#include "emulator.h"
#include "fsutil.h"
#include "mc_err.h"

static emulator *fuzz_emu;
static char *fuzz_emu_dir;

static void fuzz_die(const char *what, const mc_err *err)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, err ? err->msg : "");
    abort();
}

static void fuzz_emu_stop(void)
{
    emulator_stop(fuzz_emu);
    fuzz_emu = NULL;
    if (fuzz_emu_dir) {
        mc_rm_rf(fuzz_emu_dir);
        free(fuzz_emu_dir);
        fuzz_emu_dir = NULL;
    }
}

/* Starts the emulator (quiet logs); fuzz_emu_stop runs at exit, after any
 * atexit handler the caller registers later. */
static void fuzz_emu_start(const char *tag)
{
    setenv("MCDLF_LOG", "error", 0);
    const char *tmp = getenv("TMPDIR");
    fuzz_emu_dir = mc_asprintf("%s/mcdlf-fuzz-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (!mkdtemp(fuzz_emu_dir))
        fuzz_die("mkdtemp", NULL);
    emulator_options o;
    emulator_options_init(&o);
    o.num_threads = 2;
    o.max_body_bytes = 1 << 20;
    mc_err err;
    if (emulator_start(&fuzz_emu, fuzz_emu_dir, &o, &err))
        fuzz_die("emulator_start", &err);
    atexit(fuzz_emu_stop);
}

/* One request to url; the answer's body lands in answer. Returns the HTTP
 * status, 0 when no answer came. */
static long fuzz_http(const char *method, const char *url, const mc_header *h, size_t nh, const void *body,
                      size_t blen, mc_buf *answer)
{
    http_request req = {.method = method, .url = url, .headers = h, .nheaders = nh,
                        .body = body, .body_len = blen, .timeout_ms = 20000};
    http_response resp;
    mc_err err;
    if (http_send(&resp, &req, &err))
        return 0;
    long status = resp.status;
    mc_buf_append(answer, resp.body.data ? resp.body.data : "", resp.body.len);
    http_response_clear(&resp);
    return status;
}

#endif
