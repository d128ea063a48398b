# src/runtime.mk: running containers: conmon, the OCI runtime called
# directly, and reading container logs.
librobbe_a_SOURCES += \
	src/conmon.c src/conmon.h \
	src/runtime.c src/runtime.h \
	src/ctrlogs.c src/ctrlogs.h

check_PROGRAMS += tests/unit/test-ctrlogs tests/unit/runtime-driver
TESTS += tests/unit/test-ctrlogs

tests_unit_test_ctrlogs_SOURCES = tests/unit/test-ctrlogs.c
tests_unit_test_ctrlogs_LDADD = librobbe.a $(ROBBE_LIBS)

# test-runtime.sh needs root, runc, conmon, jq and busybox-static: it builds
# a busybox root file system and a base config.json (runc spec + jq), then
# runs runtime-driver, which creates real containers through conmon.
tests_unit_runtime_driver_SOURCES = tests/unit/runtime-driver.c
tests_unit_runtime_driver_LDADD = librobbe.a $(ROBBE_LIBS)
TESTS += tests/unit/test-runtime.sh
EXTRA_DIST += tests/unit/test-runtime.sh
