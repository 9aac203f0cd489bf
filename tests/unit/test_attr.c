// SPDX-License-Identifier: GPL-2.0-or-later
/* Attribute validation and tuples: build -> parse -> compare, and hostile
 * attribute layouts that must be refused without reading out of bounds. */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "internal.h"
#include "tap.h"

static bool tuple_eq(const struct ctalg_tuple *a, const struct ctalg_tuple *b)
{
	return a->set == b->set && a->family == b->family &&
	       (!(a->set & CTALG_TUPLE_PROTO) || a->l4proto == b->l4proto) &&
	       (!(a->set & CTALG_TUPLE_SRC) ||
		!memcmp(&a->src, &b->src, ctalg_addr_len(a->family))) &&
	       (!(a->set & CTALG_TUPLE_DST) ||
		!memcmp(&a->dst, &b->dst, ctalg_addr_len(a->family))) &&
	       (!(a->set & CTALG_TUPLE_SPORT) || a->sport == b->sport) &&
	       (!(a->set & CTALG_TUPLE_DPORT) || a->dport == b->dport) &&
	       (!(a->set & CTALG_TUPLE_ICMP_ID) || a->icmp_id == b->icmp_id) &&
	       (!(a->set & CTALG_TUPLE_ICMP_TYPE) ||
		a->icmp_type == b->icmp_type) &&
	       (!(a->set & CTALG_TUPLE_ICMP_CODE) ||
		a->icmp_code == b->icmp_code) &&
	       (!(a->set & CTALG_TUPLE_ZONE) || a->zone == b->zone);
}

static void roundtrip(const char *what, const struct ctalg_tuple *t)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh = ctalg_nl_msg(buf, sizeof(buf), 1, 0, 0,
					    t->family, 0);
	const struct nlattr *tb[CTA_MAX + 1];
	static const struct attr_policy pol[CTA_MAX + 1] = {
		[CTA_TUPLE_ORIG] = { ATTR_NEST },
	};
	struct ctalg_tuple got;

	tuple_put(nlh, CTA_TUPLE_ORIG, t);
	tap_ok(attr_parse_msg(nlh, pol, CTA_MAX, tb) == 0 && tb[CTA_TUPLE_ORIG] &&
		   tuple_parse(tb[CTA_TUPLE_ORIG], t->family, &got) == 0 &&
		   tuple_eq(t, &got),
	       "tuple round trip: %s", what);
}

static void test_roundtrip(void)
{
	struct ctalg_tuple t = { .set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST |
					CTALG_TUPLE_PROTO | CTALG_TUPLE_SPORT |
					CTALG_TUPLE_DPORT,
				 .family = AF_INET,
				 .l4proto = IPPROTO_TCP,
				 .sport = 40000,
				 .dport = 21 };

	inet_pton(AF_INET, "192.0.2.1", t.src.b);
	inet_pton(AF_INET, "198.51.100.7", t.dst.b);
	roundtrip("ipv4 tcp", &t);

	t.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", t.src.b);
	inet_pton(AF_INET6, "fe80::1:2", t.dst.b);
	t.set |= CTALG_TUPLE_ZONE;
	t.zone = 7;
	roundtrip("ipv6 tcp with zone", &t);

	t.l4proto = IPPROTO_ICMPV6;
	t.set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO |
		CTALG_TUPLE_ICMP_ID | CTALG_TUPLE_ICMP_TYPE |
		CTALG_TUPLE_ICMP_CODE;
	t.icmp_id = 9;
	t.icmp_type = 128;
	roundtrip("ipv6 icmp", &t);

	t.set = CTALG_TUPLE_DST;
	roundtrip("address only", &t);
}

/* Build a message from raw attribute bytes after the nfgenmsg. */
static struct nlmsghdr *raw_msg(char *buf, const void *attrs, size_t len)
{
	struct nlmsghdr *nlh = ctalg_nl_msg(buf, 512, 1, 0, 0, AF_INET, 0);

	memcpy(mnl_nlmsg_get_payload_tail(nlh), attrs, len);
	nlh->nlmsg_len += (uint32_t)len;
	return nlh;
}

static void test_hostile(void)
{
	static const struct attr_policy pol[CTA_MAX + 1] = {
		[CTA_TUPLE_ORIG] = { ATTR_NEST },
		[CTA_STATUS] = { ATTR_U32 },
		[CTA_HELP] = { ATTR_NEST },
		[CTA_SECCTX] = { ATTR_STR, 8 },
	};
	const struct nlattr *tb[CTA_MAX + 1];
	char buf[512] __attribute__((aligned(4)));
	struct ctalg_tuple t;
	/* Each vector: the attribute bytes (little-endian nla_len, nla_type). */
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
		int ok;
	} v[] = {
		{ "u32 attribute with 2 bytes",
		  "\x06\x00\x03\x00\x01\x02\x00\x00", 8, 0 },
		{ "length larger than the message",
		  "\x40\x00\x03\x00\x00\x00\x00\x00", 8, 0 },
		{ "length smaller than the header", "\x02\x00\x03\x00", 4, 0 },
		{ "string without NUL",
		  "\x08\x00\x13\x00"
		  "abcd",
		  8, 0 },
		{ "string longer than its maximum",
		  "\x10\x00\x13\x00"
		  "abcdefghij\0\0",
		  16, 0 },
		{ "string within its maximum",
		  "\x0c\x00\x13\x00"
		  "abcdefg\0",
		  12, 1 },
		{ "attribute without a policy is skipped",
		  "\x08\x00\x0c\x00\x01\x02\x03\x04", 8, 1 },
		{ "type above the maximum is skipped",
		  "\x08\x00\xff\x00\x01\x02\x03\x04", 8, 1 },
		{ "valid u32", "\x08\x00\x03\x00\x00\x00\x00\x08", 8, 1 },
		{ "trailing partial header",
		  "\x08\x00\x03\x00\x00\x00\x00\x08\x04\x00", 10, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct nlmsghdr *nlh = raw_msg(buf, v[i].bytes, v[i].len);
		int r = attr_parse_msg(nlh, pol, CTA_MAX, tb);

		tap_ok((r == 0) == v[i].ok && (r == 0 || errno == EBADMSG),
		       "%s: %s", v[i].what, v[i].ok ? "accepted" : "refused");
	}
	{
		/* TUPLE_ORIG { TUPLE_IP { IP_V6_SRC with 4 bytes } } */
		static const char shortv6[] = "\x14\x00\x01\x80"
					      "\x10\x00\x01\x80"
					      "\x08\x00\x03\x00\x01\x02\x03\x04"
					      "\x04\x00\x00\x00";
		/* TUPLE_ORIG { TUPLE_IP { IP_V6_SRC ::1 } } */
		static const char v6[] = "\x1c\x00\x01\x80"
					 "\x18\x00\x01\x80"
					 "\x14\x00\x03\x00"
					 "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01";
		struct nlmsghdr *nlh = raw_msg(buf, shortv6, 20);

		tap_ok(attr_parse_msg(nlh, pol, CTA_MAX, tb) == 0 &&
			   tb[CTA_TUPLE_ORIG] &&
			   tuple_parse(tb[CTA_TUPLE_ORIG], AF_INET6, &t) < 0,
		       "an IPv6 address of 4 bytes is refused");
		nlh = raw_msg(buf, v6, 28);
		tap_ok(attr_parse_msg(nlh, pol, CTA_MAX, tb) == 0 &&
			   tb[CTA_TUPLE_ORIG] &&
			   tuple_parse(tb[CTA_TUPLE_ORIG], AF_INET6, &t) == 0 &&
			   t.src.b[15] == 1,
		       "a well-formed IPv6 source is accepted");
		tap_ok(tuple_parse(tb[CTA_TUPLE_ORIG], AF_INET, &t) < 0 &&
			   errno == EBADMSG,
		       "an IPv6 address in an IPv4 message is refused");
	}
}

/*
 * Messages of a received datagram: a length that claims more than the
 * datagram holds, 2^31 and beyond included, ends the walk (found by the
 * cthelper fuzz target: libmnl before 1.0.5 took such a message as
 * fitting, and one near 2^32 as of length 0, a walk that never ends).
 */
static void test_msg_ok(void)
{
	static const struct {
		uint32_t nlmsg_len;
		int left;
		bool ok;
	} v[] = {
		{ 16, 16, true },	   { 20, 24, true },
		{ 15, 24, false },	   { 24, 20, false },
		{ 16, 15, false },	   { 16, -4, false },
		{ 0x7fffffff, 24, false }, { 0x80000000, 24, false },
		{ 0x80000013, 24, false }, { 0xfffffffd, 24, false },
		{ 0xffffffff, 24, false },
	};
	struct nlmsghdr buf[2] = { { 0 } }, *nlh;
	unsigned int i, n = 0;
	int left;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf[0].nlmsg_len = v[i].nlmsg_len;
		if (!tap_ok(nl_msg_ok(&buf[0], v[i].left) == v[i].ok,
			    "a message of %u bytes in %d left: %s", v[i].nlmsg_len,
			    v[i].left, v[i].ok ? "fits" : "refused"))
			tap_diag("{ %#x, %d, %s },", v[i].nlmsg_len, v[i].left,
				 v[i].ok ? "true" : "false");
	}
	buf[0].nlmsg_len = 0xffffffff;
	left = (int)sizeof(buf);
	for (nlh = buf; nl_msg_ok(nlh, left) && n < 4;
	     nlh = mnl_nlmsg_next(nlh, &left))
		n++;
	tap_ok(n == 0, "a datagram whose first message claims 2^32 - 1 bytes "
		       "holds no message");
}

int main(void)
{
	test_roundtrip();
	test_hostile();
	test_msg_ok();
	return tap_done();
}
