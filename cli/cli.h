/* cli: subcommand entry points of the mcdlf program. Each returns the exit status. */
#ifndef MC_CLI_H
#define MC_CLI_H

#include "buf.h"
#include "config.h"
#include "emulator.h"
#include "mc_err.h"

#define MCDLF_VERSION "0.1.0"

int cli_serve(int argc, char **argv);
int cli_console(int argc, char **argv);
int cli_config(int argc, char **argv);
int cli_admin(int argc, char **argv);
int cli_paimon(int argc, char **argv);
int cli_why(int argc, char **argv);
int cli_doctor(int argc, char **argv);
int cli_apply(int argc, char **argv);

/* Shared by the subcommands that run on the embedded emulator. */

/* One `mcdlf admin` action (argv without "admin" and its options, e.g.
 * {"dlf", "grant", "alice", "LIST", "on", "database", "default"}) on e, as
 * the account owner or as_user; what the console shows is appended to out. */
/* The admin action on a url or live profile, as the profile's AccessKey,
 * through the services' APIs; 1 when the action has no remote form. */
int cli_admin_remote(const config_profile *p, int argc, char **argv, mc_buf *out, mc_err *err);
int cli_admin_run(emulator *e, const char *as_user, int argc, char **argv, mc_buf *out, mc_err *err);

/* argv {"catalog", "C"} | {"database", "[C.]D"} | {"table", "[C.]D.T"}, the
 * catalog dflt_catalog when omitted: the parts (caller frees; NULL when
 * not part of the level). */
int cli_admin_resource(char *const *argv, const char *dflt_catalog, char **cat, char **db, char **tbl, mc_err *err);

/* Points embedded profile p at the running emulator e: its endpoints, its
 * catalog unless p names one, the owner's AccessKey unless p has one. */
void cli_profile_use_emulator(config_profile *p, emulator *e);
/* Loads profile `name` from `config` (NULL: the defaults), with state and
 * project overriding the profile's when given, resolves it, and for an
 * embedded profile starts the emulator on its state directory and points
 * the profile at it (*emu; NULL for other kinds). The one place a command
 * turns a profile into reachable endpoints. On failure *p may be set; free
 * it and stop *emu either way. */
int cli_profile_open(config_profile **p, emulator **emu, const char *config, const char *name, const char *state,
                     const char *project, mc_err *err);
/* p acts as RAM user `user` of e (its AccessKey); "owner" leaves p as is. */
int cli_profile_as_user(config_profile *p, emulator *e, const char *user, mc_err *err);

#endif
