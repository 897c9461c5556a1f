/* test_emu: see test_emu.h. */
#include "test_emu.h"

#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

struct test_emu {
    emulator *emu; /* in-process; NULL in url mode */
    pid_t pid;     /* url mode: the `mcdlf serve` process */
    json_t *ep;    /* url mode: its endpoints.json */
};

bool test_emu_url_mode(void)
{
    const char *m = getenv("MCDLF_TEST_MODE");
    return m && !strcmp(m, "url");
}

/* Waits up to 20 s for serve to write endpoints.json (it does once every
 * listener is up), then parses it. */
static json_t *wait_endpoints(const char *dir, pid_t pid)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/endpoints.json", dir) >= (int)sizeof path)
        return NULL;
    for (int i = 0; i < 400; i++) {
        json_error_t je;
        json_t *j = access(path, R_OK) == 0 ? json_load_file(path, 0, &je) : NULL;
        if (j)
            return j;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return NULL; /* serve exited */
        nanosleep(&(struct timespec){0, 50 * 1000000}, NULL);
    }
    return NULL;
}

static int start_url(test_emu *t, const char *dir)
{
    const char *bin = getenv("MCDLF_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "test_emu: MCDLF_TEST_MODE=url needs MCDLF_BIN (the mcdlf binary)\n");
        return -1;
    }
    char state[4096], log[4096];
    snprintf(state, sizeof state, "%s/served", dir);
    snprintf(log, sizeof log, "%s/serve.log", dir);
    /* A restart on the same state: the last run's endpoints are stale. */
    char stale[4200];
    snprintf(stale, sizeof stale, "%s/endpoints.json", state);
    unlink(stale);
    t->pid = fork();
    if (t->pid < 0)
        return -1;
    if (t->pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execl(bin, "mcdlf", "serve", "--state", state, (char *)NULL);
        _exit(127);
    }
    t->ep = wait_endpoints(state, t->pid);
    if (!t->ep) {
        fprintf(stderr, "test_emu: `%s serve` did not come up; see %s\n", bin, log);
        kill(t->pid, SIGKILL);
        waitpid(t->pid, NULL, 0);
        return -1;
    }
    return 0;
}

int test_emu_start(test_emu **out, const char *dir, int threads)
{
    test_emu *t = mc_calloc(1, sizeof *t);
    int rc;
    if (test_emu_url_mode()) {
        rc = start_url(t, dir);
    } else {
        emulator_options o;
        emulator_options_init(&o);
        o.num_threads = threads;
        mc_err err;
        rc = emulator_start(&t->emu, dir, &o, &err);
        if (rc)
            fprintf(stderr, "emulator_start: %s\n", err.msg);
    }
    if (rc) {
        json_decref(t->ep);
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void test_emu_stop(test_emu *t)
{
    if (!t)
        return;
    if (t->emu) {
        emulator_stop(t->emu);
    } else if (t->pid > 0) {
        kill(t->pid, SIGTERM);
        waitpid(t->pid, NULL, 0);
    }
    json_decref(t->ep);
    free(t);
}

static const char *ep_str(const test_emu *t, const char *key)
{
    return json_string_value(json_object_get(t->ep, key));
}

const char *test_emu_endpoint(const test_emu *t, const char *service)
{
    return t->emu ? emulator_endpoint(t->emu, service)
                  : json_string_value(json_object_get(json_object_get(t->ep, "endpoints"), service));
}

const char *test_emu_region(const test_emu *t)
{
    return t->emu ? emulator_region(t->emu) : ep_str(t, "region");
}

const char *test_emu_account_id(const test_emu *t)
{
    return t->emu ? emulator_account_id(t->emu) : ep_str(t, "account_id");
}

const char *test_emu_catalog(const test_emu *t)
{
    return t->emu ? emulator_catalog(t->emu) : ep_str(t, "catalog");
}

const char *test_emu_key_id(const test_emu *t)
{
    return t->emu ? emulator_owner_key_id(t->emu) : ep_str(t, "access_key_id");
}

const char *test_emu_key_secret(const test_emu *t)
{
    return t->emu ? emulator_owner_key_secret(t->emu) : ep_str(t, "access_key_secret");
}

lake_config test_emu_lake_config(const test_emu *t)
{
    return (lake_config){
        .dlf_endpoint = test_emu_endpoint(t, "dlf"),
        .catalog = test_emu_catalog(t),
        .region = test_emu_region(t),
        .access_key_id = test_emu_key_id(t),
        .access_key_secret = test_emu_key_secret(t),
        .oss_endpoint = test_emu_endpoint(t, "oss"),
    };
}

emulator *test_emu_embedded(const test_emu *t)
{
    return t->emu;
}
