# src/rootless.mk: robbe for unprivileged users — the user namespace and its
# pause process, `robbe unshare`, rootless networking (slirp4netns) and the
# rootless parts of the OCI spec.
librobbe_a_SOURCES += \
	src/rootless.c src/rootless.h \
	src/spec-rootless.c \
	src/rootless-net.c src/rootless-net.h \
	compat/cmd-unshare.c compat/cmd-unshare.h

check_PROGRAMS += tests/unit/test-rootless
TESTS += tests/unit/test-rootless
tests_unit_test_rootless_SOURCES = tests/unit/test-rootless.c src/spec-rootless.c
tests_unit_test_rootless_CPPFLAGS = $(AM_CPPFLAGS) -DROBBE_UNITTEST
tests_unit_test_rootless_LDADD = librobbe.a $(ROBBE_LIBS)
