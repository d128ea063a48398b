# compat/template.mk: Go templates, Docker's --format, tables, human units.
librobbe_a_SOURCES += \
	compat/template.h compat/template-int.h \
	compat/template.c compat/template-lex.c compat/template-parse.c \
	compat/template-funcs.c \
	compat/template-fmt.c \
	compat/format.h compat/format.c compat/tabwriter.c compat/human.c

check_PROGRAMS += tests/unit/test-template tests/unit/test-format
TESTS += tests/unit/test-template tests/unit/test-format
tests_unit_test_template_SOURCES = tests/unit/test-template.c tests/unit/tap.h
tests_unit_test_template_LDADD = librobbe.a $(ROBBE_LIBS)
tests_unit_test_format_SOURCES = tests/unit/test-format.c tests/unit/tap.h
tests_unit_test_format_LDADD = librobbe.a $(ROBBE_LIBS)
