# src/attach.mk: docker attach, detach keys and the attached terminal.  The
# handlers live in compat/cmd-container-attach.c and the attach socket in
# src/container-attach.c (both built from src/container.mk); this adds the
# detach key sequence, its unit test and the pty driver of the system tests.
librobbe_a_SOURCES += src/detachkeys.c src/detachkeys.h

check_PROGRAMS += tests/unit/test-detachkeys
TESTS += tests/unit/test-detachkeys
tests_unit_test_detachkeys_SOURCES = tests/unit/test-detachkeys.c
tests_unit_test_detachkeys_LDADD = librobbe.a $(ROBBE_LIBS)

EXTRA_DIST += tests/system/ptydrive.py
