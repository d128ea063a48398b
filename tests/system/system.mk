# System tests: bats files under tests/system/, run against the built binary
# with real runc, conmon and a local registry.  tests/system/run.sh runs the
# independent files in parallel and prints one TAP stream; run-rootless.sh
# runs the image, container, exec, volume and network files again as an
# unprivileged user (run.sh with ROBBE_TEST_ROOTLESS=1), after the rootful
# run so the two do not share the machine's two cores.
TESTS += tests/system/run.sh tests/system/run-rootless.sh
# (Only when both run: `make check TESTS=tests/system/run-rootless.sh`
# runs the rootless half alone.)
tests/system/run-rootless.log: $(filter tests/system/run.log,$(TESTS:.sh=.log))

# Only the sources: a test run leaves run.log/run.trs beside them in-tree.
dist-hook: dist-system-tests
dist-system-tests:
	$(MKDIR_P) '$(distdir)/tests/system'
	cp -p $(srcdir)/tests/system/*.bats $(srcdir)/tests/system/*.bash \
		$(srcdir)/tests/system/*.py $(srcdir)/tests/system/run.sh $(srcdir)/tests/system/run-rootless.sh '$(distdir)/tests/system/'
.PHONY: dist-system-tests
