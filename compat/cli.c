/* cli.c: placeholder until the command tree lands. */
#include "config.h"
#include <stdio.h>
#include "compat/cli.h"

int cli_main(int argc, char **argv)
{
	(void) argc;
	(void) argv;
	fprintf(stderr, "robbe: no commands yet\n");
	return 125;
}
