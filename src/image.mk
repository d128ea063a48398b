# src/image.mk: image formats and archives (manifests, layer tars, save/load).
librobbe_a_SOURCES += \
	src/manifest.c src/manifest.h \
	src/tarball.c src/tarball-write.c src/tarball.h \
	src/image-archive.c src/image-archive.h

# Unit tests; test-archive and test-image-archive need root (they make
# device nodes and set owners) and skip otherwise.
check_PROGRAMS += tests/unit/test-manifest tests/unit/test-archive tests/unit/test-image-archive
TESTS += tests/unit/test-manifest tests/unit/test-archive tests/unit/test-image-archive
EXTRA_DIST += tests/unit/tar-builder.h
tests_unit_test_manifest_SOURCES = tests/unit/test-manifest.c
tests_unit_test_manifest_LDADD = librobbe.a $(ROBBE_LIBS)
tests_unit_test_archive_SOURCES = tests/unit/test-archive.c
tests_unit_test_archive_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
tests_unit_test_image_archive_SOURCES = tests/unit/test-image-archive.c
tests_unit_test_image_archive_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
