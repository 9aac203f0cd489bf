// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expectation messages that must be refused (or, for a few, accepted):
 * table-driven byte vectors, then every byte of every recorded kernel
 * message overwritten in turn, which must parse or be refused, never read
 * out of bounds (the messages are copied into exact-size allocations so
 * that a sanitizer sees an over-read).
 */
#include <errno.h>
#include <stdio.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctalg/expect.h>

#include "internal.h"
#include "tap.h"

#define EXP_NEW (NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW)

struct vector {
	const char *name;
	uint16_t type;
	uint8_t family;
	const char *attrs; /* after the nfgenmsg */
	size_t len;
	int want; /* 0, or the errno */
};

#define V(name, type, family, attrs, want)                         \
	{                                                          \
		name, type, family, attrs, sizeof(attrs) - 1, want \
	}

static const struct vector vectors[] = {
	V("no attributes", EXP_NEW, AF_INET, "", 0),
	V("a conntrack message (subsystem 1)", 0x0100, AF_INET, "", EBADMSG),
	V("the per-cpu statistics message (3)", 0x0203, AF_INET, "", EBADMSG),
	/* len 6, CTA_EXPECT_TIMEOUT, 2 bytes of payload, padding */
	V("a 2-byte timeout", EXP_NEW, AF_INET,
	  "\x06\x00\x04\x00\x00\x01\x00\x00", EBADMSG),
	/* len 32 but 8 bytes left */
	V("an attribute longer than the message", EXP_NEW, AF_INET,
	  "\x20\x00\x04\x00\x00\x00\x01\x00", EBADMSG),
	/* len 2: shorter than its own header */
	V("an attribute shorter than its header", EXP_NEW, AF_INET,
	  "\x02\x00\x04\x00", EBADMSG),
	/* a good timeout, then 4 bytes that are not an attribute */
	V("bytes after the last attribute", EXP_NEW, AF_INET,
	  "\x08\x00\x04\x00\x00\x00\x01\x2c\x03\x00\x00\x00", EBADMSG),
	/* CTA_EXPECT_HELP_NAME "ftp!" without a NUL */
	V("a helper name without NUL", EXP_NEW, AF_INET,
	  "\x08\x00\x06\x00"
	  "ftp!",
	  EBADMSG),
	/* CTA_EXPECT_HELP_NAME of 16 characters (the kernel allows 15) */
	V("a 16-character helper name", EXP_NEW, AF_INET,
	  "\x15\x00\x06\x00"
	  "0123456789abcdef\x00\x00\x00\x00",
	  EBADMSG),
	/* CTA_EXPECT_HELP_NAME of 15 characters */
	V("a 15-character helper name", EXP_NEW, AF_INET,
	  "\x14\x00\x06\x00"
	  "0123456789abcde\x00",
	  0),
	/* CTA_EXPECT_FN of 32 characters */
	V("a 32-character expectfn", EXP_NEW, AF_INET,
	  "\x25\x00\x0b\x00"
	  "0123456789abcdef0123456789abcdef\x00\x00\x00\x00",
	  EBADMSG),
	/* CTA_EXPECT_TUPLE { CTA_TUPLE_IP { CTA_IP_V6_SRC ::1 } } */
	V("an IPv6 address in an IPv4 message", EXP_NEW, AF_INET,
	  "\x1c\x00\x02\x80\x18\x00\x01\x80\x14\x00\x03\x00"
	  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
	  EBADMSG),
	/* the same in an IPv6 message */
	V("an IPv6 address in an IPv6 message", EXP_NEW, AF_INET6,
	  "\x1c\x00\x02\x80\x18\x00\x01\x80\x14\x00\x03\x00"
	  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
	  0),
	/* CTA_EXPECT_TUPLE { CTA_TUPLE_IP { CTA_IP_V4_SRC of 3 bytes } } */
	V("a 3-byte IPv4 address", EXP_NEW, AF_INET,
	  "\x10\x00\x02\x80\x0c\x00\x01\x80\x07\x00\x01\x00\x7f\x00\x00\x00",
	  EBADMSG),
	/* CTA_EXPECT_TUPLE { CTA_TUPLE_IP { CTA_IP_V4_SRC } } in family 7 */
	V("an address in family 7", EXP_NEW, 7,
	  "\x10\x00\x02\x80\x0c\x00\x01\x80\x08\x00\x01\x00\x7f\x00\x00\x01",
	  EBADMSG),
	/* CTA_EXPECT_MASK { CTA_TUPLE_PROTO { CTA_PROTO_SRC_PORT, 1 byte } } */
	V("a 1-byte port", EXP_NEW, AF_INET,
	  "\x10\x00\x03\x80\x0c\x00\x02\x80\x05\x00\x02\x00\xff\x00\x00\x00",
	  EBADMSG),
	/* CTA_EXPECT_ZONE of 1 byte */
	V("a 1-byte zone", EXP_NEW, AF_INET, "\x05\x00\x07\x00\x01\x00\x00\x00",
	  EBADMSG),
	/* CTA_EXPECT_NAT { CTA_EXPECT_NAT_TUPLE {} } */
	V("NAT without a direction", EXP_NEW, AF_INET,
	  "\x08\x00\x0a\x80\x04\x00\x02\x80", EBADMSG),
	/* CTA_EXPECT_NAT { CTA_EXPECT_NAT_DIR 2, CTA_EXPECT_NAT_TUPLE {} } */
	V("NAT direction 2", EXP_NEW, AF_INET,
	  "\x10\x00\x0a\x80\x08\x00\x01\x00\x00\x00\x00\x02\x04\x00\x02\x80",
	  EBADMSG),
	/* CTA_EXPECT_NAT { CTA_EXPECT_NAT_DIR 1, CTA_EXPECT_NAT_TUPLE {} } */
	V("NAT direction 1, empty tuple", EXP_NEW, AF_INET,
	  "\x10\x00\x0a\x80\x08\x00\x01\x00\x00\x00\x00\x01\x04\x00\x02\x80", 0),
	/* a nest whose payload is 2 bytes: not even an attribute header */
	V("a nest of 2 bytes", EXP_NEW, AF_INET,
	  "\x06\x00\x02\x80\x00\x00\x00\x00", EBADMSG),
	/* attribute type 200, unknown: skipped */
	V("an unknown attribute", EXP_NEW, AF_INET,
	  "\x08\x00\xc8\x00\xde\xad\xbe\xef", 0),
	/* CTA_EXPECT_ID twice: the last one counts, as in the kernel */
	V("a repeated attribute", EXP_NEW, AF_INET,
	  "\x08\x00\x05\x00\x00\x00\x00\x01\x08\x00\x05\x00\x00\x00\x00\x02", 0),
};

static void test_vectors(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct vector *v = &vectors[i];
		size_t len = NLMSG_HDRLEN + sizeof(struct nfgenmsg) + v->len;
		struct nlmsghdr *nlh = calloc(1, len);
		struct nfgenmsg *nfg;
		struct ctalg_expect exp;
		int ret, err;

		nlh->nlmsg_len = (uint32_t)len;
		nlh->nlmsg_type = v->type;
		nfg = mnl_nlmsg_get_payload(nlh);
		nfg->nfgen_family = v->family;
		memcpy(nfg + 1, v->attrs, v->len);
		errno = 0;
		ret = ctalg_exp_parse(nlh, &exp);
		err = ret < 0 ? errno : 0;
		if (!tap_ok(err == v->want, "%s: %s", v->name,
			    v->want ? strerror(v->want) : "accepted")) {
			tap_diag("got %s", err ? strerror(err) : "accepted");
			tap_diag_bytes("attributes", v->attrs, v->len);
		}
		free(nlh);
	}
}

static void test_values(void)
{
	/* The accepted vectors hold what they say. */
	char buf[64] = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ctalg_expect exp;

	nlh->nlmsg_len = NLMSG_HDRLEN + 4 + 16;
	nlh->nlmsg_type = EXP_NEW;
	((struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family = AF_INET;
	memcpy(
	    buf + NLMSG_HDRLEN + 4,
	    "\x08\x00\x05\x00\x00\x00\x00\x01\x08\x00\x05\x00\x00\x00\x00\x02",
	    16);
	tap_ok(ctalg_exp_parse(nlh, &exp) == 0 && exp.set == CTALG_EXP_ID &&
		   exp.id == 2,
	       "a repeated attribute: the last one");

	/* Too short for its own header, though the buffer is larger. */
	nlh->nlmsg_len = 8;
	errno = 0;
	tap_ok(ctalg_exp_parse(nlh, &exp) < 0 && errno == EBADMSG,
	       "a length shorter than the netlink header: EBADMSG");
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	errno = 0;
	tap_ok(ctalg_exp_parse(nlh, &exp) < 0 && errno == EBADMSG,
	       "a cut nfgenmsg: EBADMSG");
}

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("SRCDIR");
	static char data[65536];
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/%s", dir ? dir : ".", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	*len = fread(data, 1, sizeof(data), f);
	fclose(f);
	return data;
}

/*
 * Each byte of each recorded message overwritten with 0x00, 0x7f and
 * 0xff (the length fields included): parse, and print what parses.
 */
static void test_sweep(const char *file)
{
	static const uint8_t values[] = { 0x00, 0x7f, 0xff };
	const struct nlmsghdr *m;
	unsigned long tries = 0, parsed = 0;
	size_t len = 0;
	char *data = slurp(file, &len);
	int left = (int)len;

	if (!tap_ok(data != NULL, "%s is there", file))
		return;
	for (m = (const struct nlmsghdr *)data; mnl_nlmsg_ok(m, left);
	     m = mnl_nlmsg_next(m, &left)) {
		size_t n = m->nlmsg_len, i, k;

		for (i = 0; i < n; i++) {
			for (k = 0; k < ARRAY_SIZE(values); k++) {
				struct nlmsghdr *c = malloc(n);
				struct ctalg_expect exp;
				char out[2048];

				memcpy(c, m, n);
				((uint8_t *)c)[i] = values[k];
				/* A length field may now claim more. */
				if (c->nlmsg_len > n)
					c->nlmsg_len = (uint32_t)n;
				tries++;
				if (ctalg_exp_parse(c, &exp) == 0) {
					parsed++;
					ctalg_exp_snprintf(out, sizeof(out), &exp,
							   CTALG_EVENT_NEW, 0);
					ctalg_exp_snprintf(out, sizeof(out),
							   &exp, CTALG_EVENT_NEW,
							   CTALG_PRINT_JSON);
				}
				free(c);
			}
		}
	}
	tap_ok(tries > 0 && parsed > 0 && parsed < tries,
	       "%s: %lu altered messages, %lu parsed, none crashed", file,
	       tries, parsed);
}

int main(void)
{
	test_vectors();
	test_values();
	test_sweep("exp_dump_ipv4.nl");
	test_sweep("exp_dump_ipv6.nl");
	test_sweep("exp_events.nl");
	return tap_done();
}
