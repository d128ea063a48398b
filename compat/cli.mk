# The docker command-line layer (compat/).
librobbe_a_SOURCES += \
	compat/cli.c compat/cli.h
