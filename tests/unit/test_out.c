// SPDX-License-Identifier: GPL-2.0-or-later
/* The output buffer and the JSON writer. */
#include <arpa/inet.h>

#include "internal.h"
#include "tap.h"

static void test_truncation(void)
{
	char buf[8];
	struct out o = out_make(buf, sizeof(buf));

	out_str(&o, "abcdef");
	out_printf(&o, "%d", 12345);
	tap_eq_u(o.len, 11, "len counts what would have been written");
	tap_eq_str(buf, "abcdef1", "the text is cut and NUL-terminated");
	out_trim(&o, '5');
	tap_eq_u(o.len, 10, "trim past the end only shortens the count");

	o = out_make(buf, sizeof(buf));
	out_str(&o, "a b ");
	out_trim(&o, ' ');
	tap_eq_str(buf, "a b", "trim removes the trailing space");
	out_trim(&o, ' ');
	tap_eq_str(buf, "a b", "trim leaves another last byte alone");
}

static void test_json(void)
{
	char buf[512];
	struct out o = out_make(buf, sizeof(buf));
	struct ctalg_tuple t = { .set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST |
					CTALG_TUPLE_PROTO | CTALG_TUPLE_DPORT,
				 .family = AF_INET6,
				 .l4proto = 6,
				 .dport = 21 };
	struct json j;

	inet_pton(AF_INET6, "2001:db8::1", t.src.b);
	inet_pton(AF_INET6, "::1", t.dst.b);
	json_begin(&j, &o);
	json_obj_open(&j, NULL);
	json_str(&j, "name", "a\"b\\c\n\x01\xff");
	json_u64(&j, "n", 18446744073709551615ULL);
	json_i64(&j, "i", -5);
	json_bool(&j, "b", false);
	json_arr_open(&j, "list");
	json_u64(&j, NULL, 1);
	json_u64(&j, NULL, 2);
	json_arr_close(&j);
	json_tuple(&j, "tuple", &t);
	json_obj_close(&j);
	tap_eq_str(buf,
		   "{\"name\":\"a\\\"b\\\\c\\n\\u0001\\u00ff\","
		   "\"n\":18446744073709551615,\"i\":-5,\"b\":false,"
		   "\"list\":[1,2],\"tuple\":{\"src\":\"2001:db8::1\","
		   "\"dst\":\"::1\",\"proto\":6,\"dport\":21}}",
		   "json object with escapes, numbers, array and tuple");
}

static void test_tuple_text(void)
{
	char buf[256];
	struct out o = out_make(buf, sizeof(buf));
	struct ctalg_tuple t = { .family = AF_INET,
				 .l4proto = 1,
				 .icmp_type = 8,
				 .icmp_code = 0,
				 .icmp_id = 77 };

	inet_pton(AF_INET, "10.0.0.1", t.src.b);
	inet_pton(AF_INET, "10.0.0.2", t.dst.b);
	out_tuple_addr(&o, &t, "src", "dst");
	out_tuple_l4(&o, &t);
	tap_eq_str(buf, "src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=77 ",
		   "icmp tuple as conntrack(8) prints it");
	o = out_make(buf, sizeof(buf));
	t.l4proto = 47;
	t.sport = 0x1234;
	t.dport = 0xab;
	out_tuple_l4(&o, &t);
	tap_eq_str(buf, "srckey=0x1234 dstkey=0xab ", "gre keys in hex");
}

int main(void)
{
	test_truncation();
	test_json();
	test_tuple_text();
	return tap_done();
}
