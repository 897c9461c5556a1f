/* serve: placeholder until the emulator server lands in this file's next revision. */
#include <stdio.h>

#include "cli.h"

int cli_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("mcdlf serve: not built yet\n", stderr);
    return 1;
}
