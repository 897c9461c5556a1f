/*
 * server_internal: the emulator handle's insides, shared by the files of
 * emulator/server (server.c: listeners and lifecycle; console.c: console
 * actions). Nothing outside emulator/server includes this.
 */
#ifndef MC_EMU_SERVER_INTERNAL_H
#define MC_EMU_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "emulator.h"
#include "server/cred.h"
#include "server/service.h"
#include "state/state.h"

struct mg_context;
struct emu_tls_front;

typedef struct {
    const emu_service_def *def;
    void *ctx;
    struct mg_context *mg;
    struct emu_tls_front *tls;  /* HTTPS in front of mg, or NULL */
    int port;                   /* the public port: tls's when there is one */
    char url[96];
    struct emulator *owner;
} running_service;

struct emulator {
    emu_env env;
    char *state_dir;
    char *region;
    char *host;
    char account_id[32];
    emu_cred owner_key;
    emu_state *state;
    running_service services[8];
    int nservices;
    char *catalog;
    pthread_mutex_t trace_lock;
    bool tracing;
    emulator_decision *trace;
    size_t ntrace;
};

#endif
