# src/volume.mk: volumes — the engine (create, list, remove, prune, the
# mounts of a new container, copy-up), the -v/--mount parsers, and the
# `volume` command handlers.
librobbe_a_SOURCES += \
	src/volume.c src/volume.h src/volume-internal.h \
	src/volume-mounts.c src/volume-copy.c \
	src/mountspec.c src/mountspec.h \
	compat/cmd-volume.c compat/cmd-volume.h

check_PROGRAMS += tests/unit/test-mountspec
TESTS += tests/unit/test-mountspec
tests_unit_test_mountspec_SOURCES = tests/unit/test-mountspec.c src/mountspec.c
tests_unit_test_mountspec_CPPFLAGS = $(AM_CPPFLAGS) -DROBBE_UNITTEST
tests_unit_test_mountspec_LDADD = librobbe.a $(ROBBE_LIBS)

# The engine over a real store in a temporary root (owners need root).
check_PROGRAMS += tests/unit/test-volume
TESTS += tests/unit/test-volume
tests_unit_test_volume_SOURCES = tests/unit/test-volume.c
tests_unit_test_volume_LDADD = librobbe.a $(ROBBE_LIBS)
