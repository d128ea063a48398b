# System tests: bats files under tests/system/, run against the built binary
# with real runc, conmon and a local registry.  tests/system/run.sh runs the
# independent files in parallel and prints one TAP stream.
TESTS += tests/system/run.sh

# Only the sources: a test run leaves run.log/run.trs beside them in-tree.
dist-hook: dist-system-tests
dist-system-tests:
	$(MKDIR_P) '$(distdir)/tests/system'
	cp -p $(srcdir)/tests/system/*.bats $(srcdir)/tests/system/*.bash \
		$(srcdir)/tests/system/run.sh '$(distdir)/tests/system/'
.PHONY: dist-system-tests
