# src/exec.mk: docker exec — running one more process in a running
# container through `runc exec` (src/exec.c) and its handler.
librobbe_a_SOURCES += \
	src/exec.c src/exec.h \
	compat/cmd-container-exec.c

check_PROGRAMS += tests/unit/test-exec
TESTS += tests/unit/test-exec
tests_unit_test_exec_SOURCES = tests/unit/test-exec.c
tests_unit_test_exec_LDADD = librobbe.a $(ROBBE_LIBS)
