/* main.c: the robbe binary.  Everything happens in the command layer. */
#include "config.h"

#include "compat/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
