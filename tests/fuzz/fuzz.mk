# Fuzz targets: tests/fuzz/fuzz-<name>.c define LLVMFuzzerTestOneInput.
#
# `make check` replays each target over its seed corpus (tests/fuzz/corpus/<name>/)
# through a plain driver, so the targets keep building and the seeds keep passing.
# `make fuzz` builds real libFuzzer binaries with clang (see docs/fuzzing.md):
#   make fuzz && ./fuzz-template -max_total_time=60 tests/fuzz/corpus/template
FUZZ_TARGETS = template opts

check_PROGRAMS += tests/fuzz/replay-template tests/fuzz/replay-opts
tests_fuzz_replay_template_SOURCES = tests/fuzz/fuzz-template.c tests/fuzz/replay.c
tests_fuzz_replay_template_LDADD = librobbe.a $(ROBBE_LIBS)
tests_fuzz_replay_opts_SOURCES = tests/fuzz/fuzz-opts.c tests/fuzz/replay.c
tests_fuzz_replay_opts_LDADD = librobbe.a $(ROBBE_LIBS)
TESTS += tests/fuzz/replay-template.sh tests/fuzz/replay-opts.sh
EXTRA_DIST += tests/fuzz/replay-template.sh tests/fuzz/replay-opts.sh tests/fuzz/corpus

FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -DROBBE_FUZZ \
	-I$(top_srcdir) -I$(top_srcdir)/src -I$(top_builddir) $(CJSON_CFLAGS)

fuzz: librobbe-fuzz.stamp
	@for t in $(FUZZ_TARGETS); do \
	  echo "  FUZZ     fuzz-$$t"; \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -o fuzz-$$t $(top_srcdir)/tests/fuzz/fuzz-$$t.c \
	    $(FUZZ_LIB_FILES:%=$(top_srcdir)/%) $(ROBBE_LIBS) || exit 1; \
	done

# The fuzz binaries compile the library sources they need directly, with the sanitizers.
FUZZ_LIB_FILES = src/util.c compat/template.c compat/template-lex.c compat/template-parse.c \
	compat/template-funcs.c compat/template-fmt.c compat/format.c compat/tabwriter.c \
	compat/human.c compat/opts.c
librobbe-fuzz.stamp:
	@touch $@
CLEANFILES += librobbe-fuzz.stamp fuzz-template fuzz-opts
.PHONY: fuzz
