/* replay.c: run a fuzz target over files named on the command line, without
 * libFuzzer.  Prints TAP: one line per input, "ok" when the target returned. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *buf = NULL;
		size_t len = 0;
		robbe_error *err = NULL;

		if (read_file_all(argv[i], 1 << 20, &buf, &len, &err) < 0) {
			printf("not ok %d - %s: %s\n", i, argv[i], err->msg);
			robbe_error_free(err);
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *) buf, len);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	printf("1..%d\n", argc - 1);
	return 0;
}
