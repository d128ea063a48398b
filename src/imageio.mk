# src/imageio.mk: images in and out — push, login/logout, save, load,
# import — and `--change` instructions, with their command handlers.
librobbe_a_SOURCES += \
	src/image-transfer.h src/image-push.c src/image-io.c \
	src/image-change.c src/image-change.h \
	compat/cmd-image-io.c

check_PROGRAMS += tests/unit/test-image-change
TESTS += tests/unit/test-image-change
tests_unit_test_image_change_SOURCES = tests/unit/test-image-change.c
tests_unit_test_image_change_LDADD = librobbe.a $(ROBBE_LIBS)
