// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The expectation printer against conntrack(8): messages recorded from the
 * kernel (tests/data/exp_*.nl, by tests/tools/exp-record) printed by the
 * library must give, line for line, what conntrack(8) 1.4.7 printed for
 * the same kernel state (tests/data/exp_*.txt). Then the edges of the
 * format that the recordings do not reach, and JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctalg/expect.h>

#include "internal.h"
#include "tap.h"

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("SRCDIR");
	char path[4096];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/%s", dir ? dir : ".", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* The next line of @*p (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return line;
}

/* Each recorded message against the next line of conntrack(8)'s output. */
static void golden(const char *base, bool events)
{
	char nlname[256], txtname[256];
	size_t nllen = 0, txtlen = 0;
	char *nl, *txt, *line, *rest;
	const struct nlmsghdr *nlh;
	unsigned int count = 0, good = 0;
	int left;

	snprintf(nlname, sizeof(nlname), "%s.nl", base);
	snprintf(txtname, sizeof(txtname), "%s.txt", base);
	nl = slurp(nlname, &nllen);
	txt = slurp(txtname, &txtlen);
	if (!tap_ok(nl && txt, "%s: recording and conntrack output are there",
		    base))
		goto out;
	rest = txt;
	line = next_line(&rest);
	left = (int)nllen;
	for (nlh = (const struct nlmsghdr *)nl; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		struct ctalg_expect exp;
		char got[1024];

		count++;
		if (ctalg_exp_parse(nlh, &exp) < 0) {
			tap_ok(false, "%s #%u parses", base, count);
			continue;
		}
		ctalg_exp_snprintf(
		    got, sizeof(got), &exp,
		    events ? ctalg_exp_event(nlh) : CTALG_EVENT_NONE, 0);
		if (tap_eq_str(got, line ? line : "(no line)",
			       "%s #%u is conntrack's line", base, count))
			good++;
		line = next_line(&rest);
	}
	tap_ok(left == 0 && !line && count > 0,
	       "%s: %u messages, no line left over", base, count);
out:
	free(nl);
	free(txt);
}

/* A message of the given attributes, built with libmnl, then printed. */
struct msg {
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;
};

static void msg_start(struct msg *m, uint8_t family, uint16_t type, uint16_t flags)
{
	m->nlh = ctalg_nl_msg(m->buf, sizeof(m->buf), NFNL_SUBSYS_CTNETLINK_EXP,
			      (uint8_t)type, flags, family, 0);
}

static void put_tuple(struct msg *m, uint16_t type, uint8_t family,
		      uint8_t proto, const char *src, const char *dst,
		      uint16_t sport, uint16_t dport)
{
	struct ctalg_tuple t = { .family = family, .l4proto = proto };

	t.set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO;
	inet_pton(family, src, t.src.b);
	inet_pton(family, dst, t.dst.b);
	if (proto == IPPROTO_ICMP) {
		t.set |= CTALG_TUPLE_ICMP_ID | CTALG_TUPLE_ICMP_TYPE |
			 CTALG_TUPLE_ICMP_CODE;
		t.icmp_type = 8;
		t.icmp_id = sport;
	} else if (proto != 99) {
		t.set |= CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
		t.sport = sport;
		t.dport = dport;
	}
	tuple_put(m->nlh, type, &t);
}

static const char *print_msg(struct msg *m, enum ctalg_event ev,
			     unsigned int flags)
{
	static char out[2048];
	struct ctalg_expect exp;

	if (ctalg_exp_parse(m->nlh, &exp) < 0)
		return "(parse error)";
	ctalg_exp_snprintf(out, sizeof(out), &exp, ev, flags);
	return out;
}

static void three_tuples(struct msg *m, uint8_t proto)
{
	put_tuple(m, CTA_EXPECT_TUPLE, AF_INET, proto, "192.0.2.1",
		  "198.51.100.2", 0, 2000);
	put_tuple(m, CTA_EXPECT_MASK, AF_INET, proto, "255.255.255.0",
		  "255.255.255.255", 0, 0xffff);
	put_tuple(m, CTA_EXPECT_MASTER, AF_INET, IPPROTO_TCP, "192.0.2.1",
		  "198.51.100.2", 40000, 21);
}

/* What the recordings cannot show: attributes the kernel never sends. */
static void test_edges(void)
{
	struct msg m;

	msg_start(&m, AF_INET, IPCTNL_MSG_EXP_NEW, 0);
	three_tuples(&m, IPPROTO_TCP);
	mnl_attr_put_u16(m.nlh, CTA_EXPECT_ZONE, htons(7));
	mnl_attr_put_u32(m.nlh, CTA_EXPECT_FLAGS, htonl(0x7));
	tap_eq_str(print_msg(&m, CTALG_EVENT_UPDATE, 0),
		   " [UPDATE] proto=6 src=192.0.2.1 dst=198.51.100.2 sport=0 "
		   "dport=2000 mask-src=255.255.255.0 mask-dst=255.255.255.255 "
		   "sport=0 dport=65535 master-src=192.0.2.1 "
		   "master-dst=198.51.100.2 sport=40000 dport=21 zone=7 "
		   "PERMANENT,INACTIVE,USERSPACE",
		   "no timeout, zone, all flags, no class, no helper");

	/* An unknown flag alone still gets the separating space. */
	msg_start(&m, AF_INET, IPCTNL_MSG_EXP_DELETE, 0);
	three_tuples(&m, 99);
	mnl_attr_put_u32(m.nlh, CTA_EXPECT_TIMEOUT, htonl(5));
	mnl_attr_put_u32(m.nlh, CTA_EXPECT_FLAGS, htonl(0x8));
	mnl_attr_put_u32(m.nlh, CTA_EXPECT_CLASS, htonl(2));
	tap_eq_str(print_msg(&m, CTALG_EVENT_DESTROY, 0),
		   "[DESTROY] 5 proto=99 src=192.0.2.1 dst=198.51.100.2 "
		   "mask-src=255.255.255.0 mask-dst=255.255.255.255 "
		   "master-src=192.0.2.1 master-dst=198.51.100.2 sport=40000 "
		   "dport=21  class=2",
		   "a protocol without ports, an unknown flag: two spaces");

	msg_start(&m, AF_INET, IPCTNL_MSG_EXP_NEW, NLM_F_CREATE);
	three_tuples(&m, IPPROTO_ICMP);
	tap_eq_str(print_msg(&m, CTALG_EVENT_NEW, 0),
		   "    [NEW] proto=1 src=192.0.2.1 dst=198.51.100.2 type=8 "
		   "code=0 id=0 mask-src=255.255.255.0 "
		   "mask-dst=255.255.255.255 type=8 code=0 id=0 "
		   "master-src=192.0.2.1 master-dst=198.51.100.2 sport=40000 "
		   "dport=21",
		   "icmp tuples");

	/* Absent tuples are not printed. */
	msg_start(&m, AF_INET6, IPCTNL_MSG_EXP_NEW, 0);
	mnl_attr_put_strz(m.nlh, CTA_EXPECT_HELP_NAME, "x");
	tap_eq_str(print_msg(&m, CTALG_EVENT_NONE, 0), "proto=0 helper=x",
		   "no tuples at all");
}

static void test_truncation(void)
{
	struct ctalg_expect exp;
	char full[1024], small[20];
	struct msg m;
	int n, k;

	msg_start(&m, AF_INET, IPCTNL_MSG_EXP_NEW, 0);
	three_tuples(&m, IPPROTO_UDP);
	ctalg_exp_parse(m.nlh, &exp);
	n = ctalg_exp_snprintf(full, sizeof(full), &exp, CTALG_EVENT_NONE, 0);
	k = ctalg_exp_snprintf(small, sizeof(small), &exp, CTALG_EVENT_NONE, 0);
	tap_ok(n == k && (size_t)n == strlen(full) &&
		   !strncmp(full, small, sizeof(small) - 1) &&
		   strlen(small) == sizeof(small) - 1,
	       "a short buffer: cut, terminated, full length returned");

	/*
	 * A line that ends in the helper's name, cut at every length: each
	 * call returns the whole length, so a buffer of that length plus one
	 * holds the whole line (found by the expect fuzz target).
	 */
	mnl_attr_put_strz(m.nlh, CTA_EXPECT_HELP_NAME, "ftp");
	ctalg_exp_parse(m.nlh, &exp);
	n = ctalg_exp_snprintf(full, sizeof(full), &exp, CTALG_EVENT_NONE, 0);
	for (k = 0; k <= n + 1; k++) {
		char *cut = malloc((size_t)k + 1);

		if (ctalg_exp_snprintf(k ? cut : NULL, (size_t)k, &exp,
				       CTALG_EVENT_NONE, 0) != n) {
			free(cut);
			break;
		}
		free(cut);
	}
	if (!tap_ok(k == n + 2 && !strcmp(full + n - 10, "helper=ftp"),
		    "a line ending in the helper: the whole length returned "
		    "at every buffer size"))
		tap_diag("buffer of %d bytes: another length than %d", k, n);
	k = ctalg_exp_snprintf(NULL, 0, &exp, CTALG_EVENT_NONE, CTALG_PRINT_JSON);
	n = ctalg_exp_snprintf(full, sizeof(full), &exp, CTALG_EVENT_NONE,
			       CTALG_PRINT_JSON);
	tap_ok(k == n && (size_t)n == strlen(full),
	       "no buffer: JSON length only");
}

/* conntrack -o timestamp: "[%-8ld.%-6ld]\t" before the line. */
static void test_timestamp(void)
{
	struct ctalg_expect exp;
	char out[1024], plain[1024];
	struct msg m;
	bool ok;
	size_t i;

	msg_start(&m, AF_INET, IPCTNL_MSG_EXP_DELETE, 0);
	three_tuples(&m, IPPROTO_TCP);
	ctalg_exp_parse(m.nlh, &exp);
	ctalg_exp_snprintf(out, sizeof(out), &exp, CTALG_EVENT_DESTROY,
			   CTALG_PRINT_TIMESTAMP);
	ctalg_exp_snprintf(plain, sizeof(plain), &exp, CTALG_EVENT_DESTROY, 0);
	/* "[" 10 digits "." 6 columns (digits, then spaces) "]\t" line */
	ok = out[0] == '[' && out[11] == '.' && out[18] == ']' &&
	     out[19] == '\t' && !strcmp(out + 20, plain);
	for (i = 1; ok && i < 11; i++)
		ok = out[i] >= '0' && out[i] <= '9';
	for (i = 12; ok && i < 18; i++)
		ok = (out[i] >= '0' && out[i] <= '9') || out[i] == ' ';
	tap_ok(ok, "timestamp prefix as conntrack -o timestamp");
	if (!ok)
		tap_diag("got: %s", out);
}

/* JSON of the recorded NAT expectation: every field, exactly. */
static void test_json(void)
{
	size_t len = 0;
	char *nl = slurp("exp_dump_ipv4.nl", &len);
	const struct nlmsghdr *nlh;
	int left = (int)len;
	bool found = false;

	for (nlh = (const struct nlmsghdr *)nl; nl && mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		struct ctalg_expect exp;
		char out[2048], want[2048];

		if (ctalg_exp_parse(nlh, &exp) < 0 || !(exp.set & CTALG_EXP_NAT))
			continue;
		found = true;
		ctalg_exp_snprintf(out, sizeof(out), &exp, CTALG_EVENT_NONE,
				   CTALG_PRINT_JSON);
		/* The id is the kernel's; everything else is the scenario's. */
		snprintf(
		    want, sizeof(want),
		    "{\"family\":\"ipv4\",\"timeout\":%u,\"id\":%u,"
		    "\"tuple\":{\"src\":\"127.0.0.1\",\"dst\":\"127.0.0.1\","
		    "\"proto\":17,\"sport\":0,\"dport\":7003},"
		    "\"mask\":{\"src\":\"255.255.255.255\","
		    "\"dst\":\"255.255.255.255\",\"proto\":17,\"sport\":0,"
		    "\"dport\":65535},"
		    "\"master\":{\"src\":\"127.0.0.1\",\"dst\":\"127.0.0.1\","
		    "\"proto\":17,\"sport\":30004,\"dport\":5060},"
		    "\"flags\":[],\"class\":3,\"helper\":\"sip\","
		    "\"nat\":{\"dir\":\"orig\",\"tuple\":{\"src\":\"127.0.0."
		    "1\","
		    "\"dst\":\"0.0.0.0\",\"proto\":17,\"sport\":7100,"
		    "\"dport\":0}},\"fn\":\"nat-follow-master\"}",
		    exp.timeout, exp.id);
		tap_eq_str(out, want, "JSON of the recorded NAT expectation");
		ctalg_exp_snprintf(out, sizeof(out), &exp, CTALG_EVENT_DESTROY,
				   CTALG_PRINT_JSON);
		tap_ok(!strncmp(out, "{\"event\":\"destroy\",\"family\"", 27),
		       "JSON event first");
	}
	tap_ok(found, "the recording has the NAT expectation");
	free(nl);
}

static void test_json_flags(void)
{
	struct msg m;

	msg_start(&m, AF_INET, IPCTNL_MSG_EXP_NEW, 0);
	mnl_attr_put_u32(m.nlh, CTA_EXPECT_FLAGS, htonl(0x80000005));
	mnl_attr_put_u16(m.nlh, CTA_EXPECT_ZONE, htons(65535));
	mnl_attr_put_u32(m.nlh, CTA_EXPECT_ID, htonl(4294967295u));
	mnl_attr_put_strz(m.nlh, CTA_EXPECT_HELP_NAME, "a\"b\\");
	tap_eq_str(print_msg(&m, CTALG_EVENT_NEW, CTALG_PRINT_JSON),
		   "{\"event\":\"new\",\"family\":\"ipv4\",\"id\":4294967295,"
		   "\"zone\":65535,\"flags\":[\"permanent\",\"userspace\","
		   "\"0x80000000\"],\"helper\":\"a\\\"b\\\\\"}",
		   "JSON: flag names and unknown bits, escaped helper");
}

int main(void)
{
	golden("exp_dump_ipv4", false);
	golden("exp_dump_ipv6", false);
	golden("exp_events", true);
	test_edges();
	test_truncation();
	test_timestamp();
	test_json();
	test_json_flags();
	return tap_done();
}
