# src/imagecmd.mk: the image engine (pull, names, rmi, inspect, history,
# prune) and the handlers of the image commands.
librobbe_a_SOURCES += \
	src/image.c src/image.h src/image-internal.h src/image-pull.c src/image-list.c src/image-remove.c src/image-info.c src/image-tags.c \
	compat/cmd-image-cmds.c compat/cmd-image-cmds.h

# Needs root for the store part (layers keep owners); skips it otherwise.
check_PROGRAMS += tests/unit/test-image
TESTS += tests/unit/test-image
tests_unit_test_image_SOURCES = tests/unit/test-image.c
tests_unit_test_image_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
