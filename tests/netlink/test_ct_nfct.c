// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack messages against libnetfilter_conntrack 1.0.9, the library
 * conntrack(8) prints with (linked by this test only):
 *  - thousands of generated entries, every attribute in and out, parsed and
 *    printed by both, with every text flag and event kind: the lines must be
 *    the same, byte for byte;
 *  - label files read by both name the same bits;
 *  - the dump and get requests are the bytes libnetfilter_conntrack builds
 *    (sequence number and port id aside), and parse back to what was built.
 * A failing case prints the message as a ready-to-paste C string.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include <ctalg/ct.h>

#include "internal.h"
#include "tap.h"

/* ---- a small deterministic generator ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static bool coin(unsigned int percent)
{
	return rnd() % 100 < percent;
}

static const uint8_t protos[] = { IPPROTO_TCP,
				  IPPROTO_UDP,
				  IPPROTO_UDPLITE,
				  IPPROTO_SCTP,
				  IPPROTO_DCCP,
				  IPPROTO_GRE,
				  IPPROTO_ICMP,
				  IPPROTO_ICMPV6,
				  0,
				  99,
				  255 };

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, uint8_t family,
		      uint8_t proto)
{
	/* The original tuple always has its protocol (see ctalg_ct_parse). */
	bool need_proto = type == CTA_TUPLE_ORIG;
	struct nlattr *nest, *sub;
	uint8_t a[16];
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, type);
	if (coin(95)) {
		sub = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
		for (i = 0; i < sizeof(a); i++)
			a[i] = (uint8_t)(coin(60) ? 0 : rnd());
		if (family == AF_INET) {
			mnl_attr_put(nlh, CTA_IP_V4_SRC, 4, a);
			mnl_attr_put(nlh, CTA_IP_V4_DST, 4, a + 4);
		} else {
			mnl_attr_put(nlh, CTA_IP_V6_SRC, 16, a);
			if (coin(90))
				mnl_attr_put(nlh, CTA_IP_V6_DST, 16, a);
		}
		mnl_attr_nest_end(nlh, sub);
	}
	if (need_proto || coin(95)) {
		bool v6 = proto == IPPROTO_ICMPV6;

		sub = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
		mnl_attr_put_u8(nlh, CTA_PROTO_NUM, proto);
		if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
			mnl_attr_put_u16(
			    nlh, v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID,
			    (uint16_t)rnd());
			mnl_attr_put_u8(nlh,
					v6 ? CTA_PROTO_ICMPV6_TYPE
					   : CTA_PROTO_ICMP_TYPE,
					(uint8_t)rnd());
			mnl_attr_put_u8(nlh,
					v6 ? CTA_PROTO_ICMPV6_CODE
					   : CTA_PROTO_ICMP_CODE,
					(uint8_t)rnd());
		} else if (coin(90)) {
			mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT,
					 (uint16_t)rnd());
			mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT,
					 (uint16_t)rnd());
		}
		mnl_attr_nest_end(nlh, sub);
	}
	if (coin(15))
		mnl_attr_put_u16(nlh, CTA_TUPLE_ZONE, (uint16_t)rnd());
	mnl_attr_nest_end(nlh, nest);
}

static void put_counters(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	uint64_t big = (uint64_t)rnd() << 32 | rnd();

	if (coin(90)) {
		if (coin(90))
			mnl_attr_put_u64(nlh, CTA_COUNTERS_PACKETS, htobe64(big));
		else
			mnl_attr_put_u32(nlh, CTA_COUNTERS32_PACKETS, rnd());
	}
	if (coin(90)) {
		if (coin(90))
			mnl_attr_put_u64(nlh, CTA_COUNTERS_BYTES,
					 htobe64(big >> 3));
		else
			mnl_attr_put_u32(nlh, CTA_COUNTERS32_BYTES, rnd());
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_protoinfo(struct nlmsghdr *nlh, uint8_t proto)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, CTA_PROTOINFO), *sub;
	uint8_t flags[2] = { (uint8_t)rnd(), (uint8_t)rnd() };

	/*
	 * Only the protocol's own, as the kernel sends it: libnetfilter_conntrack
	 * keeps the three in one union, so with more than one its states
	 * overwrite each other and nothing sane can be compared.
	 */
	if (proto == IPPROTO_TCP) {
		sub = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
		if (coin(95))
			mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE,
					(uint8_t)(rnd() % 13));
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, 7);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_REPLY, 9);
		mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, 2, flags);
		mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_REPLY, 2, flags);
		mnl_attr_nest_end(nlh, sub);
	}
	if (proto == IPPROTO_SCTP) {
		sub = mnl_attr_nest_start(nlh, CTA_PROTOINFO_SCTP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_SCTP_STATE,
				(uint8_t)(rnd() % 12));
		mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, rnd());
		mnl_attr_put_u32(nlh, CTA_PROTOINFO_SCTP_VTAG_REPLY, rnd());
		mnl_attr_nest_end(nlh, sub);
	}
	if (proto == IPPROTO_DCCP) {
		sub = mnl_attr_nest_start(nlh, CTA_PROTOINFO_DCCP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_STATE,
				(uint8_t)(rnd() % 12));
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_DCCP_ROLE, 1);
		mnl_attr_put_u64(nlh, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ,
				 (uint64_t)rnd() << 20);
		mnl_attr_nest_end(nlh, sub);
	}
	mnl_attr_nest_end(nlh, nest);
}

static const char *const names[] = { "ftp", "tftp", "sip", "x",
				     "helper-15-chars" };

/* One generated entry, @now being the current time in seconds. */
static struct nlmsghdr *gen_entry(char *buf, time_t now)
{
	uint8_t family = coin(50) ? AF_INET : AF_INET6;
	uint8_t proto = protos[rnd() % sizeof(protos)];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct nlattr *nest;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 |
			  (coin(20) ? IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	put_tuple(nlh, CTA_TUPLE_ORIG, family, proto);
	if (coin(95))
		put_tuple(nlh, CTA_TUPLE_REPLY, family, proto);
	if (coin(10))
		put_tuple(nlh, CTA_TUPLE_MASTER, family, IPPROTO_TCP);
	if (coin(90)) {
		uint32_t status = rnd() & 0xffff;

		/* Offload bits are rare: let ASSURED show often. */
		if (coin(80))
			status &= ~(uint32_t)(IPS_OFFLOAD | IPS_HW_OFFLOAD);
		mnl_attr_put_u32(nlh, CTA_STATUS, htonl(status));
	}
	if (coin(90))
		mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(rnd() % 500000));
	if (coin(70))
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(coin(50) ? 0 : rnd()));
	if (coin(10))
		mnl_attr_put_u32(nlh, CTA_SECMARK, htonl(rnd()));
	if (coin(80))
		mnl_attr_put_u32(nlh, CTA_USE, htonl(rnd() % 5));
	if (coin(90))
		mnl_attr_put_u32(nlh, CTA_ID, htonl(rnd()));
	if (coin(15))
		mnl_attr_put_u16(nlh, CTA_ZONE, htons((uint16_t)rnd()));
	if (coin(80))
		put_protoinfo(nlh, proto);
	if (coin(50))
		put_counters(nlh, CTA_COUNTERS_ORIG);
	if (coin(50))
		put_counters(nlh, CTA_COUNTERS_REPLY);
	if (coin(40)) {
		/* Starts before now, sometimes after (a skewed clock). */
		uint64_t start = (uint64_t)(now - (time_t)(rnd() % 100000) +
					    (coin(5) ? 200000 : 0)) *
				     1000000000ULL +
				 rnd() % 1000000000U;

		nest = mnl_attr_nest_start(nlh, CTA_TIMESTAMP);
		if (coin(90))
			mnl_attr_put_u64(nlh, CTA_TIMESTAMP_START,
					 htobe64(start));
		if (coin(40))
			mnl_attr_put_u64(nlh, CTA_TIMESTAMP_STOP,
					 htobe64(start + (uint64_t)rnd() * 1000));
		mnl_attr_nest_end(nlh, nest);
	}
	if (coin(20)) {
		nest = mnl_attr_nest_start(nlh, CTA_HELP);
		mnl_attr_put_strz(nlh, CTA_HELP_NAME,
				  names[rnd() % ARRAY_SIZE(names)]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (coin(10)) {
		nest = mnl_attr_nest_start(nlh, CTA_SECCTX);
		mnl_attr_put_strz(nlh, CTA_SECCTX_NAME,
				  "system_u:object_r:ssh_t:s0");
		mnl_attr_nest_end(nlh, nest);
	}
	if (coin(40)) {
		uint8_t labels[16] = { 0 };
		unsigned int i, n = coin(80) ? 16 : 4 + 4 * (rnd() % 3);

		for (i = 0; i < n; i++)
			labels[i] = coin(70) ? 0 : (uint8_t)rnd();
		mnl_attr_put(nlh, CTA_LABELS, n, labels);
	}
	/* An attribute from a newer kernel, skipped by both. */
	if (coin(10))
		mnl_attr_put_u32(nlh, CTA_MAX + 5, 1);
	return nlh;
}

static const struct {
	unsigned int ctalg;
	unsigned int nfct;
} flag_sets[] = {
	{ 0, 0 },
	{ CTALG_PRINT_EXTENDED, NFCT_OF_SHOW_LAYER3 },
	{ CTALG_PRINT_ID, NFCT_OF_ID },
	{ CTALG_PRINT_KTIMESTAMP, NFCT_OF_TIMESTAMP },
	{ CTALG_PRINT_EXTENDED | CTALG_PRINT_ID | CTALG_PRINT_KTIMESTAMP,
	  NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID | NFCT_OF_TIMESTAMP },
};

static const struct {
	enum ctalg_event ctalg;
	unsigned int nfct;
} events[] = {
	{ CTALG_EVENT_NONE, NFCT_T_UNKNOWN },
	{ CTALG_EVENT_NEW, NFCT_T_NEW },
	{ CTALG_EVENT_UPDATE, NFCT_T_UPDATE },
	{ CTALG_EVENT_DESTROY, NFCT_T_DESTROY },
};

static const char labels_conf[] = "# test labels\n"
				  "0 zero\n"
				  "1\tone  \n"
				  "5 five\n"
				  "0x10 sixteen\n"
				  "010 eight\n"
				  "33 thirty-three\n"
				  "64 sixty four\n"
				  "100 bad;name\n"
				  "101 five\n"
				  "127 last\n";

/*
 * Print one message with both libraries, every flag set and event kind;
 * returns the number of mismatches.
 */
static unsigned int compare_one(const struct nlmsghdr *nlh,
				struct nfct_labelmap *nmap,
				const struct ctalg_labelmap *cmap)
{
	char a[8192], b[8192];
	struct nf_conntrack *nct;
	struct ctalg_ct ct;
	unsigned int bad = 0;
	size_t f, e;

	if (ctalg_ct_parse(nlh, &ct) < 0) {
		tap_diag("ctalg_ct_parse refused a valid message: %s",
			 strerror(errno));
		tap_diag_bytes("message", nlh, nlh->nlmsg_len);
		return 1;
	}
	nct = nfct_new();
	if (!nct || nfct_nlmsg_parse(nlh, nct) < 0) {
		tap_diag("libnetfilter_conntrack could not parse");
		nfct_destroy(nct);
		return 1;
	}
	for (f = 0; f < ARRAY_SIZE(flag_sets); f++) {
		for (e = 0; e < ARRAY_SIZE(events); e++) {
			struct ct_clock now;
			int la, lb;

			/* Both read time(2) in the same second, or retry. */
			do {
				now.sec = time(NULL);
				la = ct_snprintf_at(
				    a, sizeof(a), &ct, events[e].ctalg,
				    flag_sets[f].ctalg, cmap, &now);
				lb = nfct_snprintf_labels(
				    b, sizeof(b), nct, events[e].nfct,
				    NFCT_O_DEFAULT, flag_sets[f].nfct, nmap);
			} while (now.sec != time(NULL));
			if (la != lb || strcmp(a, b) != 0) {
				if (bad++ == 0) {
					tap_diag("lengths %d %d", la, lb);
					tap_diag("flags %u event %d",
						 flag_sets[f].ctalg,
						 events[e].ctalg);
					tap_diag("ctalg: %s", a);
					tap_diag("nfct:  %s", b);
					tap_diag_bytes("message", nlh,
						       nlh->nlmsg_len);
				}
			}
		}
	}
	nfct_destroy(nct);
	return bad;
}

static void test_print_generated(void)
{
	char path[] = "/tmp/ctalg-labels-XXXXXX";
	static char buf[CTALG_NL_RECV_SIZE];
	struct nfct_labelmap *nmap;
	struct ctalg_labelmap *cmap;
	unsigned int i, bad = 0, with_map = 0;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || write(fd, labels_conf, strlen(labels_conf)) < 0) {
		tap_ok(false, "temporary label file: %s", strerror(errno));
		return;
	}
	close(fd);
	nmap = nfct_labelmap_new(path);
	cmap = ctalg_labelmap_new(path);
	unlink(path);
	tap_ok(nmap && cmap, "both read the label file");
	for (i = 0; i < 4000 && bad < 5; i++) {
		const struct nlmsghdr *nlh = gen_entry(buf, time(NULL));
		bool map = i % 2;

		bad += compare_one(nlh, map ? nmap : NULL, map ? cmap : NULL);
		with_map += map;
	}
	tap_ok(bad == 0,
	       "%u generated entries (%u with label names) print as "
	       "libnetfilter_conntrack prints them, every flag and event",
	       i, with_map);
	nfct_labelmap_destroy(nmap);
	ctalg_labelmap_free(cmap);
}

/* Label files, hostile lines included: both name the same bits. */
static void test_labelmaps(void)
{
	static const char *const files[] = {
		labels_conf,
		"",
		"# only comments\n",
		"  7   spaced out  \r\n",
		"-0 minus-zero\n-3 minus\n+4 plus\n",
		"0x x-after-zero\n08 eight-octal\n0xfff too-big\n1023 top\n"
		"1024 over\n",
		"99999999999999999999999 overflow\n2 two\n2 again\n3 two\n",
		"4\n5 \n6\t\t\n",
		"9 a-very-long-label-name-that-goes-on-and-on-and-on-and-on\n",
		"12 name\twith tab\n13 ok name\n",
		"\n\n 1 lead\n\v2 vt\n",
	};
	char path[] = "/tmp/ctalg-labels-XXXXXX";
	unsigned int f, bit, bad = 0;

	for (f = 0; f < ARRAY_SIZE(files); f++) {
		struct nfct_labelmap *nmap;
		struct ctalg_labelmap *cmap;
		int fd, nerr, cerr;

		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
		fd = mkstemp(path);
		if (fd < 0 || write(fd, files[f], strlen(files[f])) !=
				  (ssize_t)strlen(files[f])) {
			bad++;
			continue;
		}
		close(fd);
		errno = 0;
		nmap = nfct_labelmap_new(path);
		nerr = errno;
		errno = 0;
		cmap = ctalg_labelmap_new(path);
		cerr = errno;
		unlink(path);
		if (!nmap != !cmap || (!nmap && nerr != cerr)) {
			tap_diag("file %u: nfct %p (%d), ctalg %p (%d)", f,
				 (void *)nmap, nerr, (void *)cmap, cerr);
			bad++;
		}
		for (bit = 0; nmap && cmap && bit < 1100; bit++) {
			const char *n = nfct_labelmap_get_name(nmap, bit);
			const char *c = ctalg_labelmap_name(cmap, bit);

			if (n && !n[0])
				n = NULL;
			if (!n != !c || (n && strcmp(n, c))) {
				tap_diag(
				    "file %u bit %u: nfct \"%s\" ctalg \"%s\"",
				    f, bit, n ? n : "(none)", c ? c : "(none)");
				bad++;
			}
		}
		if (nmap)
			nfct_labelmap_destroy(nmap);
		ctalg_labelmap_free(cmap);
	}
	tap_ok(bad == 0, "%zu label files name the same bits in both",
	       ARRAY_SIZE(files));
	errno = 0;
	tap_ok(!ctalg_labelmap_new("/nonexistent/connlabel.conf") &&
		   errno == ENOENT,
	       "a missing label file is ENOENT");
}

/* ---- requests ---- */

/* Compare two requests, sequence number and port id aside. */
static bool same_request(struct nlmsghdr *a, struct nlmsghdr *b, const char *what)
{
	a->nlmsg_seq = b->nlmsg_seq = 0;
	a->nlmsg_pid = b->nlmsg_pid = 0;
	if (tap_ok(a->nlmsg_len == b->nlmsg_len && memcmp(a, b, a->nlmsg_len) == 0,
		   "%s: the bytes libnetfilter_conntrack builds", what))
		return true;
	tap_diag_bytes("ctalg", a, a->nlmsg_len);
	tap_diag_bytes("nfct ", b, b->nlmsg_len);
	return false;
}

static struct nlmsghdr *nfct_header(char *buf, uint8_t type, uint16_t flags,
				    uint8_t family)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	/* libmnl 1.0.4 does not clear attribute padding. */
	memset(buf, 0, CTALG_NL_MSG_SIZE);
	nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	return nlh;
}

static void test_dump_request(void)
{
	static const uint8_t families[] = { AF_UNSPEC, AF_INET, AF_INET6 };
	char a[CTALG_NL_MSG_SIZE], b[CTALG_NL_MSG_SIZE], what[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		struct nfct_filter_dump *fd = nfct_filter_dump_create();
		struct nlmsghdr *x, *y;

		/* conntrack -L: the family as a dump filter. */
		y = nfct_header(b, IPCTNL_MSG_CT_GET, NLM_F_DUMP, families[i]);
		nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM,
					     families[i]);
		nfct_nlmsg_build_filter(y, fd);
		nfct_filter_dump_destroy(fd);
		x = ctalg_ct_dump_request(a, sizeof(a), families[i]);
		snprintf(what, sizeof(what), "dump request, family %u",
			 families[i]);
		if (!x) {
			tap_ok(false, "%s: %s", what, strerror(errno));
			continue;
		}
		same_request(x, y, what);
	}
	errno = 0;
	tap_ok(!ctalg_ct_dump_request(a, sizeof(a), AF_BRIDGE) &&
		   errno == EAFNOSUPPORT,
	       "dump request: another family is EAFNOSUPPORT");
	errno = 0;
	tap_ok(!ctalg_ct_dump_request(a, 100, AF_INET) && errno == ENOSPC,
	       "dump request: a small buffer is ENOSPC");
}

struct get_case {
	const char *what;
	uint8_t family;
	uint8_t proto;
	const char *src, *dst;
	uint16_t sport, dport; /* or type, code for ICMP */
	uint16_t id;
	int zone;
};

static const struct get_case get_cases[] = {
	{ "tcp ipv4", AF_INET, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 40000, 21,
	  0, -1 },
	{ "udp ipv6 zone 7", AF_INET6, IPPROTO_UDP, "2001:db8::1", "::1", 53,
	  5353, 0, 7 },
	{ "icmp ipv4", AF_INET, IPPROTO_ICMP, "127.0.0.1", "127.0.0.2", 8, 0,
	  4242, -1 },
	{ "icmpv6", AF_INET6, IPPROTO_ICMPV6, "fe80::1", "fe80::2", 128, 0, 77,
	  65535 },
	{ "sctp ipv4", AF_INET, IPPROTO_SCTP, "192.0.2.1", "198.51.100.7", 1,
	  65535, 0, 0 },
	{ "gre ipv4", AF_INET, IPPROTO_GRE, "192.0.2.1", "192.0.2.2", 0x1234,
	  0xabcd, 0, -1 },
	{ "dccp ipv6", AF_INET6, IPPROTO_DCCP, "2001:db8::a", "2001:db8::b",
	  5000, 6000, 0, -1 },
	{ "udplite ipv4", AF_INET, IPPROTO_UDPLITE, "10.1.1.1", "10.1.1.2", 1,
	  2, 0, -1 },
};

static void get_tuple(const struct get_case *c, struct ctalg_tuple *t,
		      struct nf_conntrack *nct)
{
	bool icmp = c->proto == IPPROTO_ICMP || c->proto == IPPROTO_ICMPV6;

	memset(t, 0, sizeof(*t));
	t->family = c->family;
	t->l4proto = c->proto;
	inet_pton(c->family, c->src, t->src.b);
	inet_pton(c->family, c->dst, t->dst.b);
	t->set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO;
	if (icmp) {
		t->icmp_type = (uint8_t)c->sport;
		t->icmp_code = (uint8_t)c->dport;
		t->icmp_id = c->id;
		t->set |= CTALG_TUPLE_ICMP_TYPE | CTALG_TUPLE_ICMP_CODE |
			  CTALG_TUPLE_ICMP_ID;
	} else {
		t->sport = c->sport;
		t->dport = c->dport;
		t->set |= CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
	}

	if (!nct)
		return;
	/* What conntrack -G sets: the family, addresses, protocol and ids. */
	nfct_set_attr_u8(nct, ATTR_L3PROTO, c->family);
	if (c->family == AF_INET) {
		nfct_set_attr(nct, ATTR_IPV4_SRC, t->src.b);
		nfct_set_attr(nct, ATTR_IPV4_DST, t->dst.b);
	} else {
		nfct_set_attr(nct, ATTR_IPV6_SRC, t->src.b);
		nfct_set_attr(nct, ATTR_IPV6_DST, t->dst.b);
	}
	nfct_set_attr_u8(nct, ATTR_L4PROTO, c->proto);
	if (icmp) {
		nfct_set_attr_u8(nct, ATTR_ICMP_TYPE, t->icmp_type);
		nfct_set_attr_u8(nct, ATTR_ICMP_CODE, t->icmp_code);
		nfct_set_attr_u16(nct, ATTR_ICMP_ID, htons(c->id));
	} else {
		nfct_set_attr_u16(nct, ATTR_PORT_SRC, htons(c->sport));
		nfct_set_attr_u16(nct, ATTR_PORT_DST, htons(c->dport));
	}
	if (c->zone >= 0)
		nfct_set_attr_u16(nct, ATTR_ZONE, (uint16_t)c->zone);
}

static const struct attr_policy get_pol[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = { ATTR_NEST },
	[CTA_ZONE] = { ATTR_U16 },
};

static void test_get_request(void)
{
	char a[CTALG_NL_MSG_SIZE], b[CTALG_NL_MSG_SIZE], what[96];
	struct ctalg_tuple t, bad;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(get_cases); i++) {
		const struct get_case *c = &get_cases[i];
		struct nf_conntrack *nct = nfct_new();
		struct nlmsghdr *x, *y;
		const struct nlattr *tb[CTA_MAX + 1];
		struct ctalg_tuple back;

		get_tuple(c, &t, nct);
		y = nfct_header(b, IPCTNL_MSG_CT_GET, 0, c->family);
		nfct_nlmsg_build(y, nct);
		nfct_destroy(nct);
		x = ctalg_ct_get_request(a, sizeof(a), &t, c->zone);
		snprintf(what, sizeof(what), "get request, %s", c->what);
		if (!x) {
			tap_ok(false, "%s: %s", what, strerror(errno));
			continue;
		}
		same_request(x, y, what);

		/* Build, parse back, compare. */
		if (attr_parse_msg(x, get_pol, CTA_MAX, tb) < 0 ||
		    !tb[CTA_TUPLE_ORIG] ||
		    tuple_parse(tb[CTA_TUPLE_ORIG], c->family, &back) < 0) {
			tap_ok(false, "%s parses back", what);
			continue;
		}
		tap_ok(memcmp(&back, &t, sizeof(t)) == 0 &&
			   (c->zone < 0
				? !tb[CTA_ZONE]
				: tb[CTA_ZONE] && ntohs(mnl_attr_get_u16(
						      tb[CTA_ZONE])) == c->zone),
		       "%s parses back to the tuple and zone built", what);
	}

	get_tuple(&get_cases[0], &t, NULL);
	bad = t;
	bad.set &= (uint16_t)~CTALG_TUPLE_DPORT;
	errno = 0;
	tap_ok(!ctalg_ct_get_request(a, sizeof(a), &bad, -1) && errno == EINVAL,
	       "get request without a port is EINVAL");
	errno = 0;
	tap_ok(!ctalg_ct_get_request(a, sizeof(a), &t, 65536) && errno == EINVAL,
	       "get request with zone 65536 is EINVAL");
	bad = t;
	bad.family = AF_UNSPEC;
	errno = 0;
	tap_ok(!ctalg_ct_get_request(a, sizeof(a), &bad, -1) &&
		   errno == EAFNOSUPPORT,
	       "get request of family 0 is EAFNOSUPPORT");
	errno = 0;
	tap_ok(!ctalg_ct_get_request(a, 64, &t, -1) && errno == ENOSPC,
	       "get request: a small buffer is ENOSPC");
}

int main(void)
{
	/* ctime(3) and our own calendar must agree on the zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	test_print_generated();
	test_labelmaps();
	test_dump_request();
	test_get_request();
	return tap_done();
}
