/* cli: subcommand entry points of the mcdlf program. Each returns the exit status. */
#ifndef MC_CLI_H
#define MC_CLI_H

#define MCDLF_VERSION "0.1.0"

int cli_serve(int argc, char **argv);
int cli_console(int argc, char **argv);
int cli_config(int argc, char **argv);
int cli_admin(int argc, char **argv);
int cli_paimon(int argc, char **argv);
int cli_why(int argc, char **argv);
int cli_doctor(int argc, char **argv);

#endif
