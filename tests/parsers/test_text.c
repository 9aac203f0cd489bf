// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * helpers/text.h: numbers and addresses in protocol text. The expected
 * address of every accepted IPv6 vector is the C library's inet_pton()
 * of the same text, so the two parsers are compared on each of them.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "tap.h"
#include "text.h"

struct addr_vec {
	const char *text;
	bool ok;
	size_t stop; /* where the cursor stops when ok (0: at the end) */
};

static const struct addr_vec v6_vectors[] = {
	{ "2001:db8::10", true },
	{ "2001:0db8:0000:0000:0000:0000:0000:0010", true },
	{ "2001:DB8::A", true },
	{ "::", true },
	{ "::1", true },
	{ "1::", true },
	{ "1:2:3:4:5:6:7::", true },
	{ "::2:3:4:5:6:7:8", true },
	{ "1:2:3:4:5:6:7:8", true },
	{ "1::8", true },
	{ "::ffff:192.0.2.10", true },
	{ "::192.0.2.10", true },
	{ "1:2:3:4:5:6:192.0.2.10", true },
	{ "fe80::1|", true, 7 },	  /* the caller's delimiter follows */
	{ "2001:db8::1%eth0", true, 11 }, /* a zone is left to the caller */
	{ "::1:", false },
	{ "", false },
	{ ":", false },
	{ ":::", true, 2 }, /* "::", then a ":" for the caller to refuse */
	{ ":1", false },
	{ "1:", false },
	{ "1", false },
	{ "1:2:3:4:5:6:7", false },
	{ "1:2:3:4:5:6:7:8:9", true, 15 },
	{ "1::2::3", false },
	{ "::1:2:3:4:5:6:7:8", false }, /* "::" standing for no group */
	{ "1:2:3:4:5:6:7:8::", true, 15 },
	{ "12345::", false },
	{ "g::", false },
	{ "1.2.3.4", false },
	{ "::1.2.3", true, 3 },	    /* no quad: "::1", then ".2.3" */
	{ "::256.1.1.1", true, 5 }, /* no quad: "::256", then ".1.1.1" */
	{ "1:2:3:4:5:6:7:1.2.3.4", true, 15 }, /* no room for a quad */
	{ "::1.2.3.4:5", true, 9 },
	{ "[::1]", false },
	{ "-1::", false },
};

static void test_ipv6(void)
{
	size_t i;

	for (i = 0; i < sizeof(v6_vectors) / sizeof(v6_vectors[0]); i++) {
		const struct addr_vec *t = &v6_vectors[i];
		size_t len = strlen(t->text), stop = t->stop ? t->stop : len;
		char *copy = malloc(len ? len : 1);
		struct ctalg_cursor c;
		union ctalg_addr got = { 0 }, want = { 0 };
		char ref[64];
		bool ok;

		if (!copy)
			abort();
		memcpy(copy, t->text, len); /* exact size, no NUL */
		c = ctalg_cursor_make(copy, len);
		ok = text_get_ipv6(&c, &got);
		if (ok && t->ok) {
			/* inet_pton() of the accepted part is the reference. */
			memcpy(ref, t->text, stop);
			ref[stop] = '\0';
			ok = inet_pton(AF_INET6, ref, &want) == 1 &&
			     !memcmp(&got, &want, sizeof(got)) && c.off == stop;
			tap_ok(ok,
			       "ipv6 \"%s\" parses as inet_pton does, stops "
			       "at %zu",
			       t->text, stop);
		} else {
			tap_ok(ok == t->ok && c.off == 0,
			       "ipv6 \"%s\" is refused, cursor unmoved", t->text);
		}
		free(copy);
	}
}

static void test_ipv4(void)
{
	static const struct addr_vec v[] = {
		{ "192.0.2.10", true },	     { "0.0.0.0", true },
		{ "255.255.255.255", true }, { "192.0.2.10.", true, 10 },
		{ "192.0.2.256", false },    { "192.0.2", false },
		{ "192.0.2.", false },	     { "192..2.10", false },
		{ "1921.0.2.10", false },    { "-1.0.2.10", false },
		{ "+1.0.2.10", false },	     { " 1.0.2.10", false },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t len = strlen(v[i].text);
		size_t stop = v[i].stop ? v[i].stop : len;
		struct ctalg_cursor c = ctalg_cursor_make(v[i].text, len);
		uint8_t got[4], want[4];
		char ref[32];
		bool ok = text_get_ipv4(&c, got);

		if (v[i].ok) {
			memcpy(ref, v[i].text, stop);
			ref[stop] = '\0';
			ok = ok && inet_pton(AF_INET, ref, want) == 1 &&
			     !memcmp(got, want, 4) && c.off == stop;
		} else {
			ok = !ok && c.off == 0;
		}
		tap_ok(ok, "ipv4 \"%s\" %s", v[i].text,
		       v[i].ok ? "parses" : "is refused");
	}
}

static void test_dec(void)
{
	struct ctalg_cursor c = ctalg_cursor_make("0255,2555,00001,", 16);
	uint32_t v = 0;

	tap_ok(text_get_dec(&c, 255, 4, &v) && v == 255 && c.off == 4,
	       "\"0255\" in 4 digits");
	c.off = 5;
	tap_ok(!text_get_dec(&c, 65535, 3, &v) && c.off == 5,
	       "\"2555\" is refused in 3 digits, not read as 255");
	c.off = 10;
	tap_ok(!text_get_dec(&c, 65535, 4, &v) && c.off == 10,
	       "\"00001\" is refused in 4 digits: zeros count");
	c.off = 4;
	tap_ok(!text_get_dec(&c, 255, 3, &v), "no digit, no number");
}

int main(void)
{
	test_ipv6();
	test_ipv4();
	test_dec();
	return tap_done();
}
