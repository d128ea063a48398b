# The engine (src/).
librobbe_a_SOURCES += \
	src/util.c src/util.h \
	src/lazylib.c src/lazylib.h src/lazy-curl.h src/lazy-archive.h src/lazy-crypto.h

check_PROGRAMS += tests/unit/test-lazylib
TESTS += tests/unit/test-lazylib
tests_unit_test_lazylib_SOURCES = tests/unit/test-lazylib.c
tests_unit_test_lazylib_LDADD = librobbe.a $(ROBBE_LIBS)
