/* test-container.c: the container engine's pure parts — names, signals,
 * times, resolv.conf, Docker's start-error exit statuses. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "src/container-internal.h"
#include "tests/unit/tap.h"

static void test_names(void)
{
	for (int i = 0; i < 200; i++) {
		cleanup_free char *n = container_random_name();
		const char *us = strchr(n, '_');

		ok(us && us != n && us[1], "random name %s is adjective_surname", n);
		ok(container_name_valid(n), "random name %s is a valid name", n);
		if (!us)
			break;
	}
	ok(container_name_valid("web-1.a_b"), "web-1.a_b is valid");
	ok(!container_name_valid("-web"), "a name cannot start with -");
	ok(!container_name_valid("a"), "one character is too short");
	ok(!container_name_valid("a/b"), "no slash inside");
	ok(!container_name_valid(""), "empty is invalid");
}

static void test_signals(void)
{
	is_int(container_parse_signal("TERM"), SIGTERM, "TERM");
	is_int(container_parse_signal("SIGKILL"), SIGKILL, "SIGKILL");
	is_int(container_parse_signal("sigusr1"), SIGUSR1, "sigusr1, any case");
	is_int(container_parse_signal("9"), 9, "a number");
	is_int(container_parse_signal("RTMIN+2"), SIGRTMIN + 2, "RTMIN+2");
	is_int(container_parse_signal("SIGRTMAX-1"), SIGRTMAX - 1, "SIGRTMAX-1");
	is_int(container_parse_signal("FOO"), -1, "unknown name");
	is_int(container_parse_signal("0"), -1, "0 is no signal");
	is_int(container_parse_signal("100"), -1, "beyond the last signal");
	is_int(container_parse_signal(""), -1, "empty");
}

static void test_times(void)
{
	cleanup_free char *zero = container_format_time(0);
	cleanup_free char *t1 = container_format_time(1700000000LL * 1000000000);
	cleanup_free char *t2 = container_format_time(1700000000LL * 1000000000 + 120000000);
	cleanup_free char *t3 = container_format_time(1700000000LL * 1000000000 + 123456789);

	is_str(zero, "0001-01-01T00:00:00Z", "Go's zero time");
	is_str(t1, "2023-11-14T22:13:20Z", "whole seconds");
	is_str(t2, "2023-11-14T22:13:20.12Z", "trailing zeros dropped");
	is_str(t3, "2023-11-14T22:13:20.123456789Z", "nanoseconds");
}

static void test_resolv(void)
{
	const char *host = "# generated\nnameserver 127.0.0.53\nsearch example.org\noptions edns0\n";
	cleanup_free char *a = ctr_resolv_conf(host, false, NULL, NULL, NULL);
	cleanup_free char *b = ctr_resolv_conf(host, true, NULL, NULL, NULL);
	cleanup_free char *c = NULL;
	cleanup_free char *d = ctr_resolv_conf("nameserver 10.0.0.2\nnameserver ::1\n", false, NULL, NULL, NULL);
	char *dns[] = { "1.1.1.1", NULL };
	char *search[] = { "corp", NULL };

	ok(!strstr(a, "127.0.0.53"), "a loopback resolver is dropped");
	ok(strstr(a, "nameserver 8.8.8.8\nnameserver 8.8.4.4\n") != NULL, "Docker's fallback servers instead");
	ok(strstr(a, "search example.org") != NULL, "search kept");
	ok(strstr(a, "options edns0") != NULL, "options kept");
	ok(strstr(b, "nameserver 127.0.0.53") != NULL, "host network keeps it");
	ok(!strstr(b, "8.8.8.8"), "and needs no fallback");
	is_str(d, "nameserver 10.0.0.2\n", "IPv6 loopback dropped, no fallback when one is left");
	c = ctr_resolv_conf(host, false, dns, search, NULL);
	ok(strstr(c, "nameserver 1.1.1.1\n") != NULL && !strstr(c, "8.8.8.8"), "--dns replaces the servers");
	ok(strstr(c, "search corp\n") != NULL && !strstr(c, "example.org"), "--dns-search replaces search");
}

static void test_start_errors(void)
{
	is_int(container_start_error_status("runc create failed: unable to start container process: exec: "
					    "\"nope\": executable file not found in $PATH"),
	       127, "not found is 127");
	is_int(container_start_error_status("exec: \"/x\": stat /x: no such file or directory"), 127,
	       "no such file is 127");
	is_int(container_start_error_status("exec: \"/etc\": permission denied"), 126, "permission denied is 126");
	is_int(container_start_error_status("exec /etc: is a directory"), 126, "a directory is 126");
	is_int(container_start_error_status("cgroup setup failed"), 0, "anything else is the engine's");
	is_int(container_start_error_status(NULL), 0, "no message");
}

int main(void)
{
	test_names();
	test_signals();
	test_times();
	test_resolv();
	test_start_errors();
	return tap_done();
}
