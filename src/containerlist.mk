# src/containerlist.mk: listing and looking into containers — ps, inspect,
# port, exists, logs, top, stats, update, container prune — and the engine
# data behind them (the inspect object, sizes, cgroup statistics, top,
# resource updates).
librobbe_a_SOURCES += \
	src/container-inspect.c src/container-inspect.h \
	src/container-stats.c src/container-stats.h \
	compat/cmd-container-list.c compat/cmd-container-list.h \
	compat/cmd-container-inspect.c compat/cmd-container-logs.c \
	compat/cmd-container-stats.c

check_PROGRAMS += tests/unit/test-container-list
TESTS += tests/unit/test-container-list
tests_unit_test_container_list_SOURCES = tests/unit/test-container-list.c
tests_unit_test_container_list_LDADD = librobbe.a $(ROBBE_LIBS)
