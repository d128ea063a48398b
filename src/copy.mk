# src/copy.mk: the file commands on containers — cp (resolving paths inside
# a container's root), diff (an overlay upper directory's changes), commit
# and export — and their handlers.
librobbe_a_SOURCES += \
	src/copy.c src/copy.h src/copy-internal.h src/copy-resolve.c src/copy-stream.c \
	src/changes.c src/changes.h \
	src/commit.c src/commit.h \
	src/container-files.c src/container-files.h \
	compat/cmd-container-files.c

# test-copy and test-changes make device nodes, owners and trusted xattrs:
# parts of them need root and are skipped without it.
check_PROGRAMS += tests/unit/test-copy tests/unit/test-changes tests/unit/test-commit
TESTS += tests/unit/test-copy tests/unit/test-changes tests/unit/test-commit
tests_unit_test_copy_SOURCES = tests/unit/test-copy.c
tests_unit_test_copy_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
tests_unit_test_changes_SOURCES = tests/unit/test-changes.c
tests_unit_test_changes_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
tests_unit_test_commit_SOURCES = tests/unit/test-commit.c
tests_unit_test_commit_LDADD = librobbe.a $(ROBBE_TEST_LIBS)
