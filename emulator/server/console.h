/*
 * console: the cloud consoles' actions of the seed's steps 1-3, shared by
 * `mcdlf admin` on the embedded profile (emulator_console) and by the
 * control-plane OpenAPI (server/control_api) so that both decide alike: the
 * RAM layer (ram/policy) judges each action for the actor, refusals carry
 * CONTROL_NOT_AUTHORIZED (MC_ERR_DENIED), and the rest is control/ and
 * dlf/catalog.
 *
 * An actor is who acts: a principal of an account, with the session policy
 * of STS credentials (NULL otherwise) and the request context RAM
 * conditions read (NULL on the console). It is borrowed for one action.
 */
#ifndef MC_EMU_CONSOLE_H
#define MC_EMU_CONSOLE_H

#include "control/control.h"
#include "dlf/catalog.h"
#include "server/service.h"

typedef struct {
    const emu_env *env;
    const char *account;         /* the actor's account uid */
    const char *principal;       /* its ARN */
    const char *session_policy;  /* NULL unless STS credentials carry one */
    const char *const *context;  /* RAM condition context, NULL for none */
} emu_actor;

/* RAM's decision for the actor (recorded for `mcdlf why`): 0, or -1 with
 * MC_ERR_DENIED and CONTROL_NOT_AUTHORIZED, or another failure. */
int emu_actor_authorize(const emu_actor *a, const char *action, const char *resource, mc_err *err);

/* The control_env through which control/ asks the actor's questions; a is
 * borrowed for as long as the env is used. */
control_env emu_actor_control_env(const emu_actor *a);

/* DLF console: authorise access to cloud resources, activate (region of
 * the emulator), create a catalog with its bucket and `default` database. */
int emu_console_dlf_authorize(const emu_actor *a, mc_err *err);
int emu_console_dlf_activate(const emu_actor *a, mc_err *err);
int emu_console_create_catalog(const emu_actor *a, const char *name, dlf_catalog_info *out, mc_err *err);

#endif
