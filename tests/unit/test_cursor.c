// SPDX-License-Identifier: GPL-2.0-or-later
/* The bounded cursor: reads stop at the window, numbers at their maximum. */
#include <ctalg/cursor.h>

#include "tap.h"

struct dec_case {
	const char *in; /* text to parse */
	uint32_t max;
	bool ok;
	uint32_t want;
	size_t consumed;
};

static const struct dec_case dec_cases[] = {
	{ "0", 255, true, 0, 1 },
	{ "255", 255, true, 255, 3 },
	{ "256", 255, false, 0, 0 }, /* above the maximum */
	{ "1,2", 255, true, 1, 1 },  /* stops at the separator */
	{ "", 255, false, 0, 0 },    /* no digit */
	{ ",1", 255, false, 0, 0 },  /* no digit first */
	{ "-1", 255, false, 0, 0 },  /* no sign */
	{ "+1", 255, false, 0, 0 },
	{ " 1", 255, false, 0, 0 }, /* no blank */
	{ "9", 5, false, 0, 0 },    /* one digit above a small max */
	{ "65535", 65535, true, 65535, 5 },
	{ "65536", 65535, false, 0, 0 },
	{ "4294967295", UINT32_MAX, true, UINT32_MAX, 10 },
	{ "4294967296", UINT32_MAX, false, 0, 0 }, /* overflows 32 bits */
	{ "99999999999999999999", UINT32_MAX, false, 0, 0 },
	{ "00000000021", UINT32_MAX, false, 0, 0 }, /* more than 10 digits */
	{ "0000000021", UINT32_MAX, true, 21, 10 },
};

static void test_dec(void)
{
	size_t i;

	for (i = 0; i < sizeof(dec_cases) / sizeof(dec_cases[0]); i++) {
		const struct dec_case *t = &dec_cases[i];
		struct ctalg_cursor c = ctalg_cursor_make(t->in, strlen(t->in));
		uint32_t v = 12345;
		bool ok = ctalg_cursor_get_dec(&c, t->max, &v);

		tap_ok(ok == t->ok && (!ok || v == t->want) &&
			   c.off == t->consumed,
		       "dec \"%s\" max %u -> %s %u, consumed %zu", t->in,
		       t->max, t->ok ? "ok" : "fail", t->want, t->consumed);
	}
}

static void test_hex(void)
{
	struct ctalg_cursor c = ctalg_cursor_make("fFfF:", 5);
	uint32_t v = 0;

	tap_ok(ctalg_cursor_get_hex(&c, 0xffff, &v) && v == 0xffff && c.off == 4,
	       "hex ffff");
	c = ctalg_cursor_make("10000", 5);
	tap_ok(!ctalg_cursor_get_hex(&c, 0xffff, &v) && c.off == 0,
	       "hex above max fails without moving");
	c = ctalg_cursor_make("g", 1);
	tap_ok(!ctalg_cursor_get_hex(&c, 0xffff, &v), "hex needs a digit");
}

static void test_bounds(void)
{
	static const uint8_t buf[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct ctalg_cursor c = ctalg_cursor_make(buf, sizeof(buf)), sub;
	uint32_t v32 = 0;
	uint16_t v16 = 0;
	uint8_t v8 = 0, out[8];

	tap_ok(ctalg_cursor_get_be32(&c, &v32) && v32 == 0x12345678,
	       "be32 reads big-endian");
	tap_ok(!ctalg_cursor_get_be16(&c, &v16) && c.off == 4,
	       "be16 with 1 byte left fails and does not move");
	tap_ok(ctalg_cursor_get_u8(&c, &v8) && v8 == 0x9a, "last byte");
	tap_ok(!ctalg_cursor_get_u8(&c, &v8), "u8 at the end fails");
	tap_ok(!ctalg_cursor_skip(&c, 1), "skip past the end fails");

	c = ctalg_cursor_make(buf, sizeof(buf));
	tap_ok(!ctalg_cursor_get_bytes(&c, out, 6) && c.off == 0,
	       "get_bytes longer than the window fails");
	tap_ok(ctalg_cursor_sub(&c, 2, &sub) && ctalg_cursor_left(&sub) == 2 &&
		   c.off == 2,
	       "sub carves 2 bytes and moves past them");
	tap_ok(!ctalg_cursor_get_be32(&sub, &v32),
	       "a sub-cursor is bounded by its own window");
	tap_ok(!ctalg_cursor_sub(&c, 4, &sub), "sub longer than left fails");

	c = ctalg_cursor_make(NULL, 10);
	tap_ok(ctalg_cursor_left(&c) == 0, "a NULL window is empty");
}

static void test_text(void)
{
	struct ctalg_cursor c = ctalg_cursor_make("Port 1\r\n", 8);

	tap_ok(ctalg_cursor_starts_nocase(&c, "PORT", 4), "nocase match");
	tap_ok(!ctalg_cursor_starts(&c, "PORT", 4), "case-sensitive miss");
	tap_ok(ctalg_cursor_find(&c, '\n') == 7, "find newline");
	tap_ok(ctalg_cursor_find(&c, 'x') == -1, "find absent byte");
	tap_ok(!ctalg_cursor_starts(&c, "Port 1\r\n!", 9),
	       "starts longer than the window is false");
	tap_ok(ctalg_cursor_skip(&c, 4) && ctalg_cursor_accept(&c, ' ') &&
		   !ctalg_cursor_accept(&c, ' '),
	       "accept consumes only the expected byte");
}

int main(void)
{
	test_dec();
	test_hex();
	test_bounds();
	test_text();
	return tap_done();
}
