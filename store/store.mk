# store/: the state database (sqlite), and src/paths.c, which says where it
# and everything else lives.
librobbe_a_SOURCES += \
	src/paths.c src/paths.h \
	store/store.h store/store-internal.h \
	store/db.c store/schema.c store/containers.c store/images.c store/volumes.c

check_PROGRAMS += tests/unit/test-store tests/unit/test-paths
TESTS += tests/unit/test-store tests/unit/test-paths

tests_unit_test_store_SOURCES = tests/unit/test-store.c
tests_unit_test_store_LDADD = librobbe.a $(ROBBE_LIBS)

# paths_resolve() is file-static outside the unit test.
tests_unit_test_paths_SOURCES = tests/unit/test-paths.c src/paths.c
tests_unit_test_paths_CPPFLAGS = $(AM_CPPFLAGS) -DROBBE_UNITTEST
tests_unit_test_paths_LDADD = librobbe.a $(ROBBE_LIBS)

# Networks and the containers attached to them (network engine: src/network.mk).
librobbe_a_SOURCES += store/networks.c
