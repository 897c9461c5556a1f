/*
 * test_emu: the emulator a C integration test talks to. By default it runs
 * in-process (emulator_start); with MCDLF_TEST_MODE=url it is a separate
 * `mcdlf serve` process (MCDLF_BIN) reached only through the endpoints.json
 * it writes, the way the url profile reaches it (issue 8: the integration
 * suite runs in both modes). Tests that need the emulator's internals (its
 * admin calls, restarts) ask test_emu_embedded() and skip when it is NULL.
 */
#ifndef MC_TEST_EMU_H
#define MC_TEST_EMU_H

#include <stdbool.h>

#include "emulator.h"
#include "lake.h"

typedef struct test_emu test_emu;

/* Starts on the state directory dir; threads is the in-process worker count. */
int test_emu_start(test_emu **out, const char *dir, int threads);
void test_emu_stop(test_emu *t);
/* "oss", "dlf", "ram": the service's base URL. */
const char *test_emu_endpoint(const test_emu *t, const char *service);
const char *test_emu_region(const test_emu *t);
const char *test_emu_account_id(const test_emu *t);
const char *test_emu_catalog(const test_emu *t);    /* the provisioned DLF catalog */
const char *test_emu_key_id(const test_emu *t);     /* the account owner's AccessKey */
const char *test_emu_key_secret(const test_emu *t);
/* The engine's lake configuration for the account owner (strings borrowed from t). */
lake_config test_emu_lake_config(const test_emu *t);
/* The in-process emulator, or NULL in url mode. */
emulator *test_emu_embedded(const test_emu *t);
/* Whether this run is the url mode. */
bool test_emu_url_mode(void);

#endif
