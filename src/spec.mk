# src/spec.mk: the OCI runtime spec generator (config.json of a bundle):
# process, user lookup in the image, capabilities, seccomp, mounts, devices,
# namespaces, resources; and the unit parsers resource flags share.
librobbe_a_SOURCES += \
	src/spec.c src/spec.h src/spec-internal.h \
	src/spec-security.c src/spec-user.c src/spec-mounts.c \
	src/seccomp-default.c \
	src/units.c src/units.h

# test-spec reaches file-static helpers (rlimit_fit, open_in_root, ...), so
# it compiles the spec sources itself with -DROBBE_UNITTEST.
check_PROGRAMS += tests/unit/test-spec
TESTS += tests/unit/test-spec
tests_unit_test_spec_SOURCES = tests/unit/test-spec.c \
	src/spec.c src/spec-security.c src/spec-user.c src/spec-mounts.c \
	src/seccomp-default.c src/units.c
tests_unit_test_spec_CPPFLAGS = $(AM_CPPFLAGS) -DROBBE_UNITTEST
tests_unit_test_spec_LDADD = librobbe.a $(ROBBE_LIBS)

# test-spec-runc.sh runs real `runc run` on bundles test-spec writes
# (`test-spec bundle DIR [options]`); it skips without root or runc.
TESTS += tests/unit/test-spec-runc.sh
EXTRA_DIST += tests/unit/test-spec-runc.sh
