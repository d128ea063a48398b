# src/network.mk: networks — records and addresses (network.c,
# network-ipam.c), a container's namespace under netavark
# (network-netns.c, network-container.c), and the `network` command
# handlers (compat/cmd-network-cmds.c; rows in compat/cmd-network.c).
librobbe_a_SOURCES += \
	src/network.h src/network-internal.h \
	src/network.c src/network-addr.c src/network-ipam.c \
	src/network-netns.c src/network-container.c \
	compat/cmd-network-cmds.c

# Address math, port specs and allocation over a snapshot; the store's
# network records in a temporary root.
check_PROGRAMS += tests/unit/test-network
TESTS += tests/unit/test-network
tests_unit_test_network_SOURCES = tests/unit/test-network.c
tests_unit_test_network_LDADD = librobbe.a $(ROBBE_LIBS)
