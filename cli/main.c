/*
 * mcdlf: the command-line program. Dispatches subcommands; each lives in its
 * own cli/ file. This is the only place engine and emulator meet.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: mcdlf [-e \"statements\" | -f FILE] [--format table|csv|tsv|json]\n"
          "             [--user NAME] [--project NAME] [--profile NAME] [--config FILE] [--state DIR]\n"
          "       mcdlf serve --state DIR [...]        run the emulator in the foreground\n"
          "       mcdlf admin ram|dlf|mc ...           console actions (mcdlf admin help)\n"
          "       mcdlf apply [--state DIR] FILE.json  apply a scenario (docs/scenarios.md)\n"
          "       mcdlf config show [--profile NAME]   print the resolved profile (secrets masked)\n"
          "       mcdlf version\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "version")) {
        printf("mcdlf %s\n", MCDLF_VERSION);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "doctor"))
        return cli_doctor(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "why"))
        return cli_why(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "paimon"))
        return cli_paimon(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "admin"))
        return cli_admin(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "apply"))
        return cli_apply(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return cli_serve(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "config"))
        return cli_config(argc - 1, argv + 1);
    if (argc >= 2 && argv[1][0] != '-') {
        fprintf(stderr, "mcdlf: unknown command %s\n", argv[1]);
        usage(stderr);
        return 2;
    }
    return cli_console(argc, argv);
}
