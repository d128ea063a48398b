# src/container.mk: the container engine (create, start, stop, rm, cleanup,
# restart policies), its overlay root file systems and names, and the
# docker run/create/start/stop/... handlers.
librobbe_a_SOURCES += \
	src/container.c src/container.h src/container-internal.h \
	src/container-create.c src/container-start.c src/container-attach.c src/container-cleanup.c \
	src/mount.c src/names.c \
	compat/cmd-container-run.c compat/cmd-container-attach.c

check_PROGRAMS += tests/unit/test-container
TESTS += tests/unit/test-container
tests_unit_test_container_SOURCES = tests/unit/test-container.c
tests_unit_test_container_LDADD = librobbe.a $(ROBBE_LIBS)

EXTRA_DIST += bench/run
