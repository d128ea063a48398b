# The docker command-line layer (compat/): option parser, command tree,
# help, version/info, completion.
librobbe_a_SOURCES += \
	compat/opts.c compat/opts.h \
	compat/cli.c compat/cli.h \
	compat/commands.c compat/cmd-help.c compat/cmd-complete.c \
	compat/cmd-container.c compat/cmd-image.c compat/cmd-network.c \
	compat/cmd-system.c compat/cmd-system-prune.c compat/cmd-swarm.c

check_PROGRAMS += tests/unit/test-opts
TESTS += tests/unit/test-opts
tests_unit_test_opts_SOURCES = tests/unit/test-opts.c
tests_unit_test_opts_LDADD = librobbe.a $(ROBBE_LIBS)

EXTRA_DIST += docs/cli.md
