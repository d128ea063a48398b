# src/registry.mk: image references, digests, the Registry API v2 client and
# registry credentials.
librobbe_a_SOURCES += \
	src/reference.c src/reference.h \
	src/digest.c src/digest.h \
	src/registry.c src/registry.h src/registry-internal.h \
	src/registry-http.c src/registry-auth.c \
	src/registry-manifest.c src/registry-blob.c \
	src/auth.c src/auth.h

check_PROGRAMS += tests/unit/test-reference tests/unit/test-digest \
	tests/unit/test-auth tests/unit/test-registry
TESTS += tests/unit/test-reference tests/unit/test-digest tests/unit/test-auth

tests_unit_test_reference_SOURCES = tests/unit/test-reference.c
tests_unit_test_reference_LDADD = librobbe.a $(ROBBE_LIBS)
tests_unit_test_digest_SOURCES = tests/unit/test-digest.c
tests_unit_test_digest_LDADD = librobbe.a $(ROBBE_LIBS)
tests_unit_test_auth_SOURCES = tests/unit/test-auth.c
tests_unit_test_auth_LDADD = librobbe.a $(ROBBE_LIBS)

# test-registry needs live registries: the .sh wrapper starts two Debian
# docker-registry instances and a small fault-injecting server on 127.0.0.1,
# then runs the C program against them.
tests_unit_test_registry_SOURCES = tests/unit/test-registry.c
tests_unit_test_registry_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
TESTS += tests/unit/test-registry.sh
EXTRA_DIST += tests/unit/test-registry.sh
