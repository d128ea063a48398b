#ifndef ROBBE_CLI_H
#define ROBBE_CLI_H
/* Entry point of the command layer: parse argv, dispatch, return the exit status. */
int cli_main(int argc, char **argv);
#endif
