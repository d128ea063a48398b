# store/layers.mk: the blob and layer store (blobs/, overlay/).
librobbe_a_SOURCES += \
	store/layers.c store/layers.h

# Needs root (layers carry owners and device nodes); skips otherwise.
check_PROGRAMS += tests/unit/test-layers
TESTS += tests/unit/test-layers
tests_unit_test_layers_SOURCES = tests/unit/test-layers.c
tests_unit_test_layers_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
