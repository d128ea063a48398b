/* test-template.c: the Go template engine.
 *
 * The first table holds templates whose output or error text was taken
 * from Go's own text/template (Go 1.19, with Docker's functions added and
 * JSON integers decoded as Go ints, as Docker's typed structs have them):
 * outputs, %v and printf formatting, and parse and execution errors word
 * for word.  The hand-written cases after it cover Docker's documented
 * examples, field-name folding, the method hook, header mode, newer Go
 * syntax ({{else with}}, range over an integer) and the resource limits.
 */
#include "config.h"

#include <string.h>

#include "compat/template.h"
#include "tests/unit/tap.h"

struct go_case {
	const char *tmpl;
	const char *data; /* NULL: go_doc */
	int missing_error;
	const char *out;	 /* expected output (also the partial one before an error) */
	const char *exec_err;	 /* expected execution error */
	const char *parse_err;	 /* expected parse error */
};

static const char go_doc[] = "{\"A\": [1, 2, 3], \"M\": {\"b\": 2, \"a\": 1, \"c\": {\"x\": [1, \"s\", null]}}, \"S\": \"hello\", \"N\": null, \"F\": 1.5, \"T\": true, \"E\": \"\", \"Z\": 0, \"EA\": [], \"EM\": {}, \"I\": 42, \"Big\": 1234567, \"L\": [\"a\", \"b\"], \"Names\": [\"web\", \"db\"], \"Labels\": {\"com.x\": \"1\", \"b\": \"2\"}, \"Neg\": -7, \"Fl\": [0.5, 1e+21, 1e-07, 100000.0, 1234567.5]}";
static const struct go_case go_cases[] = {
	{ "{{.A}} {{.Nope}} {{print .Nope}} {{len .A}}", NULL, 0, "[1 2 3] <no value> <nil> 3", NULL, NULL },
	{ "{{.Nope}}", "{}", 1, "", "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"", NULL },
	{ "{{ .Foo }", NULL, 0, NULL, NULL, "template: :1: unexpected \"}\" in operand" },
	{ "{{foo}}", NULL, 0, NULL, NULL, "template: :1: function \"foo\" not defined" },
	{ "{{len .Nope}}", NULL, 0, "", "template: :1:2: executing \"\" at <len .Nope>: error calling len: reflect: call of reflect.Value.Type on zero Value", NULL },
	{ "{{not .Nope}}", NULL, 0, "true", NULL, NULL },
	{ "{{index .M \"x\"}}|{{index .M \"a\"}}", NULL, 0, "<no value>|1", NULL, NULL },
	{ "{{.N}}|{{print .N}}|{{printf \"%v\" .N}}|{{.M}}", NULL, 0, "<no value>|<nil>|<nil>|map[a:1 b:2 c:map[x:[1 s <nil>]]]", NULL, NULL },
	{ "{{.S.Foo}}", NULL, 0, "", "template: :1:4: executing \"\" at <.S.Foo>: can't evaluate field Foo in type interface {}", NULL },
	{ "{{$x := .S}}{{$x.Foo}}", NULL, 0, "", "template: :1:16: executing \"\" at <$x.Foo>: can't evaluate field Foo in type string", NULL },
	{ "{{with .S}}{{.Foo}}{{end}}", NULL, 0, "", "template: :1:13: executing \"\" at <.Foo>: can't evaluate field Foo in type string", NULL },
	{ "{{range .L}}{{.Foo}}{{end}}", NULL, 0, "", "template: :1:14: executing \"\" at <.Foo>: can't evaluate field Foo in type interface {}", NULL },
	{ "{{.N.Foo}}", NULL, 0, "", "template: :1:4: executing \"\" at <.N.Foo>: nil pointer evaluating interface {}.Foo", NULL },
	{ "{{.Nope.Foo}}", NULL, 0, "<no value>", NULL, NULL },
	{ "{{.Nope.Foo}}", "{}", 1, "", "template: :1:7: executing \"\" at <.Nope.Foo>: map has no entry for key \"Nope\"", NULL },
	{ "{{$x = 1}}", NULL, 0, "", "template: :1:7: executing \"\" at <1>: undefined variable: $x", NULL },
	{ "{{1.5}} {{1e6}} {{1234567.0}} {{123456789.5}} {{0.0001}} {{0.00001}} {{1e21}} {{1e20}} {{100000.0}} {{1000000.0}}", NULL, 0, "1.5 1e+06 1.234567e+06 1.234567895e+08 0.0001 1e-05 1e+21 1e+20 100000 1e+06", NULL, NULL },
	{ "{{.Fl}} {{.Big}} {{.Neg}}", NULL, 0, "[0.5 1e+21 1e-07 100000 1.2345675e+06] 1234567 -7", NULL, NULL },
	{ "{{", NULL, 0, NULL, NULL, "template: :1: unclosed action" },
	{ "{{.A", NULL, 0, NULL, NULL, "template: :1: unclosed action" },
	{ "{{.A}", NULL, 0, NULL, NULL, "template: :1: bad character U+007D '}'" },
	{ "{{.A\n}", NULL, 0, NULL, NULL, "template: :2: unexpected \"}\" in operand" },
	{ "{{if .A}}x", NULL, 0, NULL, NULL, "template: :1: unexpected EOF" },
	{ "{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected {{end}}" },
	{ "{{else}}", NULL, 0, NULL, NULL, "template: :1: unexpected {{else}}" },
	{ "{{if}}{{end}}", NULL, 0, NULL, NULL, "template: :1: missing value for if" },
	{ "{{}}", NULL, 0, NULL, NULL, "template: :1: missing value for command" },
	{ "{{range $i, $v, $w := .}}{{end}}", NULL, 0, NULL, NULL, "template: :1: too many declarations in range" },
	{ "{{$x, $y := 1}}", NULL, 0, NULL, NULL, "template: :1: too many declarations in command" },
	{ "{{$x}}", NULL, 0, NULL, NULL, "template: :1: undefined variable \"$x\"" },
	{ "{{\"a\" | \"b\"}}", NULL, 0, NULL, NULL, "template: :1: non executable command in pipeline stage 2" },
	{ "{{.A | 1}}", NULL, 0, NULL, NULL, "template: :1: non executable command in pipeline stage 2" },
	{ "{{(1}}", NULL, 0, NULL, NULL, "template: :1: unclosed left paren" },
	{ "{{1)}}", NULL, 0, NULL, NULL, "template: :1: unexpected \")\" in command" },
	{ "{{\"abc}}", NULL, 0, NULL, NULL, "template: :1: unterminated quoted string" },
	{ "{{`abc}}", NULL, 0, NULL, NULL, "template: :1: unterminated raw quoted string" },
	{ "{{'a}}", NULL, 0, NULL, NULL, "template: :1: unterminated character constant" },
	{ "{{'ab'}}", NULL, 0, NULL, NULL, "template: :1: malformed character constant: 'ab'" },
	{ "{{\"\\q\"}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{1x}}", NULL, 0, NULL, NULL, "template: :1: bad number syntax: \"1x\"" },
	{ "{{.A.1}}", NULL, 0, NULL, NULL, "template: :1: unexpected \".1\" in operand" },
	{ "{{nil}}", NULL, 0, "", "template: :1:2: executing \"\" at <nil>: nil is not a command", NULL },
	{ "{{nil.A}}", NULL, 0, NULL, NULL, "template: :1: unexpected . after term \"nil\"" },
	{ "{{1.A}}", NULL, 0, NULL, NULL, "template: :1: bad number syntax: \"1.A\"" },
	{ "{{\"x\".A}}", NULL, 0, NULL, NULL, "template: :1: unexpected . after term \"\\\"x\\\"\"" },
	{ "{{.A!}}", NULL, 0, NULL, NULL, "template: :1: bad character U+0021 '!'" },
	{ "{{@}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"@\" in command" },
	{ "{{/* x */}}a{{/* y", NULL, 0, NULL, NULL, "template: :1: unclosed comment" },
	{ "{{/* x */ .A}}", NULL, 0, NULL, NULL, "template: :1: comment ends before closing delimiter" },
	{ "{{break}}", NULL, 0, NULL, NULL, "template: :1: {{break}} outside {{range}}" },
	{ "{{range .}}{{break 1}}{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"1\" in {{break}}" },
	{ "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}", NULL, 0, NULL, NULL, "template: :1: template: multiple definition of template \"a\"" },
	{ "{{template \"x\"}}", NULL, 0, "", "template: :1:11: executing \"\" at <{{template \"x\"}}>: template \"x\" not defined", NULL },
	{ "{{template .A}}", NULL, 0, NULL, NULL, "template: :1: unexpected \".A\" in template clause" },
	{ "{{with $x := 1}}{{end}}{{$x}}", NULL, 0, NULL, NULL, "template: :1: undefined variable \"$x\"" },
	{ "{{range .}}{{else}}{{else}}{{end}}", NULL, 0, NULL, NULL, "template: :1: expected end; found {{else}}" },
	{ "{{99999999999999999999}}", NULL, 0, NULL, NULL, "template: :1: integer overflow: \"99999999999999999999\"" },
	{ "{{08}}", NULL, 0, NULL, NULL, "template: :1: integer overflow: \"08\"" },
	{ "{{0x1p4}} {{0x1e}} {{1_000}} {{0b101}} {{0o17}} {{017}} {{-0}} {{+5}} {{.5}} {{1.}} {{'a'}} {{'\n'}}", NULL, 0, NULL, NULL, "template: :1: unterminated character constant" },
	{ "{{1e400}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"1e400\"" },
	{ "{{0x_1}}", NULL, 0, "1", NULL, NULL },
	{ "{{1__0}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"1__0\"" },
	{ "{{index .A 5}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .A 5>: error calling index: index out of range: 5", NULL },
	{ "{{index .A -1}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .A -1>: error calling index: index out of range: -1", NULL },
	{ "{{index .A \"x\"}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .A \"x\">: error calling index: cannot index slice/array with type string", NULL },
	{ "{{index .M 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .M 1>: error calling index: value has type int; should be string", NULL },
	{ "{{index .S 1}}", NULL, 0, "101", NULL, NULL },
	{ "{{index .T 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .T 1>: error calling index: can't index item of type bool", NULL },
	{ "{{index .N 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .N 1>: error calling index: index of untyped nil", NULL },
	{ "{{index .Nope 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .Nope 1>: error calling index: index of untyped nil", NULL },
	{ "{{index .A nil}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .A nil>: error calling index: cannot index slice/array with nil", NULL },
	{ "{{index .A}}", NULL, 0, "[1 2 3]", NULL, NULL },
	{ "{{index .M \"c\" \"x\" 1}}", NULL, 0, "s", NULL, NULL },
	{ "{{slice .A 1}} {{slice .A 1 2}} {{slice .S 1 3}} {{slice .A}}", NULL, 0, "[2 3] [2] el [1 2 3]", NULL, NULL },
	{ "{{slice .A 2 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <slice .A 2 1>: error calling slice: invalid slice index: 2 > 1", NULL },
	{ "{{slice .A 1 2 3}}", NULL, 0, "[2]", NULL, NULL },
	{ "{{slice .S 1 2 3}}", NULL, 0, "", "template: :1:2: executing \"\" at <slice .S 1 2 3>: error calling slice: cannot 3-index slice a string", NULL },
	{ "{{slice .M 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <slice .M 1>: error calling slice: can't slice item of type map[string]interface {}", NULL },
	{ "{{len .A}} {{len .M}} {{len .S}}", NULL, 0, "3 3 5", NULL, NULL },
	{ "{{len .F}}", NULL, 0, "", "template: :1:2: executing \"\" at <len .F>: error calling len: len of type float64", NULL },
	{ "{{len .N}}", NULL, 0, "", "template: :1:2: executing \"\" at <len .N>: error calling len: len of nil pointer", NULL },
	{ "{{len}}", NULL, 0, "", "template: :1:2: executing \"\" at <len>: wrong number of args for len: want 1 got 0", NULL },
	{ "{{len 1 2}}", NULL, 0, "", "template: :1:2: executing \"\" at <len>: wrong number of args for len: want 1 got 2", NULL },
	{ "{{eq 1 1}} {{eq 1 2 1}} {{eq \"a\" \"a\"}} {{eq .S \"hello\"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 .F}}", NULL, 0, "true true true true true true true true true", NULL, NULL },
	{ "{{eq 1 1.0}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq 1 1.0>: error calling eq: incompatible types for comparison", NULL },
	{ "{{eq .A .A}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq .A .A>: error calling eq: non-comparable type [%!s(int=1) %!s(int=2) %!s(int=3)]: []interface {}", NULL },
	{ "{{eq .M .M}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq .M .M>: error calling eq: non-comparable type map[a:%!s(int=1) b:%!s(int=2) c:map[x:[%!s(int=1) s <nil>]]]: map[string]interface {}", NULL },
	{ "{{eq .N nil}}", NULL, 0, "true", NULL, NULL },
	{ "{{eq .Nope nil}}", NULL, 0, "true", NULL, NULL },
	{ "{{eq 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq 1>: error calling eq: missing argument for comparison", NULL },
	{ "{{lt .A .A}}", NULL, 0, "", "template: :1:2: executing \"\" at <lt .A .A>: error calling lt: invalid type for comparison", NULL },
	{ "{{lt true false}}", NULL, 0, "", "template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid type for comparison", NULL },
	{ "{{eq .N 1}}", NULL, 0, "false", NULL, NULL },
	{ "{{eq .Nope 1}}", NULL, 0, "false", NULL, NULL },
	{ "{{eq 1 .Nope}}", NULL, 0, "false", NULL, NULL },
	{ "{{lt .Nope 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <lt .Nope 1>: error calling lt: invalid type for comparison", NULL },
	{ "{{eq nil nil}}", NULL, 0, "true", NULL, NULL },
	{ "{{eq .N .N}}", NULL, 0, "true", NULL, NULL },
	{ "{{eq .T true}}", NULL, 0, "true", NULL, NULL },
	{ "{{eq \"a\" 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq \"a\" 1>: error calling eq: incompatible types for comparison", NULL },
	{ "{{and 1 0 2}} {{and 1 2}} {{or 0 \"\" 3}} {{or 0 \"\"}} {{not 0}} {{not .A}} {{and}}", NULL, 0, "0 2 3  true false ", "template: :1:75: executing \"\" at <and>: wrong number of args for and: want at least 1 got 0", NULL },
	{ "{{and .Nope 1}}|{{or .Nope}}|{{or .N}}", NULL, 0, "<no value>|<no value>|<no value>", NULL, NULL },
	{ "{{and 1 | or 0}}", NULL, 0, "1", NULL, NULL },
	{ "{{0 | and 1}}", NULL, 0, "0", NULL, NULL },
	{ "{{printf \"%s|%d|%v|%q|%x|%X|%t|%f|%.2f|%5s|%-5s|%05d|%+d|% d|%x|%o|%b|%c|%U|%#U|%e|%g|%G|%E|%8.3f|%-8.3f|%08.3f\" .S .I .A .S .S .S .T .F .F \"ab\" \"ab\" .I .I .I .I .I .I 65 65 9731 .F .F .F .F .F .F .F}}", NULL, 0, "hello|42|[1 2 3]|\"hello\"|68656c6c6f|68656C6C6F|true|1.500000|1.50|   ab|ab   |00042|+42| 42|2a|52|101010|A|U+0041|U+2603 '\342\230\203'|1.500000e+00|1.5|1.5|1.500000E+00|   1.500|1.500   |0001.500", NULL, NULL },
	{ "{{printf \"%d %s %t %f\" .S .I .I .I}}", NULL, 0, "%!d(string=hello) %!s(int=42) %!t(int=42) %!f(int=42)", NULL, NULL },
	{ "{{printf \"%d\" .L}}|{{printf \"%s\" .M}}|{{printf \"%q\" .M}}|{{printf \"%v\" .M}}|{{printf \"%d\" .M}}|{{printf \"%5v\" .A}}", NULL, 0, "[%!d(string=a) %!d(string=b)]|map[a:%!s(int=1) b:%!s(int=2) c:map[x:[%!s(int=1) s <nil>]]]|map[\"a\":'\\x01' \"b\":'\\x02' \"c\":map[\"x\":['\\x01' \"s\" <nil>]]]|map[a:1 b:2 c:map[x:[1 s <nil>]]]|map[%!d(string=a):1 %!d(string=b):2 %!d(string=c):map[%!d(string=x):[1 %!d(string=s) <nil>]]]|[    1     2     3]", NULL, NULL },
	{ "{{printf \"%#v\" .A}}|{{printf \"%#v\" .M}}|{{printf \"%#v\" .S}}|{{printf \"%#v\" 1.0}}|{{printf \"%#v\" .N}}|{{printf \"%T %T %T %T %T %T %T\" .A .M .S .I .F .T .N}}", NULL, 0, "[]interface {}{1, 2, 3}|map[string]interface {}{\"a\":1, \"b\":2, \"c\":map[string]interface {}{\"x\":[]interface {}{1, \"s\", interface {}(nil)}}}|\"hello\"|1|<nil>|[]interface {} map[string]interface {} string int float64 bool <nil>", NULL, NULL },
	{ "{{printf \"%d %d\" 1}}|{{printf \"%d\" 1 2 \"x\"}}|{{printf \"%\"}}|{{printf \"%!\"}}|{{printf \"%z\" 1}}|{{printf \"%[2]d %[1]d\" 1 2}}|{{printf \"%[3]d\" 1}}|{{printf \"%*d\" 5 1}}|{{printf \"%-*d|\" 5 1}}|{{printf \"%.*f\" 2 1.0}}|{{printf \"%*d\" \"x\" 1}}|{{printf \"%.3s\" \"abcdef\"}}|{{printf \"%.0d\" 0}}|{{printf \"%10.4v|\" \"abcdefgh\"}}", NULL, 0, "1 %!d(MISSING)|1%!(EXTRA int=2, string=x)|%!(NOVERB)|%!!(MISSING)|%!z(int=1)|2 1|%!d(BADINDEX)|    1|1    ||1.00|%!(BADWIDTH)1|abc||      abcd|", NULL, NULL },
	{ "{{printf \"%x\" -255}} {{printf \"%#x\" 255}} {{printf \"%#o\" 8}} {{printf \"%#b\" 5}} {{printf \"%O\" 8}} {{printf \"% x\" \"abc\"}} {{printf \"%# x\" \"abc\"}} {{printf \"%#x\" \"abc\"}} {{printf \"%q\" 65}} {{printf \"%+q\" \"\303\251\"}} {{printf \"%#q\" \"a\"}} {{printf \"%q\" \"a\\tb\\\"\\\\\"}} {{printf \"%x\" 1.0}} {{printf \"%b\" 1.0}} {{printf \"%06s\" \"ab\"}} {{printf \"%6.2f\" -1.0}} {{printf \"%+.1e\" 12345.0}} {{printf \"%v\" 1e-7}} {{printf \"%g\" 100000000.0}} {{printf \"%.3g\" 1234.0}} {{printf \"%10.3g|\" 1234.0}}", NULL, 0, "-ff 0xff 010 0b101 0o10 61 62 63 0x61 0x62 0x63 0x616263 'A' \"\\u00e9\" `a` \"a\\tb\\\"\\\\\" 0x1p+00 4503599627370496p-52 0000ab  -1.00 +1.2e+04 1e-07 1e+08 1.23e+03   1.23e+03|", NULL, NULL },
	{ "{{print 1 2 \"a\" \"b\" 3 .N 4}}|{{println 1 \"a\" 2}}|{{print}}|{{print .Nope}}|{{html \"<a href=\\\"x\\\">&'</a>\" 1}}|{{js \"a'b\\\"<>&=\\\\ \n \303\251\"}}|{{urlquery \"a b&c=d/\303\251~\"}}|{{html .Nope}}|{{html 1 2}}|{{js}}", NULL, 0, NULL, NULL, "template: :1: unterminated quoted string" },
	{ "{{index .A 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .A 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24>: error calling index: can't index item of type int", NULL },
	{ "a\nbc{{.M.a.Y}}", NULL, 0, "a\nbc", "template: :2:6: executing \"\" at <.M.a.Y>: can't evaluate field Y in type interface {}", NULL },
	{ "{{define \"t\"}}{{.Nope.X}}{{end}}{{template \"t\" 5}}", NULL, 0, "", "template: :1:21: executing \"t\" at <.Nope.X>: can't evaluate field Nope in type int", NULL },
	{ "{{range $i, $v := .M}}{{$i}}{{$v}}{{end}}", NULL, 0, "a1b2cmap[x:[1 s <nil>]]", NULL, NULL },
	{ "{{range .EA}}{{.}}{{else}}empty{{end}}", NULL, 0, "empty", NULL, NULL },
	{ "{{range 1.5}}{{end}}", NULL, 0, "", "template: :1:8: executing \"\" at <1.5>: range can't iterate over 1.5", NULL },
	{ "{{range \"ab\"}}{{end}}", NULL, 0, "", "template: :1:8: executing \"\" at <\"ab\">: range can't iterate over ab", NULL },
	{ "{{with .Z}}{{.}}{{else}}no{{end}}", NULL, 0, "no", NULL, NULL },
	{ "{{$x := 1}}{{if true}}{{$x = 2}}{{$y := 3}}{{end}}{{$x}}", NULL, 0, "2", NULL, NULL },
	{ "{{range .A}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}", NULL, 0, "1", NULL, NULL },
	{ "{{. 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <.>: can't give argument to non-function .", NULL },
	{ "{{(.M).a}}", NULL, 0, "1", NULL, NULL },
	{ "{{(index .M \"c\").x}}", NULL, 0, "[1 s <nil>]", NULL, NULL },
	{ "{{len.A}}", NULL, 0, "", "template: :1:2: executing \"\" at <len>: wrong number of args for len: want 1 got 0", NULL },
	{ "{{block \"b\" .}}B{{.I}}{{end}}", NULL, 0, "B42", NULL, NULL },
	{ "{{template \"b\"}}{{define \"b\"}}in{{end}}", NULL, 0, "in", NULL, NULL },
	{ "{{print nil}}", NULL, 0, "<nil>", NULL, NULL },
	{ "{{lower nil}}", NULL, 0, "", "template: :1:8: executing \"\" at <nil>: cannot assign nil to string", NULL },
	{ "{{lower 1}}", NULL, 0, "", "template: :1:8: executing \"\" at <1>: expected string; found 1", NULL },
	{ "{{lower .I}}", NULL, 0, "", "template: :1:8: executing \"\" at <.I>: wrong type for value; expected string; got int", NULL },
	{ "{{lower .Nope}}", NULL, 0, "", "template: :1:8: executing \"\" at <.Nope>: invalid value; expected string", NULL },
	{ "{{pad \"x\" 1.5 1}}", NULL, 0, "", "template: :1:10: executing \"\" at <1.5>: expected integer; found 1.5", NULL },
	{ "{{join \"a\" \",\"}}", NULL, 0, "", "template: :1:7: executing \"\" at <\"a\">: can't handle \"a\" for arg of type []string", NULL },
	{ "{{truncate \"abc\" -1}}", NULL, 0, "", "template: :1:2: executing \"\" at <truncate \"abc\" -1>: error calling truncate: runtime error: slice bounds out of range [:-1]", NULL },
	{ "{{pad \"x\" -1 1}}", NULL, 0, "", "template: :1:2: executing \"\" at <pad \"x\" -1 1>: error calling pad: strings: negative Repeat count", NULL },
	{ "{{\"a\" | printf \"%s-%s\" \"b\"}}", NULL, 0, "b-a", NULL, NULL },
	{ "{{.M.c.y.z}}", NULL, 0, "<no value>", NULL, NULL },
	{ "{{range .EM}}{{.}}{{else}}E{{end}}", NULL, 0, "E", NULL, NULL },
	{ "{{if $x := 5}}{{$x}}{{end}}", NULL, 0, "5", NULL, NULL },
	{ "{{- .S -}}  {{- \" x \" }} {{.I -}} \n y", NULL, 0, "hello x  42y", NULL, NULL },
	{ "  {{- /* c */ -}}  z  {{/* c2 */}}", NULL, 0, "z  ", NULL, NULL },
	{ "{{ .S }}{{- 3}}{{-3}}", NULL, 0, "hello3-3", NULL, NULL },
	{ "{{range $i, $e := .L}}{{$i}}={{$e}},{{end}}", NULL, 0, "0=a,1=b,", NULL, NULL },
	{ "{{range $e := .L}}{{$e}}{{end}}{{range $k, $v := .Labels}}{{$k}}={{$v}} {{end}}", NULL, 0, "abb=2 com.x=1 ", NULL, NULL },
	{ "{{if and .S .I}}yes{{end}}{{if or .E .Z}}no{{else if .T}}t{{else}}f{{end}}", NULL, 0, "yest", NULL, NULL },
	{ "{{template \"x\" .S}}{{define \"x\"}}[{{.}}]{{end}}", NULL, 0, "[hello]", NULL, NULL },
	{ "{{define \"r\"}}{{if .}}{{len .}}{{template \"r\" (slice . 1)}}{{end}}{{end}}{{template \"r\" .A}}", NULL, 0, "321", NULL, NULL },
	{ "{{$}}{{$.S}}", NULL, 0, "map[A:[1 2 3] Big:1234567 E: EA:[] EM:map[] F:1.5 Fl:[0.5 1e+21 1e-07 100000 1.2345675e+06] I:42 L:[a b] Labels:map[b:2 com.x:1] M:map[a:1 b:2 c:map[x:[1 s <nil>]]] N:<nil> Names:[web db] Neg:-7 S:hello T:true Z:0]hello", NULL, NULL },
	{ "{{range .A}}{{$.S}}{{end}}", NULL, 0, "hellohellohello", NULL, NULL },
	{ "{{printf \"%5.1f|%-7.2e|%+d|%x\" 3.14159 1234.5 5 \"hi\"}}", NULL, 0, "  3.1|1.23e+03|+5|6869", NULL, NULL },
	{ "{{printf \"%v %v\" .T .Z}}{{printf \"%s\"}}{{printf \"%d%%\" 5}}", NULL, 0, "true 0%!s(MISSING)5%", NULL, NULL },
	{ "{{\"\\u00e9\\x41\\101\\U0001F600\\a\"}}|{{`raw\n`}}|{{'\\''}}|{{'\\x41'}}|{{'\303\251'}}", NULL, 0, "\303\251AA\360\237\230\200\007|raw\n|39|65|233", NULL, NULL },
	{ "{{printf \"%q\" \"\\x00\\x7f\\u00a0\\u2028\303\251\\U0001F600\"}}|{{printf \"%+q\" \"\\U0001F600\"}}", NULL, 0, "\"\\x00\\x7f\\u00a0\\u2028\303\251\360\237\230\200\"|\"\\U0001f600\"", NULL, NULL },
	{ "{{printf \"%c|%c|%q|%U\" 0x1F600 -1 0x1F600 0x1F600}}", NULL, 0, "\360\237\230\200|\357\277\275|'\360\237\230\200'|U+1F600", NULL, NULL },
	{ "{{printf \"%08.3f|%-08d|%+08d|% 08d|%x|%X\" -1.5 5 5 5 3.5 -1.0}}", NULL, 0, "-001.500|5       |+0000005| 0000005|0x1.cp+01|-0X1P+00", NULL, NULL },
	{ "{{printf \"%e|%E|%.0e|%.0f|%.10f|%g|%g|%g\" 0.0 1e-10 5.5 2.5 0.1 0.0 1e-5 123456.0}}", NULL, 0, "0.000000e+00|1.000000E-10|6e+00|2|0.1000000000|0|1e-05|123456", NULL, NULL },
	{ "{{printf \"%t|%t|%v\" true false nil}}", NULL, 0, "true|false|<nil>", NULL, NULL },
	{ "{{printf \"%s\" nil}}|{{printf \"%d\" nil}}", NULL, 0, "%!s(<nil>)|%!d(<nil>)", NULL, NULL },
	{ "{{printf \"%v|%d|%s\" .Fl .Fl .Fl}}", NULL, 0, "[0.5 1e+21 1e-07 100000 1.2345675e+06]|[%!d(float64=0.5) %!d(float64=1e+21) %!d(float64=1e-07) 100000 %!d(float64=1.2345675e+06)]|[%!s(float64=0.5) %!s(float64=1e+21) %!s(float64=1e-07) %!s(int=100000) %!s(float64=1.2345675e+06)]", NULL, NULL },
	{ "{{printf \"%6.2v|%-6v|%06v\" .F .S .I}}", NULL, 0, "   1.5|hello |000042", NULL, NULL },
	{ "{{printf \"%.2s|%.0s|%5.1q\" \"h\303\251llo\" \"x\" \"abc\"}}", NULL, 0, "h\303\251||  \"a\"", NULL, NULL },
	{ "{{printf \"%x|% X|%#X\" \"h\303\251llo\" \"ab\" \"ab\"}}", NULL, 0, "68c3a96c6c6f|61 62|0X6162", NULL, NULL },
	{ "{{printf \"%v\" .M.c}}|{{printf \"%+v\" .M}}", NULL, 0, "map[x:[1 s <nil>]]|map[a:1 b:2 c:map[x:[1 s <nil>]]]", NULL, NULL },
	{ "{{1 | printf \"%d\"}}{{\"x\" | printf}}", NULL, 0, "1x", NULL, NULL },
	{ "{{printf}}", NULL, 0, "", "template: :1:2: executing \"\" at <printf>: wrong number of args for printf: want at least 1 got 0", NULL },
	{ "{{slice \"h\303\251llo\" 1 3}}", NULL, 0, "\303\251", NULL, NULL },
	{ "{{index \"h\303\251llo\" 1}}", NULL, 0, "195", NULL, NULL },
	{ "{{len \"h\303\251llo\"}}", NULL, 0, "6", NULL, NULL },
	{ "{{eq 1 1 | not}}", NULL, 0, "false", NULL, NULL },
	{ "{{not 1 2}}", NULL, 0, "", "template: :1:2: executing \"\" at <not>: wrong number of args for not: want 1 got 2", NULL },
	{ "{{html}}|{{urlquery}}|{{print}}|{{println}}", NULL, 0, "|||\n", NULL, NULL },
	{ "{{.S | len}}{{.S | printf \"%s!\"}}{{. | len}}", NULL, 0, "5hello!17", NULL, NULL },
	{ "{{len .}}", NULL, 0, "17", NULL, NULL },
	{ "{{range .Labels}}{{.}}{{end}}", NULL, 0, "21", NULL, NULL },
	{ "{{(.S)}}", NULL, 0, "hello", NULL, NULL },
	{ "{{.S.Len}}", NULL, 0, "", "template: :1:4: executing \"\" at <.S.Len>: can't evaluate field Len in type interface {}", NULL },
	{ "{{$x := .M}}{{$x.a}}{{$x.c.x}}", NULL, 0, "1[1 s <nil>]", NULL, NULL },
	{ "{{$.Nope}}", "{}", 1, "", "template: :1:3: executing \"\" at <$.Nope>: map has no entry for key \"Nope\"", NULL },
	{ "{{range $x := .L}}{{end}}{{$x}}", NULL, 0, NULL, NULL, "template: :1: undefined variable \"$x\"" },
	{ "{{if .N}}y{{else}}n{{end}}{{with .N}}y{{else}}n{{end}}", NULL, 0, "nn", NULL, NULL },
	{ "{{index .M.c.x 2}}|{{index .M.c.x 2 0}}", NULL, 0, "<no value>|", "template: :1:21: executing \"\" at <index .M.c.x 2 0>: error calling index: index of nil pointer", NULL },
	{ "{{call .S}}", NULL, 0, "", "template: :1:2: executing \"\" at <call .S>: error calling call: non-function of type string", NULL },
	{ "{{call nil}}", NULL, 0, "", "template: :1:2: executing \"\" at <call nil>: error calling call: call of nil", NULL },
	{ "{{eq .L .L}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq .L .L>: error calling eq: non-comparable type [a b]: []interface {}", NULL },
	{ "{{printf \"%T\" .M.c.x}}", NULL, 0, "[]interface {}", NULL, NULL },
	{ "{{ .S}} {{.S }} {{ .S | printf \"%q\" }}", NULL, 0, "hello hello \"hello\"", NULL, NULL },
	{ "{{range .A -}} {{.}} {{- end}}", NULL, 0, "123", NULL, NULL },
	{ "{{\"a\" \"b\"}}", NULL, 0, "", "template: :1:2: executing \"\" at <\"a\">: can't give argument to non-function \"a\"", NULL },
	{ "{{.S \"x\"}}", NULL, 0, "", "template: :1:2: executing \"\" at <.S>: S is not a method but has arguments", NULL },
	{ "{{.M \"x\"}}", NULL, 0, "", "template: :1:2: executing \"\" at <.M>: M is not a method but has arguments", NULL },
	{ "{{$x := 1}}{{$x 2}}", NULL, 0, "", "template: :1:13: executing \"\" at <$x>: can't give argument to non-function $x", NULL },
	{ "{{(1) 2}}", NULL, 0, "", "template: :1:2: executing \"\" at <(1) 2>: can't give argument to non-function 1", NULL },
	{ "{{print (1) (2)}}", NULL, 0, "1 2", NULL, NULL },
	{ "{{print (.S) (.I) .F}}", NULL, 0, "hello42 1.5", NULL, NULL },
	{ "{{print \"a\" 1 2 \"b\" \"c\" nil 3}}", NULL, 0, "a1 2bc<nil> 3", NULL, NULL },
	{ "a\n{{.A\n", NULL, 0, NULL, NULL, "template: :3: unclosed action started at :2" },
	{ "a\n{{if .S}}\n{{.S.X}}\n{{end}}", NULL, 0, "a\n\n", "template: :3:4: executing \"\" at <.S.X>: can't evaluate field X in type interface {}", NULL },
	{ "a\n{{if .S}}\n{{end}}\n{{end}}", NULL, 0, NULL, NULL, "template: :4: unexpected {{end}}" },
	{ "x\n\n  {{ .S | lower | printf \"%q\" }}\n{{.Nope.X.Y}}", NULL, 0, "x\n\n  \"hello\"\n<no value>", NULL, NULL },
	{ "{{\"unterminated\n\"}}", NULL, 0, NULL, NULL, "template: :1: unterminated quoted string" },
	{ "{{.A}}\n{{ 12abc }}", NULL, 0, NULL, NULL, "template: :2: bad number syntax: \"12a\"" },
	{ "{{-.S}}", NULL, 0, NULL, NULL, "template: :1: bad number syntax: \"-.S\"" },
	{ "{{- .S}}", NULL, 0, "hello", NULL, NULL },
	{ "{{.S -}}", NULL, 0, "hello", NULL, NULL },
	{ "{{.S-}}", NULL, 0, NULL, NULL, "template: :1: bad character U+002D '-'" },
	{ "{{.S- }}", NULL, 0, NULL, NULL, "template: :1: bad character U+002D '-'" },
	{ "{{ - }}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"-\"" },
	{ "{{/*x*/-}}", NULL, 0, NULL, NULL, "template: :1: comment ends before closing delimiter" },
	{ "{{- /*x*/}}", NULL, 0, "", NULL, NULL },
	{ "{{-/*x*/}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"-\"" },
	{ "a  {{- /* x */ -}}  b", NULL, 0, "ab", NULL, NULL },
	{ "{{/* a */ }}", NULL, 0, NULL, NULL, "template: :1: comment ends before closing delimiter" },
	{ "{{/**/}}x", NULL, 0, "x", NULL, NULL },
	{ "{{\"\\x\"}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{\"\\400\"}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{\"\\uD800\"}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{\"\\U00110000\"}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{'\\400'}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{''}}", NULL, 0, NULL, NULL, "template: :1: invalid syntax" },
	{ "{{'\\u00e9'}}", NULL, 0, "233", NULL, NULL },
	{ "{{\"\303\251\"}}", NULL, 0, "\303\251", NULL, NULL },
	{ "{{$x := 1}}{{$x := 2}}{{$x}}", NULL, 0, "2", NULL, NULL },
	{ "{{range $i := .A}}{{$i}}{{end}}", NULL, 0, "123", NULL, NULL },
	{ "{{range $i, $v := .A}}{{end}}{{$i}}", NULL, 0, NULL, NULL, "template: :1: undefined variable \"$i\"" },
	{ "{{range $i, 3 := .A}}{{end}}", NULL, 0, NULL, NULL, "template: :1: range can only initialize variables" },
	{ "{{range $i, := .A}}{{end}}", NULL, 0, NULL, NULL, "template: :1: range can only initialize variables" },
	{ "{{$x := }}", NULL, 0, NULL, NULL, "template: :1: missing value for command" },
	{ "{{ $x := 1 }}{{$x}}", NULL, 0, "1", NULL, NULL },
	{ "{{$x:=1}}{{$x}}", NULL, 0, "1", NULL, NULL },
	{ "{{$x = }}", NULL, 0, NULL, NULL, "template: :1: missing value for command" },
	{ "{{$ := 1}}", NULL, 0, "", NULL, NULL },
	{ "{{$x :=  1 2}}", NULL, 0, "", "template: :1:9: executing \"\" at <1>: can't give argument to non-function 1", NULL },
	{ "{{:}}", NULL, 0, NULL, NULL, "template: :1: expected :=" },
	{ "{{:=}}", NULL, 0, NULL, NULL, "template: :1: unexpected \":=\" in command" },
	{ "{{=}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"=\" in command" },
	{ "{{,}}", NULL, 0, NULL, NULL, "template: :1: unexpected \",\" in command" },
	{ "{{|}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"|\" in command" },
	{ "{{.S | }}", NULL, 0, "hello", NULL, NULL },
	{ "{{| .S}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"|\" in command" },
	{ "{{.S || .S}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"|\" in command" },
	{ "{{(.S | printf \"%s\") | len}}", NULL, 0, "5", NULL, NULL },
	{ "{{((1))}}", NULL, 0, "1", NULL, NULL },
	{ "{{()}}", NULL, 0, NULL, NULL, "template: :1: missing value for parenthesized pipeline" },
	{ "{{(}}", NULL, 0, NULL, NULL, "template: :1: unclosed left paren" },
	{ "{{)}}", NULL, 0, NULL, NULL, "template: :1: unexpected \")\" in command" },
	{ "{{if 1}}a{{else}}b{{else}}c{{end}}", NULL, 0, NULL, NULL, "template: :1: expected end; found {{else}}" },
	{ "{{if 1}}a{{else if}}b{{end}}", NULL, 0, NULL, NULL, "template: :1: missing value for if" },
	{ "{{if 1}}{{else if 2}}{{else if 3}}{{end}}", NULL, 0, "", NULL, NULL },
	{ "{{range .}}{{continue}}{{end}}", NULL, 0, "", NULL, NULL },
	{ "{{if 1}}{{break}}{{end}}", NULL, 0, NULL, NULL, "template: :1: {{break}} outside {{range}}" },
	{ "{{range .}}{{define \"x\"}}{{end}}{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected <define> in command" },
	{ "{{define \"x\"}}{{break}}{{end}}", NULL, 0, NULL, NULL, "template: :1: {{break}} outside {{range}}" },
	{ "{{define}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"}}\" in define clause" },
	{ "{{define \"x\"}}", NULL, 0, NULL, NULL, "template: :1: unexpected EOF" },
	{ "{{define \"x\" 1}}{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"1\" in define clause" },
	{ "{{define \"x\"}}{{else}}{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected {{else}} in define clause" },
	{ "{{block}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"}}\" in block clause" },
	{ "{{block \"x\"}}", NULL, 0, NULL, NULL, "template: :1: missing value for block clause" },
	{ "{{block \"x\" .}}{{else}}{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected {{else}} in block clause" },
	{ "{{template}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"}}\" in template clause" },
	{ "{{template \"x\" 1 2}}", NULL, 0, "", "template: :1:11: executing \"\" at <{{template \"x\" 1 2}}>: template \"x\" not defined", NULL },
	{ "{{template \"x\" | }}", NULL, 0, NULL, NULL, "template: :1: unexpected \"|\" in template clause" },
	{ "{{end x}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"x\" in end" },
	{ "{{else x}}", NULL, 0, NULL, NULL, "template: :1: unexpected \"x\" in else" },
	{ "{{if 1}}{{end}}{{end}}", NULL, 0, NULL, NULL, "template: :1: unexpected {{end}}" },
	{ "{{with}}{{end}}", NULL, 0, NULL, NULL, "template: :1: missing value for with" },
	{ "{{range}}{{end}}", NULL, 0, NULL, NULL, "template: :1: missing value for range" },
	{ "{{nil | print}}", NULL, 0, "", "template: :1:2: executing \"\" at <nil>: nil is not a command", NULL },
	{ "{{print | nil}}", NULL, 0, NULL, NULL, "template: :1: non executable command in pipeline stage 2" },
	{ "{{true.A}}", NULL, 0, NULL, NULL, "template: :1: unexpected . after term \"true\"" },
	{ "{{.A true}}", NULL, 0, "", "template: :1:2: executing \"\" at <.A>: A is not a method but has arguments", NULL },
	{ "{{$.A.B.C}}", NULL, 0, "", "template: :1:3: executing \"\" at <$.A.B.C>: can't evaluate field B in type interface {}", NULL },
	{ "{{$x := .M}}{{$x.c.x}}", NULL, 0, "[1 s <nil>]", NULL, NULL },
	{ "{{.M.c.x.y}}", NULL, 0, "", "template: :1:4: executing \"\" at <.M.c.x.y>: can't evaluate field y in type interface {}", NULL },
	{ "{{index .M.c \"x\" \"y\"}}", NULL, 0, "", "template: :1:2: executing \"\" at <index .M.c \"x\" \"y\">: error calling index: cannot index slice/array with type string", NULL },
	{ "{{len .M.c.x}}", NULL, 0, "3", NULL, NULL },
	{ "{{define \"a\"}}A{{end}}{{define \"b\"}}{{template \"a\"}}B{{end}}{{template \"b\"}}", NULL, 0, "AB", NULL, NULL },
	{ "{{define \"\"}}x{{end}}y", NULL, 0, NULL, NULL, "template: :1: template: multiple definition of template \"\"" },
	{ "{{define \"\"}}x{{end}}", NULL, 0, "x", NULL, NULL },
	{ "{{define \"a\"}}  {{end}}{{define \"a\"}}x{{end}}{{template \"a\"}}", NULL, 0, "x", NULL, NULL },
	{ "{{.I.x}}", "{\"I\":1}", 0, "", "template: :1:4: executing \"\" at <.I.x>: can't evaluate field x in type interface {}", NULL },
	{ "{{printf \"%d\" 1 | printf \"%s\"}}", NULL, 0, "1", NULL, NULL },
	{ "{{printf \"%d\" | len}}", NULL, 0, "12", NULL, NULL },
	{ "{{0x}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"0x\"" },
	{ "{{0b2}}", NULL, 0, NULL, NULL, "template: :1: bad number syntax: \"0b2\"" },
	{ "{{1e}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"1e\"" },
	{ "{{-}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"-\"" },
	{ "{{+}}", NULL, 0, NULL, NULL, "template: :1: illegal number syntax: \"+\"" },
	{ "{{.}}", NULL, 0, "map[A:[1 2 3] Big:1234567 E: EA:[] EM:map[] F:1.5 Fl:[0.5 1e+21 1e-07 100000 1.2345675e+06] I:42 L:[a b] Labels:map[b:2 com.x:1] M:map[a:1 b:2 c:map[x:[1 s <nil>]]] N:<nil> Names:[web db] Neg:-7 S:hello T:true Z:0]", NULL, NULL },
	{ "{{$}}", NULL, 0, "map[A:[1 2 3] Big:1234567 E: EA:[] EM:map[] F:1.5 Fl:[0.5 1e+21 1e-07 100000 1.2345675e+06] I:42 L:[a b] Labels:map[b:2 com.x:1] M:map[a:1 b:2 c:map[x:[1 s <nil>]]] N:<nil> Names:[web db] Neg:-7 S:hello T:true Z:0]", NULL, NULL },
	{ "{{..}}", NULL, 0, NULL, NULL, "template: :1: unexpected <.> in operand" },
	{ "{{.$}}", NULL, 0, NULL, NULL, "template: :1: bad character U+0024 '$'" },
	{ "{{$.}}", NULL, 0, NULL, NULL, "template: :1: unexpected <.> in operand" },
	{ "{{$$}}", NULL, 0, NULL, NULL, "template: :1: bad character U+0024 '$'" },
	{ "{{\342\202\254}}", NULL, 0, NULL, NULL, "template: :1: unrecognized character in action: U+20AC '\342\202\254'" },
	{ "{{.\342\202\254}}", NULL, 0, NULL, NULL, "template: :1: bad character U+20AC '\342\202\254'" },
	{ "{{.\303\251}}", "{\"\303\251\":1}", 0, "1", NULL, NULL },
	{ "{{\"\\xff\"}}", NULL, 0, "\377", NULL, NULL },
	{ "{{\"a\\xffb\"}}", NULL, 0, "a\377b", NULL, NULL },
	{ "{{ print \"a\" }}{{ print\t\"b\" }}{{ print", NULL, 0, NULL, NULL, "template: :1: unclosed action" },
	{ "\"c\" }}", NULL, 0, "\"c\" }}", NULL, NULL },
	{ "{{-3 -}}", NULL, 0, "-3", NULL, NULL },
	{ "{{- -3}}", NULL, 0, "-3", NULL, NULL },
	{ "{{1-}}", NULL, 0, NULL, NULL, "template: :1: bad number syntax: \"1-\"" },
	{ "{{1 -1}}", NULL, 0, "", "template: :1:2: executing \"\" at <1>: can't give argument to non-function 1", NULL },
	{ "{{print 1 -1}}", NULL, 0, "1 -1", NULL, NULL },
	{ "{{print -1-1}}", NULL, 0, NULL, NULL, "template: :1: bad number syntax: \"-1-1\"" },
	{ "{{printf \"%v %v %v %v %v %v\" 0.1 0.2 0.30000000000000004 1e-300 5e-324 1.7976931348623157e308}}", NULL, 0, "0.1 0.2 0.30000000000000004 1e-300 5e-324 1.7976931348623157e+308", NULL, NULL },
	{ "{{printf \"%g %e %f %.3e %10.2f|%-10.2e|\" 123456789.0 0.000123 1e10 1.0 -3.14159 2.5}}", NULL, 0, "1.23456789e+08 1.230000e-04 10000000000.000000 1.000e+00      -3.14|2.50e+00  |", NULL, NULL },
	{ "{{printf \"%5t|%-7t|%q|%v\" true false true 'x'}}", NULL, 0, " true|false  |%!q(bool=true)|120", NULL, NULL },
	{ "{{printf \"%x %X %o %b %c\" 255 255 8 5 'A'}}", NULL, 0, "ff FF 10 101 A", NULL, NULL },
	{ "{{printf \"%+v %#v %T\" .M.c .Z .Fl}}", NULL, 0, "map[x:[1 s <nil>]] 0 []interface {}", NULL, NULL },
	{ "{{printf \"%s %s\" \"a\"}}{{printf \"%[2]s %s\" \"a\" \"b\"}}{{printf \"%[0]d\" 1}}{{printf \"%[x]d\" 1}}{{printf \"%[1]*d\" 3 4}}", NULL, 0, "a %!s(MISSING)b %!s(MISSING)%!d(BADINDEX)%!d(BADINDEX)  4", NULL, NULL },
	{ "{{printf \"%.2f%%\" 99.5}}|{{printf \"%3c|%-3c|\" 'a' 'b'}}|{{printf \"%08.3e\" 1.5}}|{{printf \"% .2f|%+.2f\" 1.0 1.0}}", NULL, 0, "99.50%|  a|b  ||1.500e+00| 1.00|+1.00", NULL, NULL },
	{ "{{printf \"%6.3v|%.1v|%.0v\" 3.14159 2.5 7.0}}", NULL, 0, "  3.14|2|7", NULL, NULL },
	{ "{{printf \"%U %#U %#x %#o %+d %x\" -1 0x1F600 -1 -8 -3 -1}}", NULL, 0, "U+FFFFFFFFFFFFFFFF U+1F600 '\360\237\230\200' -0x1 -010 -3 -1", NULL, NULL },
	{ "{{printf \"%05s|%-05s|%05q\" \"ab\" \"ab\" \"ab\"}}", NULL, 0, "000ab|ab   |0\"ab\"", NULL, NULL },
	{ "{{printf \"%.3q|%10q|%-10q|\" \"abcdef\" \"a\" \"b\"}}", NULL, 0, "\"abc\"|       \"a\"|\"b\"       |", NULL, NULL },
	{ "{{print 1.0 2.5 true nil \"x\" .A}}|{{println}}|{{println nil nil}}", NULL, 0, "1 2.5 true <nil>x[1 2 3]|\n|<nil> <nil>\n", NULL, NULL },
	{ "{{.Big}} {{.Neg}} {{printf \"%d|%5d|%-5d|%05d\" .Neg .Neg .Neg .Neg}}", NULL, 0, "1234567 -7 -7|   -7|-7   |-0007", NULL, NULL },
	{ "{{range $i, $c := \"abc\"}}{{end}}", NULL, 0, "", "template: :1:18: executing \"\" at <\"abc\">: range can't iterate over abc", NULL },
	{ "{{urlquery \"\303\234n\303\257code ~!*()'\"}}|{{js \"\\u2028\\u0000x\"}}|{{html \"\\x00<>\"}}", NULL, 0, "%C3%9Cn%C3%AFcode+~%21%2A%28%29%27|\\u2028\\u0000x|\357\277\275&lt;&gt;", NULL, NULL },
	{ "{{slice .L 0 0}}|{{slice .S 5}}|{{slice .S 0 0}}|{{index .L 0 | len}}", NULL, 0, "[]|||1", NULL, NULL },
	{ "{{eq 1.5 1.5}} {{lt 1.5 2.0}} {{lt \"a\" \"b\" }} {{lt \"ab\" \"a\"}} {{eq true true false}} {{ne \"a\" \"b\"}}", NULL, 0, "true true true false true true", NULL, NULL },
	{ "{{eq .Z 0}} {{eq .F 1.5}} {{eq .E \"\"}} {{gt .Big 100}} {{le .Neg -7}}", NULL, 0, "true true true true true", NULL, NULL },
	{ "{{ge 1 1.0}}", NULL, 0, "", "template: :1:2: executing \"\" at <ge 1 1.0>: error calling ge: incompatible types for comparison", NULL },
	{ "{{lt 1 \"a\"}}", NULL, 0, "", "template: :1:2: executing \"\" at <lt 1 \"a\">: error calling lt: incompatible types for comparison", NULL },
	{ "{{not (eq 1 1)}} {{and (eq 1 1) (ne 1 2)}} {{or (lt 2 1) \"fallback\"}}", NULL, 0, "false true fallback", NULL, NULL },
	{ "{{if and .S (not .E)}}yes{{end}}{{if or .Z .EA .EM .N}}no{{else}}all falsy{{end}}", NULL, 0, "yesall falsy", NULL, NULL },
	{ "{{with $x := .M}}{{$x.a}}{{$.S}}{{end}}", NULL, 0, "1hello", NULL, NULL },
	{ "{{range $i, $v := .M.c.x}}[{{$i}}:{{$v}}]{{end}}", NULL, 0, "[0:1][1:s][2:<no value>]", NULL, NULL },
	{ "{{range .M.c.x}}{{if not .}}nil{{else}}{{.}}{{end}},{{end}}", NULL, 0, "1,s,nil,", NULL, NULL },
	{ "{{$n := 0}}{{range .A}}{{$n = .}}{{end}}{{$n}}", NULL, 0, "3", NULL, NULL },
	{ "{{define \"list\"}}{{range .}}<{{.}}>{{end}}{{end}}{{template \"list\" .L}}{{template \"list\" .A}}", NULL, 0, "<a><b><1><2><3>", NULL, NULL },
	{ "{{len (print .A)}}|{{len (printf \"%v\" .M)}}", NULL, 0, "7|33", NULL, NULL },
	{ "{{index (index .M \"c\") \"x\" 1}}", NULL, 0, "s", NULL, NULL },
	{ "{{(.M.c).x}}|{{(index .M.c.x 1)}}", NULL, 0, "[1 s <nil>]|s", NULL, NULL },
	{ "{{$m := .M}}{{with $m.c}}{{index .x 0}}{{end}}", NULL, 0, "1", NULL, NULL },
	{ "{{eq . .M.c.x}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq . .M.c.x>: error calling eq: non-comparable types map[A:[%!s(int=1) %!s(int=2) %!s(int=3)] Big:%!s(int=1234567) E: EA:[] EM:map[] F:%!s(float64=1.5) Fl:[%!s(float64=0.5) %!s(float64=1e+21) %!s(float64=1e-07) %!s(int=100000) %!s(float64=1.2345675e+06)] I:%!s(int=42) L:[a b] Labels:map[b:2 com.x:1] M:map[a:%!s(int=1) b:%!s(int=2) c:map[x:[%!s(int=1) s <nil>]]] N:<nil> Names:[web db] Neg:%!s(int=-7) S:hello T:%!s(bool=true) Z:%!s(int=0)]: map[string]interface {}, []interface {}: [1 s <nil>]", NULL },
	{ "{{eq .A .M}}", NULL, 0, "", "template: :1:2: executing \"\" at <eq .A .M>: error calling eq: non-comparable types [%!s(int=1) %!s(int=2) %!s(int=3)]: []interface {}, map[string]interface {}: map[a:1 b:2 c:map[x:[1 s <nil>]]]", NULL },
	{ "{{ne .M .A}}", NULL, 0, "", "template: :1:2: executing \"\" at <ne .M .A>: error calling ne: non-comparable types map[a:%!s(int=1) b:%!s(int=2) c:map[x:[%!s(int=1) s <nil>]]]: map[string]interface {}, []interface {}: [1 2 3]", NULL },
};

/* A test name on one line: the TAP stream must not see raw newlines. */
static const char *oneline(const char *s)
{
	static char buf[4][200];
	static int which;
	char *b = buf[which++ % 4];
	size_t k = 0;

	for (; *s && k + 3 < sizeof(buf[0]); s++) {
		if (*s == '\n' || *s == '\t' || *s == '\r') {
			b[k++] = '\\';
			b[k++] = *s == '\n' ? 'n' : *s == '\t' ? 't' : 'r';
		} else {
			b[k++] = *s;
		}
	}
	b[k] = '\0';
	return b;
}

/* Run one template; returns the output or "ERR: <message>". */
static char *run_opts(const char *text, const char *json, const struct tmpl_options *opts)
{
	struct tmpl *t = NULL;
	robbe_error *err = NULL;
	struct sbuf sb = SBUF_INIT;
	cJSON *doc = json ? cJSON_Parse(json) : NULL;
	char *res;

	if (json && !doc)
		return xstrdup("BAD JSON IN TEST");
	if (tmpl_parse(text, &t, &err) < 0) {
		res = xasprintf("ERR: %s", err->msg);
	} else if (tmpl_execute(t, doc, opts, &sb, &err) < 0) {
		res = xasprintf("ERR: %s", err->msg);
	} else {
		res = sbuf_detach(&sb);
	}
	robbe_error_free(err);
	sbuf_release(&sb);
	tmpl_free(t);
	cJSON_Delete(doc);
	return res;
}

static char *run(const char *text, const char *json)
{
	return run_opts(text, json, NULL);
}

static void check(const char *text, const char *json, const char *want)
{
	char *got = run(text, json);
	is_str(got, want, "%s", oneline(text));
	free(got);
}

static void check_opts(const char *text, const char *json, const struct tmpl_options *o, const char *want)
{
	char *got = run_opts(text, json, o);
	is_str(got, want, "%s (opts)", oneline(text));
	free(got);
}

static void test_go_table(void)
{
	for (size_t k = 0; k < sizeof(go_cases) / sizeof(go_cases[0]); k++) {
		const struct go_case *c = &go_cases[k];
		struct tmpl_options o = { .missing = c->missing_error ? TMPL_MISSING_ERROR : TMPL_MISSING_DEFAULT };
		struct tmpl *t = NULL;
		robbe_error *err = NULL;
		struct sbuf sb = SBUF_INIT;
		cJSON *doc = cJSON_Parse(c->data ? c->data : go_doc);
		int r = tmpl_parse(c->tmpl, &t, &err);

		if (c->parse_err) {
			ok(r < 0, "go[%zu] parse fails: %s", k, oneline(c->tmpl));
			is_str(err ? err->msg : NULL, c->parse_err, "go[%zu] parse error", k);
		} else if (r < 0) {
			ok(0, "go[%zu] parses: %s (%s)", k, oneline(c->tmpl), oneline(err->msg));
		} else {
			r = tmpl_execute(t, doc, &o, &sb, &err);
			is_str(sbuf_str(&sb), c->out, "go[%zu] output: %s", k, oneline(c->tmpl));
			if (c->exec_err)
				is_str(r < 0 && err ? err->msg : "(no error)", c->exec_err, "go[%zu] exec error", k);
			else
				ok(r == 0, "go[%zu] executes: %s", k, err ? oneline(err->msg) : "");
		}
		robbe_error_free(err);
		sbuf_release(&sb);
		tmpl_free(t);
		cJSON_Delete(doc);
	}
}

static const char *inspect_doc =
	"{\"Id\":\"4f66ad9a0b2e\",\"Name\":\"/web\",\"Names\":[\"web\",\"db\"],"
	"\"Config\":{\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"CpuShares\":0,"
	"\"Entrypoint\":null},"
	"\"State\":{\"Running\":true,\"Pid\":1234567,\"ExitCode\":0,\"Health\":null},"
	"\"NetworkSettings\":{\"Ports\":{\"8787/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"},"
	"{\"HostIp\":\"::\",\"HostPort\":\"8080\"}]}},"
	"\"Client\":{\"ApiVersion\":\"1.50\"},\"Size\":1.5e6,\"Ratio\":2500000.5}";

static void test_docker_examples(void)
{
	check("{{join .Names \", \"}}", inspect_doc, "web, db");
	check("{{.Config.Cmd}}", inspect_doc, "[sh -c echo hi]");
	check("{{json .Config.Cmd}}", inspect_doc, "[\"sh\",\"-c\",\"echo hi\"]");
	check("{{json .Config.Labels}}", inspect_doc, "{\"b\":\"2\",\"a\":\"1\"}");
	check("{{(index (index .NetworkSettings.Ports \"8787/tcp\") 0).HostPort}}", inspect_doc, "8080");
	check("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}", inspect_doc, "a=1 b=2 ");
	check("{{.NetworkSettings.Ports}}", inspect_doc,
	      "map[8787/tcp:[map[HostIp:0.0.0.0 HostPort:8080] map[HostIp::: HostPort:8080]]]");
	check("{{.State.Pid}} {{.Size}} {{.Ratio}} {{.State.Running}}", inspect_doc, "1234567 1500000 2.5000005e+06 true");
	check("{{if .State.Running}}running{{else}}stopped{{end}}", inspect_doc, "running");
	check("{{upper .Name}}|{{lower \"ABC\"}}|{{title \"hello docker world\"}}", inspect_doc,
	      "/WEB|abc|Hello Docker World");
	check("{{pad .Name 2 3}}|{{pad \"\" 2 3}}|", inspect_doc, "  /web   ||");
	check("{{truncate .Id 4}}|{{truncate \"ab\" 4}}|{{truncate \"abcd\" 4}}", inspect_doc, "4f66|ab|abcd");
	check("{{split \"a:b:c\" \":\"}}|{{len (split \"a:b:c\" \":\")}}|{{index (split \"x/y\" \"/\") 1}}", NULL,
	      "[a b c]|3|y");
	check("{{json .}}", "{\"b\":1,\"a\":[true,null,\"<&>\"],\"f\":0.5}", "{\"b\":1,\"a\":[true,null,\"<&>\"],\"f\":0.5}");
	check("{{json \"a\\u2028b\\tc\\bd\\u0001\"}}", NULL, "\"a\\u2028b\\tc\\bd\\u0001\"");
	check("{{range .Names}}{{.}}{{println}}{{end}}", inspect_doc, "web\ndb\n");
	check("{{printf \"%-6s|%6s|\" .Names}}", inspect_doc, "[web    db    ]|%!s(MISSING)|");
	check("{{printf \"%-6s|%6s|\" (index .Names 0) (index .Names 1)}}", inspect_doc, "web   |    db|");
	check("{{.Config.Entrypoint}}|{{print .Config.Entrypoint}}", inspect_doc, "<no value>|<nil>");
	check("{{len .Names}} {{index .Names 1}} {{slice .Names 1}}", inspect_doc, "2 db [db]");
	check("{{join (split \"a b c\" \" \") \",\"}}", NULL, "a,b,c");
	check("{{join .Nope \",\"}}|", "{}", "|");
}

static void test_fold_case(void)
{
	struct tmpl_options fold = { .fold_case = true };
	struct tmpl_options raw_err = { .missing = TMPL_MISSING_ERROR };

	check_opts("{{.ID}} {{.Client.APIVersion}} {{.Config.CPUShares}}", inspect_doc, &fold, "4f66ad9a0b2e 1.50 0");
	check_opts("{{.Id}}", inspect_doc, &fold, "4f66ad9a0b2e");
	check("{{.ID}}", inspect_doc, "<no value>");
	check_opts("{{.ID}}", inspect_doc, &raw_err,
		   "ERR: template: :1:2: executing \"\" at <.ID>: map has no entry for key \"ID\"");
	/* exact keys win over folded ones */
	check_opts("{{.a}}{{.A}}", "{\"A\":1,\"a\":2}", &fold, "21");
	check_opts("{{.B}}", "{\"b\":1,\"B\":2}", &fold, "2");
	/* a typed pass prints nil pointers as <nil> and missing map keys as "" */
	check_opts("{{.State.Health}}|{{index .Config.Labels \"nope\"}}|", inspect_doc, &fold, "<nil>||");
	check("{{.State.Health}}|{{index .Config.Labels \"nope\"}}|", inspect_doc, "<no value>|<no value>|");
}

static cJSON *label_method(void *ud, const cJSON *dot, const char *name, cJSON *const *args, int nargs,
			   robbe_error **err)
{
	int *calls = ud;
	const cJSON *labels;

	(*calls)++;
	if (strcmp(name, "Obj") == 0)
		return cJSON_Parse("{\"key-made-by-the-hook\":[\"value\",2]}");
	if (strcmp(name, "Label") != 0)
		return NULL;
	if (nargs != 1 || !cJSON_IsString(args[0])) {
		robbe_error_set(err, 0, "wrong number of args for Label: want 1 got %d", nargs);
		return NULL;
	}
	labels = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(dot, "Config"), "Labels");
	labels = cJSON_GetObjectItemCaseSensitive(labels, args[0]->valuestring);
	return cJSON_CreateString(cJSON_IsString(labels) ? labels->valuestring : "");
}

static void test_method_hook(void)
{
	int calls = 0;
	struct tmpl_options o = { .method = label_method, .method_ud = &calls };

	check_opts("{{.Label \"a\"}}|{{.Label \"zz\"}}|{{\"b\" | .Label}}", inspect_doc, &o, "1||2");
	ok(calls >= 3, "method hook called (%d)", calls);
	check_opts("{{.Label}}", inspect_doc, &o,
		   "ERR: template: :1:2: executing \"\" at <.Label>: error calling Label: wrong number of args for Label: want 1 got 0");
	check_opts("{{.Name}}", inspect_doc, &o, "/web");
	/* values taken out of a hook's result outlive the loop over it */
	check_opts("{{$k := 0}}{{$v := 0}}{{range $a, $b := .Obj}}{{$k = $a}}{{$v = $b}}{{end}}{{$k}}={{$v}} {{json .Obj}}",
		   inspect_doc, &o, "key-made-by-the-hook=[value 2] {\"key-made-by-the-hook\":[\"value\",2]}");
	check("{{.Label \"a\"}}", inspect_doc,
	      "ERR: template: :1:2: executing \"\" at <.Label>: Label is not a method but has arguments");
}

static void test_header_mode(void)
{
	struct tmpl_options h = { .header_mode = true };
	const char *hdr = "{\"ID\":\"CONTAINER ID\",\"Names\":\"NAMES\",\"Size\":\"SIZE\"}";

	check_opts("{{.ID}}\t{{json .Names}}\t{{upper .Size}}\t{{lower .ID}}\t{{title .ID}}", hdr, &h,
		   "CONTAINER ID\tNAMES\tSIZE\tCONTAINER ID\tCONTAINER ID");
	check_opts("{{join .Names \",\"}}|{{split .Names \",\"}}|{{truncate .ID 3}}", hdr, &h, "NAMES|NAMES|CONTAINER ID");
	check_opts("{{pad .ID 1 1}}|{{.Nope}}", hdr, &h, " CONTAINER ID |<no value>");
	check_opts("{{json .}}", hdr, &h,
		   "ERR: template: :1:7: executing \"\" at <.>: wrong type for value; expected string; got map[string]interface {}");
}

static void test_newer_go(void)
{
	check("{{with .Nope}}x{{else with .S}}{{.}}{{else}}z{{end}}", "{\"S\":\"s\"}", "s");
	check("{{with .Nope}}x{{else with .Nope2}}y{{else}}z{{end}}", "{}", "z");
	check("{{range 3}}{{.}}{{end}}|{{range $i := 2}}{{$i}}{{end}}|{{range 0}}{{else}}none{{end}}", NULL, "012|01|none");
	check("{{range $i, $v := 3}}{{end}}", NULL,
	      "ERR: template: :1:18: executing \"\" at <3>: can't use 3 to iterate over more than one variable");
	check("{{$i := 0}}{{$v := 0}}{{range $i, $v = .}}{{end}}{{$i}}{{$v}}", "[\"a\",\"b\"]", "1b");
	check("{{index .A 3}}", "{\"A\":[1,2,3]}",
	      "ERR: template: :1:2: executing \"\" at <index .A 3>: error calling index: index out of range: 3");
}

static void test_errors_and_limits(void)
{
	char *got;
	struct sbuf deep = SBUF_INIT;

	check("{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}", NULL,
	      "ERR: template: :1:25: executing \"r\" at <{{template \"r\" .}}>: exceeded maximum template depth (1000)");
	got = run("{{range 1000000000}}{{end}}", NULL);
	ok(strstr(got, "work limit") != NULL, "endless range stops: %s", oneline(got));
	free(got);
	got = run("{{pad \"x\" 999999999 999999999}}", NULL);
	ok(strstr(got, "error calling pad") != NULL, "huge pad refused: %s", oneline(got));
	free(got);
	got = run("{{printf \"%09999999d\" 1}}|{{printf \"%0100000000d\" 1}}", NULL);
	ok(strlen(got) == 9999999 + 26 && strcmp(got + 9999999, "|%!(NOVERB)%!(EXTRA int=1)") == 0, "printf width capped as Go's (%.40s)", oneline(got));
	free(got);
	for (int k = 0; k < 5000; k++)
		sbuf_adds(&deep, "(");
	sbuf_adds(&deep, "1");
	for (int k = 0; k < 5000; k++)
		sbuf_adds(&deep, ")");
	{
		char *text = xasprintf("{{%s}}", sbuf_str(&deep));
		got = run(text, NULL);
		is_str(got, "ERR: template: :1: max expression depth exceeded", "deep parens refused");
		free(got);
		free(text);
	}
	sbuf_reset(&deep);
	for (int k = 0; k < 3000; k++)
		sbuf_adds(&deep, "{{if 1}}");
	got = run(sbuf_str(&deep), NULL);
	is_str(got, "ERR: template: :1: max expression depth exceeded", "deep ifs refused");
	free(got);
	sbuf_release(&deep);
	/* partial output stays in the buffer on error, as Go writes as it goes */
	{
		struct tmpl *t;
		robbe_error *err = NULL;
		struct sbuf sb = SBUF_INIT;
		ok(tmpl_parse("a{{.X}}b{{.Y.Z}}c", &t, &err) == 0, "parse");
		cJSON *d = cJSON_Parse("{\"X\":1,\"Y\":\"s\"}");
		ok(tmpl_execute(t, d, NULL, &sb, &err) < 0, "exec fails");
		is_str(sbuf_str(&sb), "a1b", "partial output kept");
		robbe_error_free(err);
		sbuf_release(&sb);
		tmpl_free(t);
		cJSON_Delete(d);
	}
	check("a\n{{.X.Y}}", "{\"X\":\"s\"}",
	      "ERR: template: :2:4: executing \"\" at <.X.Y>: can't evaluate field Y in type interface {}");
	check("{{template \"x\"}}", NULL,
	      "ERR: template: :1:11: executing \"\" at <{{template \"x\"}}>: template \"x\" not defined");
	check("x\n{{if .A}}\ny", NULL, "ERR: template: :3: unexpected EOF");
	check("{{.A\n", NULL, "ERR: template: :2: unclosed action started at :1");
	check("{{\"a\"\n.B}}", NULL, "ERR: template: :1:2: executing \"\" at <\"a\">: can't give argument to non-function \"a\"");
	check("{{.A\n}", NULL, "ERR: template: :2: unexpected \"}\" in operand");
	check("{{1i}}", NULL, "ERR: template: :1: illegal number syntax: \"1i\"");
	check("", NULL, "");
	check("{{/* only a comment */}}", NULL, "");
	check("{{.}}", NULL, "<no value>");
}

static void test_go_print_value(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{ "\"raw string\"", "raw string" },
		{ "42", "42" },
		{ "-7", "-7" },
		{ "1.5", "1.5" },
		{ "0.1", "0.1" },
		{ "1e21", "1e+21" },
		{ "123456789.5", "1.234567895e+08" },
		{ "0.00001", "1e-05" },
		{ "0.0001", "0.0001" },
		{ "true", "true" },
		{ "false", "false" },
		{ "null", "<nil>" },
		{ "[]", "[]" },
		{ "{}", "map[]" },
		{ "[\"a\",\"b\",\"c\"]", "[a b c]" },
		{ "[1,[2,[3]],null,\"\"]", "[1 [2 [3]] <nil> ]" },
		{ "{\"b\":[\"x\",\"y\"],\"a\":1}", "map[a:1 b:[x y]]" },
		{ "{\"z\":{\"y\":{}},\"a\":null}", "map[a:<nil> z:map[y:map[]]]" },
		{ "[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]", "[map[HostIp:0.0.0.0 HostPort:8080]]" },
		{ "9007199254740993", "9007199254740992" },
		{ "1e300", "1e+300" },
		{ "-0.5", "-0.5" },
	};

	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		cJSON *j = cJSON_Parse(cases[k].json);
		struct sbuf sb = SBUF_INIT;
		go_print_value(&sb, j);
		is_str(sbuf_str(&sb), cases[k].want, "go_print_value %s", cases[k].json);
		sbuf_release(&sb);
		cJSON_Delete(j);
	}
}

int main(void)
{
	test_go_table();
	test_docker_examples();
	test_fold_case();
	test_method_hook();
	test_header_mode();
	test_newer_go();
	test_errors_and_limits();
	test_go_print_value();
	return tap_done();
}
