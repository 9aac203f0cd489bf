// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every expectation request the library builds: build -> parse -> compare,
 * then byte for byte against the same request built by
 * libnetfilter_conntrack (nfexp_build_query(), what conntrack(8) sends),
 * with the sequence number and port id set alike. And the text printer
 * against libnetfilter_conntrack's nfexp_snprintf() on the same messages.
 *
 * Legitimate differences, not compared:
 *  - CTA_EXPECT_ID, _CLASS, _NAT and _FN: libnetfilter_conntrack 1.0.9
 *    has setters for class, NAT and fn but never puts them (nor an id)
 *    into a message. ctalg puts them after the attributes
 *    libnetfilter_conntrack does put, in its order, so the common part is
 *    still compared byte for byte.
 *  - Delete by helper name: libnetfilter_conntrack cannot build it (it
 *    needs a tuple to pick the family); the bytes are checked by hand.
 *  - ICMP tuples: libnetfilter_conntrack puts CODE, TYPE, ID; ctalg's
 *    shared tuple builder ID, TYPE, CODE. The kernel reads them by type.
 */
#include <errno.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctalg/expect.h>
/* The daemon includes both: nothing may be defined twice. */
#include <ctalg/helper.h>

#include "internal.h"
#include "tap.h"

#ifdef HAVE_LNFCT
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#endif

static bool tuple_eq(const struct ctalg_tuple *a, const struct ctalg_tuple *b)
{
	unsigned int alen = ctalg_addr_len(a->family);

	return a->set == b->set && a->family == b->family &&
	       (!(a->set & CTALG_TUPLE_PROTO) || a->l4proto == b->l4proto) &&
	       (!(a->set & CTALG_TUPLE_SRC) || !memcmp(&a->src, &b->src, alen)) &&
	       (!(a->set & CTALG_TUPLE_DST) || !memcmp(&a->dst, &b->dst, alen)) &&
	       (!(a->set & CTALG_TUPLE_SPORT) || a->sport == b->sport) &&
	       (!(a->set & CTALG_TUPLE_DPORT) || a->dport == b->dport);
}

/* Every present field equal, and the same fields present. */
static bool exp_eq(const struct ctalg_expect *a, const struct ctalg_expect *b)
{
	uint32_t s = a->set;

	return a->set == b->set && a->family == b->family &&
	       (!(s & CTALG_EXP_TUPLE) || tuple_eq(&a->tuple, &b->tuple)) &&
	       (!(s & CTALG_EXP_MASK) || tuple_eq(&a->mask, &b->mask)) &&
	       (!(s & CTALG_EXP_MASTER) || tuple_eq(&a->master, &b->master)) &&
	       (!(s & CTALG_EXP_TIMEOUT) || a->timeout == b->timeout) &&
	       (!(s & CTALG_EXP_ID) || a->id == b->id) &&
	       (!(s & CTALG_EXP_HELPER) || !strcmp(a->helper, b->helper)) &&
	       (!(s & CTALG_EXP_ZONE) || a->zone == b->zone) &&
	       (!(s & CTALG_EXP_FLAGS) || a->flags == b->flags) &&
	       (!(s & CTALG_EXP_CLASS) || a->class_nr == b->class_nr) &&
	       (!(s & CTALG_EXP_NAT) ||
		(a->nat_dir == b->nat_dir && tuple_eq(&a->nat, &b->nat))) &&
	       (!(s & CTALG_EXP_FN) || !strcmp(a->fn, b->fn));
}

static void tuple_make(struct ctalg_tuple *t, uint8_t family, uint8_t proto,
		       const char *src, const char *dst, uint16_t sport,
		       uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	t->family = family;
	t->l4proto = proto;
	t->set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO |
		 CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
	inet_pton(family, src, t->src.b);
	inet_pton(family, dst, t->dst.b);
	t->sport = sport;
	t->dport = dport;
}

/* A full expectation as an FTP helper would ask for it, in @family. */
static void exp_make(struct ctalg_expect *e, uint8_t family, bool all)
{
	bool v6 = family == AF_INET6;
	const char *c = v6 ? "2001:db8::1" : "192.0.2.1";
	const char *s = v6 ? "2001:db8::2" : "198.51.100.2";
	const char *ones = v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
			      : "255.255.255.255";

	memset(e, 0, sizeof(*e));
	e->family = family;
	tuple_make(&e->tuple, family, IPPROTO_TCP, s, c, 0, 50000);
	tuple_make(&e->mask, family, IPPROTO_TCP, ones, ones, 0, 0xffff);
	tuple_make(&e->master, family, IPPROTO_TCP, c, s, 40000, 21);
	e->set = CTALG_EXP_TUPLE | CTALG_EXP_MASK | CTALG_EXP_MASTER;
	e->timeout = 300;
	e->flags = CTALG_EXP_FLAG_PERMANENT;
	e->zone = 3;
	snprintf(e->helper, sizeof(e->helper), "ftp");
	e->set |= CTALG_EXP_TIMEOUT | CTALG_EXP_FLAGS | CTALG_EXP_ZONE |
		  CTALG_EXP_HELPER;
	if (!all)
		return;
	e->id = 0xdeadbeef;
	e->class_nr = 2;
	e->nat_dir = CTALG_EXP_DIR_REPLY;
	tuple_make(&e->nat, family, IPPROTO_TCP, s, v6 ? "::" : "0.0.0.0", 2121,
		   0);
	snprintf(e->fn, sizeof(e->fn), "nat-follow-master");
	e->set |= CTALG_EXP_ID | CTALG_EXP_CLASS | CTALG_EXP_NAT | CTALG_EXP_FN;
}

static void check_hdr(const struct nlmsghdr *nlh, uint8_t msg, uint16_t flags,
		      uint8_t family, const char *what)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	tap_ok(nlh->nlmsg_type == (NFNL_SUBSYS_CTNETLINK_EXP << 8 | msg) &&
		   nlh->nlmsg_flags == (NLM_F_REQUEST | flags) &&
		   nfg->nfgen_family == family &&
		   nfg->version == NFNETLINK_V0 && nfg->res_id == 0,
	       "%s: header (type 0x%x, flags 0x%x, family %u)", what,
	       nlh->nlmsg_type, nlh->nlmsg_flags, nfg->nfgen_family);
}

/* build -> parse -> compare with @want. */
static void roundtrip(const struct nlmsghdr *nlh,
		      const struct ctalg_expect *want, const char *what)
{
	struct ctalg_expect got;

	if (!tap_ok(nlh && ctalg_exp_parse(nlh, &got) == 0 && exp_eq(want, &got),
		    "%s: build, parse, compare", what) &&
	    nlh)
		tap_diag_bytes("message", nlh, nlh->nlmsg_len);
}

static void test_roundtrips(void)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_expect e, key, none = { 0 };
	struct nlmsghdr *nlh;
	int family;

	for (family = AF_INET; family <= AF_INET6; family += AF_INET6 - AF_INET) {
		const char *f = family == AF_INET ? "ipv4" : "ipv6";
		char what[64];

		exp_make(&e, (uint8_t)family, true);
		nlh = ctalg_exp_build_new(buf, sizeof(buf), &e);
		snprintf(what, sizeof(what), "new %s, every attribute", f);
		check_hdr(nlh, IPCTNL_MSG_EXP_NEW,
			  NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
			  (uint8_t)family, what);
		roundtrip(nlh, &e, what);
		tap_eq_u(ctalg_exp_event(nlh), CTALG_EVENT_NEW,
			 "%s: reports a new expectation", what);

		/* Get and delete send the tuple, zone and id only. */
		key = e;
		key.set = CTALG_EXP_TUPLE | CTALG_EXP_ZONE | CTALG_EXP_ID;
		nlh = ctalg_exp_build_get(buf, sizeof(buf), &e);
		snprintf(what, sizeof(what), "get %s by tuple, zone, id", f);
		check_hdr(nlh, IPCTNL_MSG_EXP_GET, NLM_F_ACK, (uint8_t)family,
			  what);
		roundtrip(nlh, &key, what);
		nlh = ctalg_exp_build_delete(buf, sizeof(buf), &e);
		snprintf(what, sizeof(what), "delete %s by tuple, zone, id", f);
		check_hdr(nlh, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK,
			  (uint8_t)family, what);
		roundtrip(nlh, &key, what);
		tap_eq_u(ctalg_exp_event(nlh), CTALG_EVENT_DESTROY,
			 "%s: reports a destroyed one", what);

		e.set = CTALG_EXP_TUPLE;
		nlh = ctalg_exp_build_delete(buf, sizeof(buf), &e);
		snprintf(what, sizeof(what), "delete %s by tuple alone", f);
		roundtrip(nlh, &e, what);

		nlh = ctalg_exp_build_dump(buf, sizeof(buf), (uint8_t)family);
		snprintf(what, sizeof(what), "dump %s", f);
		check_hdr(nlh, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, (uint8_t)family,
			  what);
		none.family = (uint8_t)family;
		none.tuple.family = none.mask.family = none.master.family =
		    none.nat.family = (uint8_t)family;
		roundtrip(nlh, &none, what);
	}
	nlh = ctalg_exp_build_dump(buf, sizeof(buf), AF_UNSPEC);
	check_hdr(nlh, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, AF_UNSPEC,
		  "dump every family");

	nlh = ctalg_exp_build_flush(buf, sizeof(buf));
	check_hdr(nlh, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC, "flush");
	tap_eq_u(nlh->nlmsg_len, NLMSG_HDRLEN + 4, "flush: no attributes");

	nlh = ctalg_exp_build_delete_helper(buf, sizeof(buf), "tftp");
	check_hdr(nlh, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC,
		  "delete by helper");
	memset(&e, 0, sizeof(e));
	e.set = CTALG_EXP_HELPER;
	snprintf(e.helper, sizeof(e.helper), "tftp");
	roundtrip(nlh, &e, "delete by helper");
	/* Checked by hand: CTA_EXPECT_HELP_NAME (6), 9 bytes, "tftp\0" + pad */
	tap_ok(nlh->nlmsg_len == NLMSG_HDRLEN + 4 + 12 &&
		   !memcmp((char *)nlh + NLMSG_HDRLEN + 4,
			   "\x09\x00\x06\x00tftp\0\0\0\0", 12),
	       "delete by helper: the attribute's bytes");
}

static void test_refusals(void)
{
	char buf[CTALG_NL_MSG_SIZE], small[64];
	struct ctalg_expect e;
	struct nlmsghdr *nlh;

	exp_make(&e, AF_INET, true);
	errno = 0;
	tap_ok(!ctalg_exp_build_new(small, sizeof(small), &e) && errno == ENOSPC,
	       "new into 64 bytes: ENOSPC");
	errno = 0;
	tap_ok(!ctalg_exp_build_new(buf, 8, &e) && errno == ENOSPC,
	       "a buffer smaller than the headers: ENOSPC");
	e.set &= ~CTALG_EXP_MASTER;
	errno = 0;
	tap_ok(!ctalg_exp_build_new(buf, sizeof(buf), &e) && errno == EINVAL,
	       "new without a master: EINVAL");
	exp_make(&e, AF_INET, false);
	e.family = AF_UNSPEC;
	errno = 0;
	tap_ok(!ctalg_exp_build_new(buf, sizeof(buf), &e) && errno == EINVAL,
	       "new without a family: EINVAL");
	errno = 0;
	tap_ok(!ctalg_exp_build_get(buf, sizeof(buf), &e) && errno == EINVAL,
	       "get without a family: EINVAL");
	e.family = AF_INET;
	e.set = CTALG_EXP_ZONE;
	errno = 0;
	tap_ok(!ctalg_exp_build_delete(buf, sizeof(buf), &e) && errno == EINVAL,
	       "delete without a tuple: EINVAL");
	errno = 0;
	tap_ok(!ctalg_exp_build_dump(buf, sizeof(buf), 7) && errno == EINVAL,
	       "dump of family 7: EINVAL");
	errno = 0;
	tap_ok(!ctalg_exp_build_delete_helper(buf, sizeof(buf), "") &&
		   errno == EINVAL,
	       "delete by an empty helper name: EINVAL");
	errno = 0;
	tap_ok(!ctalg_exp_build_delete_helper(buf, sizeof(buf),
					      "0123456789abcdef") &&
		   errno == EINVAL,
	       "delete by a 16-character helper name: EINVAL");
	errno = 0;
	tap_ok(!ctalg_exp_build_delete_helper(small, 20, "ftp") && errno == ENOSPC,
	       "delete by helper into 20 bytes: ENOSPC");

	/* A put that does not fit leaves the message as it was. */
	exp_make(&e, AF_INET6, true);
	nlh = ctalg_nl_msg(small, sizeof(small), NFNL_SUBSYS_CTNETLINK_EXP,
			   IPCTNL_MSG_EXP_NEW, 0, AF_INET6, 0);
	errno = 0;
	tap_ok(ctalg_exp_put(nlh, sizeof(small), &e) < 0 && errno == ENOSPC &&
		   nlh->nlmsg_len == NLMSG_HDRLEN + 4,
	       "put that does not fit: ENOSPC, message unchanged");
}

/* The daemon's use: CTA_EXPECT_* inside a nest of another message. */
static void test_nested(void)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_expect e, got;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const struct nlattr *a;
	bool ok = false;

	exp_make(&e, AF_INET6, true);
	nlh = ctalg_nl_msg(buf, sizeof(buf), 3, 1, 0, AF_UNSPEC, 7);
	mnl_attr_put_u32(nlh, 1, htonl(1)); /* something before it */
	nest = mnl_attr_nest_start(nlh, 11);
	tap_ok(ctalg_exp_put(nlh, sizeof(buf), &e) == 0, "put inside a nest");
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, 2, htonl(2)); /* and after it */
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) == 11)
			ok = ctalg_exp_parse_nested(a, AF_INET6, &got) == 0 &&
			     exp_eq(&e, &got);
	}
	tap_ok(ok, "the nest parses back to the same expectation");
	tap_ok(ctalg_exp_parse_nested(nest, AF_INET, &got) < 0 && errno == EBADMSG,
	       "the same nest read as IPv4: EBADMSG");
}

static void test_groups(void)
{
	tap_ok((unsigned int)CTALG_EXP_FLAG_PERMANENT ==
		   (unsigned int)CTALG_EXP_F_PERMANENT,
	       "the helper SDK's PERMANENT is the kernel's flag too");
	tap_ok(ctalg_exp_event_group(CTALG_EVENT_NEW) ==
		       NFNLGRP_CONNTRACK_EXP_NEW &&
		   ctalg_exp_event_group(CTALG_EVENT_UPDATE) ==
		       NFNLGRP_CONNTRACK_EXP_UPDATE &&
		   ctalg_exp_event_group(CTALG_EVENT_DESTROY) ==
		       NFNLGRP_CONNTRACK_EXP_DESTROY &&
		   NFNLGRP_CONNTRACK_EXP_NEW == 4 &&
		   NFNLGRP_CONNTRACK_EXP_DESTROY == 6,
	       "event groups 4, 5, 6");
	errno = 0;
	tap_ok(ctalg_exp_event_group(CTALG_EVENT_NONE) < 0 && errno == EINVAL,
	       "no group for CTALG_EVENT_NONE");
}

#ifdef HAVE_LNFCT
static struct nf_conntrack *lnfct_tuple(const struct ctalg_tuple *t)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, t->family);
	if (t->family == AF_INET) {
		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, t->src.v4);
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, t->dst.v4);
	} else {
		nfct_set_attr(ct, ATTR_IPV6_SRC, t->src.b);
		nfct_set_attr(ct, ATTR_IPV6_DST, t->dst.b);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, t->l4proto);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(t->sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(t->dport));
	return ct;
}

/* The same expectation as a libnetfilter_conntrack object. */
static struct nf_expect *lnfct_exp(const struct ctalg_expect *e)
{
	struct nf_expect *x = nfexp_new();
	struct nf_conntrack *ct;

	if (e->set & CTALG_EXP_TUPLE) {
		ct = lnfct_tuple(&e->tuple);
		nfexp_set_attr(x, ATTR_EXP_EXPECTED, ct);
		nfct_destroy(ct);
	}
	if (e->set & CTALG_EXP_MASTER) {
		ct = lnfct_tuple(&e->master);
		nfexp_set_attr(x, ATTR_EXP_MASTER, ct);
		nfct_destroy(ct);
	}
	if (e->set & CTALG_EXP_MASK) {
		ct = lnfct_tuple(&e->mask);
		nfexp_set_attr(x, ATTR_EXP_MASK, ct);
		nfct_destroy(ct);
	}
	if (e->set & CTALG_EXP_TIMEOUT)
		nfexp_set_attr_u32(x, ATTR_EXP_TIMEOUT, e->timeout);
	if (e->set & CTALG_EXP_ZONE)
		nfexp_set_attr_u16(x, ATTR_EXP_ZONE, e->zone);
	if (e->set & CTALG_EXP_FLAGS)
		nfexp_set_attr_u32(x, ATTR_EXP_FLAGS, e->flags);
	if (e->set & CTALG_EXP_HELPER)
		nfexp_set_attr(x, ATTR_EXP_HELPER_NAME, e->helper);
	return x;
}

/*
 * nfexp_build_query()'s first argument is only checked for NULL; the
 * request does not depend on it.
 */
static int lnfct_query(enum nf_conntrack_query q, const void *data, char *buf,
		       size_t size)
{
	static int dummy;

	memset(buf, 0, size);
	return nfexp_build_query((struct nfnl_subsys_handle *)&dummy, q, data,
				 buf, (unsigned int)size);
}

static void same_bytes(const struct nlmsghdr *ours, const char *theirs,
		       const char *what)
{
	const struct nlmsghdr *t = (const struct nlmsghdr *)theirs;

	if (!tap_ok(ours && t->nlmsg_len == ours->nlmsg_len &&
			!memcmp(ours, theirs, ours->nlmsg_len),
		    "%s: the bytes libnetfilter_conntrack builds", what)) {
		if (ours)
			tap_diag_bytes("ctalg", ours, ours->nlmsg_len);
		tap_diag_bytes("libnetfilter_conntrack", theirs, t->nlmsg_len);
	}
}

static void test_lnfct_bytes(void)
{
	char ours[CTALG_NL_MSG_SIZE], theirs[CTALG_NL_MSG_SIZE];
	struct ctalg_expect e, key;
	struct nf_expect *x;
	struct nlmsghdr *nlh;
	uint8_t fam;
	int family;

	for (family = AF_INET; family <= AF_INET6; family += AF_INET6 - AF_INET) {
		const char *f = family == AF_INET ? "ipv4" : "ipv6";
		char what[64];

		fam = (uint8_t)family;
		lnfct_query(NFCT_Q_DUMP, &fam, theirs, sizeof(theirs));
		snprintf(what, sizeof(what), "dump %s", f);
		same_bytes(ctalg_exp_build_dump(ours, sizeof(ours), fam),
			   theirs, what);

		exp_make(&e, fam, false);
		x = lnfct_exp(&e);
		lnfct_query(NFCT_Q_CREATE, x, theirs, sizeof(theirs));
		nfexp_destroy(x);
		snprintf(what, sizeof(what), "create %s", f);
		same_bytes(ctalg_exp_build_new(ours, sizeof(ours), &e), theirs,
			   what);

		/* ctalg appends what libnetfilter_conntrack cannot put. */
		exp_make(&e, fam, true);
		e.set &= ~CTALG_EXP_ID;
		nlh = ctalg_exp_build_new(ours, sizeof(ours), &e);
		tap_ok(
		    nlh &&
			nlh->nlmsg_len > ((struct nlmsghdr *)theirs)->nlmsg_len &&
			!memcmp((char *)nlh + sizeof(*nlh), theirs + sizeof(*nlh),
				((struct nlmsghdr *)theirs)->nlmsg_len -
				    sizeof(*nlh)),
		    "create %s with class, nat, fn: the same bytes first", f);

		key = e;
		key.set = CTALG_EXP_TUPLE | CTALG_EXP_ZONE;
		x = lnfct_exp(&key);
		lnfct_query(NFCT_Q_GET, x, theirs, sizeof(theirs));
		snprintf(what, sizeof(what), "get %s by tuple and zone", f);
		same_bytes(ctalg_exp_build_get(ours, sizeof(ours), &key),
			   theirs, what);
		lnfct_query(NFCT_Q_DESTROY, x, theirs, sizeof(theirs));
		nfexp_destroy(x);
		snprintf(what, sizeof(what), "delete %s by tuple and zone", f);
		same_bytes(ctalg_exp_build_delete(ours, sizeof(ours), &key),
			   theirs, what);
	}
	fam = AF_UNSPEC;
	lnfct_query(NFCT_Q_DUMP, &fam, theirs, sizeof(theirs));
	same_bytes(ctalg_exp_build_dump(ours, sizeof(ours), AF_UNSPEC), theirs,
		   "dump every family");
	lnfct_query(NFCT_Q_FLUSH, &fam, theirs, sizeof(theirs));
	same_bytes(ctalg_exp_build_flush(ours, sizeof(ours)), theirs, "flush");
}

/* The text printer against nfexp_snprintf() on the same message. */
static void lnfct_same_text(const struct nlmsghdr *nlh, const char *what)
{
	static const unsigned int types[] = { NFCT_T_UNKNOWN, NFCT_T_NEW,
					      NFCT_T_UPDATE, NFCT_T_DESTROY };
	static const enum ctalg_event evs[] = { CTALG_EVENT_NONE, CTALG_EVENT_NEW,
						CTALG_EVENT_UPDATE,
						CTALG_EVENT_DESTROY };
	struct ctalg_expect exp;
	bool ok = ctalg_exp_parse(nlh, &exp) == 0;
	char a[1024] = "(parse error)", b[1024] = "";
	size_t i;

	for (i = 0; ok && i < ARRAY_SIZE(types); i++) {
		struct nf_expect *x = nfexp_new();

		nfexp_nlmsg_parse(nlh, x);
		nfexp_snprintf(b, sizeof(b), x, types[i], NFCT_O_DEFAULT, 0);
		nfexp_destroy(x);
		ctalg_exp_snprintf(a, sizeof(a), &exp, evs[i], 0);
		ok = !strcmp(a, b);
	}
	if (!tap_ok(ok, "%s: the text of nfexp_snprintf()", what)) {
		tap_diag("ctalg:   %s", a);
		tap_diag("lnfct:   %s", b);
	}
}

static void test_lnfct_text(void)
{
	static const char *const files[] = { "exp_dump_ipv4.nl",
					     "exp_dump_ipv6.nl",
					     "exp_events.nl" };
	const char *dir = getenv("SRCDIR");
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_expect e;
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		static char data[65536];
		char path[4096], what[128];
		const struct nlmsghdr *m;
		unsigned int k = 0;
		FILE *f;
		int left;

		snprintf(path, sizeof(path), "%s/tests/data/%s",
			 dir ? dir : ".", files[i]);
		f = fopen(path, "rb");
		if (!tap_ok(f != NULL, "%s is there", files[i]))
			continue;
		left = (int)fread(data, 1, sizeof(data), f);
		fclose(f);
		for (m = (const struct nlmsghdr *)data; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			snprintf(what, sizeof(what), "%s #%u", files[i], ++k);
			lnfct_same_text(m, what);
		}
	}

	/* What the kernel does not send, built here. */
	exp_make(&e, AF_INET6, true);
	e.flags = 0x7;
	lnfct_same_text(ctalg_exp_build_new(buf, sizeof(buf), &e),
			"every attribute, every flag");
	e.flags = 0x10;
	e.set &= ~(CTALG_EXP_TIMEOUT | CTALG_EXP_HELPER);
	lnfct_same_text(ctalg_exp_build_new(buf, sizeof(buf), &e),
			"an unknown flag, no timeout, no helper");
	e.tuple.l4proto = e.mask.l4proto = IPPROTO_GRE;
	lnfct_same_text(ctalg_exp_build_new(buf, sizeof(buf), &e), "gre keys");
	e.tuple.l4proto = e.mask.l4proto = 99;
	e.tuple.set &= ~(CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT);
	e.mask.set = e.tuple.set;
	lnfct_same_text(ctalg_exp_build_new(buf, sizeof(buf), &e),
			"a protocol without ports");
	nlh = ctalg_exp_build_delete_helper(buf, sizeof(buf), "ftp");
	nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW;
	((struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family = AF_INET;
	lnfct_same_text(nlh, "no tuples");
}
#endif

int main(void)
{
	test_roundtrips();
	test_refusals();
	test_nested();
	test_groups();
#ifdef HAVE_LNFCT
	test_lnfct_bytes();
	test_lnfct_text();
#else
	tap_skip("libnetfilter_conntrack is not installed: no byte comparison");
#endif
	return tap_done();
}
