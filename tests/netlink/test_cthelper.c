// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helper registration messages: every request built -> parsed -> compared;
 * the same requests built by libnetfilter_cthelper, byte for byte; kernel-
 * style replies printed by the reference (nfct_helper_snprintf) and by us,
 * byte for byte; hostile replies refused.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cthelper.h>

#include <ctalg/cthelper.h>

#include "internal.h"
#include "tap.h"

#ifdef HAVE_NFCTHELPER
#include <libnetfilter_cthelper/libnetfilter_cthelper.h>
#endif

#define BUF_SIZE 8192

#define F_ALL CTALG_CTHELPER_F_ALL

/* Helpers as a kernel would describe them: every field present. */
static const struct ctalg_cthelper vectors[] = {
	{ .set = F_ALL,
	  .name = "ftp",
	  .family = AF_INET,
	  .l4proto = IPPROTO_TCP,
	  .queue = 0,
	  .priv_len = 20,
	  .status = CTALG_CTHELPER_ENABLED,
	  .n_policies = 1,
	  .policies = { { "ftp", 1, 300 } } },
	{ .set = F_ALL,
	  .name = "tftp",
	  .family = AF_INET6,
	  .l4proto = IPPROTO_UDP,
	  .queue = 7,
	  .priv_len = 0,
	  .status = CTALG_CTHELPER_DISABLED,
	  .n_policies = 1,
	  .policies = { { "tftp", 1, 5 } } },
	{ .set = F_ALL,
	  .name = "rpc",
	  .family = AF_INET6,
	  .l4proto = IPPROTO_TCP,
	  .queue = 1,
	  .priv_len = 12,
	  .status = CTALG_CTHELPER_ENABLED,
	  .n_policies = 2,
	  .policies = { { "rpc", 32, 300 }, { "portmap", 0, 60 } } },
	{ .set = F_ALL,
	  .name = "amanda",
	  .family = AF_INET,
	  .l4proto = IPPROTO_UDP,
	  .queue = 300,
	  .priv_len = 32,
	  .status = CTALG_CTHELPER_DISABLED,
	  .n_policies = 3,
	  .policies = { { "data", 3, 180 },
			{ "mesg", 3, 180 },
			{ "index", 3, 180 } } },
	{ .set = F_ALL,
	  .name = "sip-abcdefghijk",
	  .family = AF_INET,
	  .l4proto = IPPROTO_UDP,
	  .queue = 65535,
	  .priv_len = 31,
	  .status = CTALG_CTHELPER_ENABLED,
	  .n_policies = 4,
	  .policies = { { "signalling", 255, 3600 },
			{ "audio", 2, 2147483 },
			{ "video", 2, 180 },
			{ "image-123456789", 0, 0 } } },
};

static bool cthelper_eq(const struct ctalg_cthelper *a,
			const struct ctalg_cthelper *b)
{
	uint32_t i;

	if (a->set != b->set)
		return false;
	if ((a->set & CTALG_CTHELPER_F_NAME) && strcmp(a->name, b->name))
		return false;
	if ((a->set & CTALG_CTHELPER_F_TUPLE) &&
	    (a->family != b->family || a->l4proto != b->l4proto))
		return false;
	if ((a->set & CTALG_CTHELPER_F_QUEUE) && a->queue != b->queue)
		return false;
	if ((a->set & CTALG_CTHELPER_F_PRIV_LEN) && a->priv_len != b->priv_len)
		return false;
	if ((a->set & CTALG_CTHELPER_F_STATUS) && a->status != b->status)
		return false;
	if (a->set & CTALG_CTHELPER_F_POLICY) {
		if (a->n_policies != b->n_policies)
			return false;
		for (i = 0; i < a->n_policies; i++)
			if (strcmp(a->policies[i].name, b->policies[i].name) ||
			    a->policies[i].max_expected !=
				b->policies[i].max_expected ||
			    a->policies[i].timeout != b->policies[i].timeout)
				return false;
	}
	return true;
}

static void diag_msg(const char *what, const struct nlmsghdr *nlh)
{
	tap_diag_bytes(what, nlh, nlh->nlmsg_len);
}

/* ---- build -> parse -> compare ---- */

static void roundtrip_new(const char *what, const struct ctalg_cthelper *h,
			  uint16_t nlflags)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_cthelper got, want = *h;
	struct nlmsghdr *nlh;

	nlh = ctalg_cthelper_build_new(buf, sizeof(buf), h, nlflags);
	if (!tap_ok(nlh != NULL, "build NEW %s", what))
		return;
	tap_ok(nlh->nlmsg_type ==
		       (NFNL_SUBSYS_CTHELPER << 8 | NFNL_MSG_CTHELPER_NEW) &&
		   nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_CREATE | nlflags),
	       "NEW %s: type and flags", what);
	if (!tap_ok(ctalg_cthelper_parse(nlh, &got) == 0 &&
			cthelper_eq(&want, &got),
		    "NEW %s: parses back to what was built", what))
		diag_msg("message", nlh);
}

static void test_roundtrip_new(void)
{
	struct ctalg_cthelper h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		roundtrip_new(vectors[i].name, &vectors[i], 0);
		roundtrip_new(vectors[i].name, &vectors[i], NLM_F_EXCL);
	}
	/* An update of the status alone, as `helper disable` sends it. */
	memset(&h, 0, sizeof(h));
	h.set = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE |
		CTALG_CTHELPER_F_STATUS;
	memcpy(h.name, "ftp", 3);
	h.family = AF_INET6;
	h.l4proto = IPPROTO_TCP;
	roundtrip_new("status update", &h, 0);
	/* Queue and policies, without the private length an update refuses. */
	h = vectors[2];
	h.set &= ~(uint32_t)(CTALG_CTHELPER_F_PRIV_LEN | CTALG_CTHELPER_F_STATUS);
	roundtrip_new("policy update", &h, 0);
}

static void roundtrip_filter(const char *what, uint8_t msg, const char *name,
			     int family, int l4proto)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_cthelper got, want;
	struct nlmsghdr *nlh;

	memset(&want, 0, sizeof(want));
	if (name) {
		memcpy(want.name, name, strlen(name));
		want.set |= CTALG_CTHELPER_F_NAME;
	}
	if (family != CTALG_CTHELPER_ANY) {
		want.family = (uint16_t)family;
		want.l4proto = (uint8_t)l4proto;
		want.set |= CTALG_CTHELPER_F_TUPLE;
	}
	if (msg == NFNL_MSG_CTHELPER_GET)
		nlh = ctalg_cthelper_build_get(buf, sizeof(buf), name, family,
					       l4proto);
	else
		nlh = ctalg_cthelper_build_del(buf, sizeof(buf), name, family,
					       l4proto);
	if (!tap_ok(nlh != NULL, "build %s", what))
		return;
	tap_ok(nlh->nlmsg_type == (NFNL_SUBSYS_CTHELPER << 8 | msg) &&
		   nlh->nlmsg_flags == NLM_F_REQUEST,
	       "%s: type and flags", what);
	if (!tap_ok(ctalg_cthelper_parse(nlh, &got) == 0 &&
			cthelper_eq(&want, &got),
		    "%s: parses back to its filter", what))
		diag_msg("message", nlh);
}

static void test_roundtrip_filters(void)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_cthelper got;
	struct nlmsghdr *nlh;

	roundtrip_filter("GET by name", NFNL_MSG_CTHELPER_GET, "ftp",
			 CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY);
	roundtrip_filter("GET by name and tuple", NFNL_MSG_CTHELPER_GET, "tftp",
			 AF_INET6, IPPROTO_UDP);
	roundtrip_filter("GET by tuple", NFNL_MSG_CTHELPER_GET, NULL, AF_INET,
			 IPPROTO_TCP);
	roundtrip_filter("DEL by name", NFNL_MSG_CTHELPER_DEL, "sip-abcdefghijk",
			 CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY);
	roundtrip_filter("DEL by name and tuple", NFNL_MSG_CTHELPER_DEL, "ftp",
			 AF_INET, IPPROTO_TCP);
	roundtrip_filter("DEL of everything (flush)", NFNL_MSG_CTHELPER_DEL,
			 NULL, CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY);

	nlh = ctalg_cthelper_build_dump(buf, sizeof(buf));
	tap_ok(nlh &&
		   nlh->nlmsg_type ==
		       (NFNL_SUBSYS_CTHELPER << 8 | NFNL_MSG_CTHELPER_GET) &&
		   nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP) &&
		   nlh->nlmsg_len == MNL_NLMSG_HDRLEN + sizeof(struct nfgenmsg),
	       "dump: GET with NLM_F_DUMP and no attribute");
	tap_ok(nlh && ctalg_cthelper_parse(nlh, &got) == 0 && got.set == 0,
	       "dump: parses to an empty filter");
}

/* ---- what the builders refuse ---- */

/* One thing wrong with a valid helper, for the builder to refuse. */
static void spoil(struct ctalg_cthelper *h, unsigned int what)
{
	switch (what) {
	case 0:
		h->set &= ~(uint32_t)CTALG_CTHELPER_F_NAME;
		break;
	case 1:
		h->set &= ~(uint32_t)CTALG_CTHELPER_F_TUPLE;
		break;
	case 2:
		h->name[0] = '\0';
		break;
	case 3:
		memcpy(h->name, "abcdefghijklmnop", 16);
		break;
	case 4:
		h->n_policies = 0;
		break;
	case 5:
		h->n_policies = 5;
		break;
	case 6:
		h->policies[0].name[0] = '\0';
		break;
	case 7:
		memcpy(h->policies[0].name, "abcdefghijklmnop", 16);
		break;
	case 8:
		h->policies[0].max_expected = 256;
		break;
	case 9:
		h->policies[0].timeout = CTALG_CTHELPER_TIMEOUT_MAX + 1;
		break;
	case 10:
		h->priv_len = 33;
		break;
	case 11:
		h->queue = 65536;
		break;
	case 12:
		h->status = 2;
		break;
	case 13:
		h->set |= 1u << 20;
		break;
	}
}

static void test_refusals(void)
{
	static const char *const spoilt[] = {
		"no name",	    "no tuple",
		"empty name",	    "name of 16 characters",
		"0 policies",	    "5 policies",
		"empty class name", "class name of 16 characters",
		"max_expected 256", "timeout 2147484",
		"priv_len 33",	    "queue 65536",
		"status 2",	    "unknown presence bit",
	};
	char buf[CTALG_NL_MSG_SIZE];
	struct ctalg_cthelper h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spoilt); i++) {
		h = vectors[0];
		spoil(&h, i);
		errno = 0;
		tap_ok(!ctalg_cthelper_build_new(buf, sizeof(buf), &h, 0) &&
			   errno == EINVAL,
		       "NEW refused with EINVAL: %s", spoilt[i]);
	}
	errno = 0;
	tap_ok(!ctalg_cthelper_build_new(buf, sizeof(buf), &vectors[0],
					 NLM_F_REPLACE) &&
		   errno == EINVAL,
	       "NEW refused with EINVAL: a flag other than NLM_F_EXCL");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_new(buf, CTALG_NL_MSG_SIZE - 1,
					 &vectors[0], 0) &&
		   errno == ENOSPC,
	       "NEW refused with ENOSPC: a buffer below CTALG_NL_MSG_SIZE");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_get(buf, sizeof(buf), "ftp", AF_INET,
					 CTALG_CTHELPER_ANY) &&
		   errno == EINVAL,
	       "GET refused with EINVAL: a family without a protocol");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_del(buf, sizeof(buf), NULL,
					 CTALG_CTHELPER_ANY, IPPROTO_TCP) &&
		   errno == EINVAL,
	       "DEL refused with EINVAL: a protocol without a family");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_del(buf, sizeof(buf), "abcdefghijklmnop",
					 CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY) &&
		   errno == EINVAL,
	       "DEL refused with EINVAL: a name of 16 characters");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_get(buf, sizeof(buf), "ftp", 65536,
					 IPPROTO_TCP) &&
		   errno == EINVAL,
	       "GET refused with EINVAL: a family above 65535");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_get(buf, sizeof(buf), "ftp", AF_INET, 256) &&
		   errno == EINVAL,
	       "GET refused with EINVAL: a protocol above 255");
	errno = 0;
	tap_ok(!ctalg_cthelper_build_dump(buf, 16) && errno == ENOSPC,
	       "dump refused with ENOSPC: a small buffer");
}

/* ---- the SDK's helpers as kernel registrations ---- */

static void test_from_helper(void)
{
	struct ctalg_helper tcp = {
		.abi = CTALG_HELPER_ABI,
		.name = "ftp",
		.l4proto = IPPROTO_TCP,
		.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
		.n_classes = 2,
		.classes = { { "ftp", 1, 300 }, { "ftp-pasv", 4, 120 } },
		.priv_size = 8,
	};
	struct ctalg_helper udp = tcp;
	struct ctalg_cthelper ch, want = {
		.set = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE |
		       CTALG_CTHELPER_F_POLICY | CTALG_CTHELPER_F_PRIV_LEN,
		.name = "ftp",
		.family = AF_INET6,
		.l4proto = IPPROTO_TCP,
		.priv_len = 20,
		.n_policies = 2,
		.policies = { { "ftp", 1, 300 }, { "ftp-pasv", 4, 120 } },
	};
	static const struct {
		uint8_t l4proto;
		uint32_t priv_size;
		int want;
	} lens[] = {
		{ IPPROTO_TCP, 0, 12 },	 { IPPROTO_TCP, 8, 20 },
		{ IPPROTO_TCP, 20, 32 }, { IPPROTO_TCP, 21, -1 },
		{ IPPROTO_UDP, 0, 0 },	 { IPPROTO_UDP, 32, 32 },
		{ IPPROTO_UDP, 33, -1 }, { IPPROTO_SCTP, 0, -1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		udp.l4proto = lens[i].l4proto;
		udp.priv_size = lens[i].priv_size;
		errno = 0;
		tap_ok(ctalg_cthelper_priv_len(&udp) == lens[i].want &&
			   (lens[i].want >= 0 || errno == EINVAL),
		       "kernel private length of a %s helper with %u bytes: %d",
		       l4proto_name(lens[i].l4proto), lens[i].priv_size,
		       lens[i].want);
	}
	tap_ok(ctalg_cthelper_from_helper(&ch, &tcp, AF_INET6) == 0 &&
		   cthelper_eq(&want, &ch),
	       "a TCP helper's registration: name, tuple, classes, 12 + "
	       "priv_size");
	udp = tcp;
	udp.l4proto = IPPROTO_UDP;
	want.l4proto = IPPROTO_UDP;
	want.priv_len = 8;
	want.family = AF_INET;
	tap_ok(ctalg_cthelper_from_helper(&ch, &udp, AF_INET) == 0 &&
		   cthelper_eq(&want, &ch),
	       "a UDP helper's registration: priv_size as it is");
	udp.n_classes = 0;
	errno = 0;
	tap_ok(ctalg_cthelper_from_helper(&ch, &udp, AF_INET) < 0 &&
		   errno == EINVAL,
	       "a helper without classes is refused with EINVAL");
	udp.n_classes = 1;
	udp.classes[0].name = "abcdefghijklmnop";
	errno = 0;
	tap_ok(ctalg_cthelper_from_helper(&ch, &udp, AF_INET) < 0 &&
		   errno == EINVAL,
	       "a class name of 16 characters is refused with EINVAL");
	udp.classes[0].name = "x";
	udp.classes[0].max_expected = 256;
	errno = 0;
	tap_ok(ctalg_cthelper_from_helper(&ch, &udp, AF_INET) < 0 &&
		   errno == EINVAL,
	       "a class maximum above 255 is refused with EINVAL");
}

/* ---- kernel-style replies, intact and hostile ---- */

enum defect {
	D_NONE,
	D_NO_NAME,
	D_NAME_LONG,
	D_NAME_NONUL,
	D_QUEUE_SHORT,
	D_QUEUE_BIG,
	D_NO_TUPLE,
	D_TUPLE_NO_L3,
	D_TUPLE_NO_L4,
	D_L3_SHORT,
	D_NO_POLICY,
	D_POLICY_NO_NUM,
	D_POLICY_NUM0,
	D_POLICY_NUM5,
	D_POLICY_SET_MISSING,
	D_CLASS_NO_NAME,
	D_CLASS_NO_MAX,
	D_CLASS_NO_TIMEOUT,
	D_CLASS_NAME_LONG,
	D_CLASS_MAX_SHORT,
	D_CLASS_MAX_BIG,
	D_PRIV_SHORT,
	D_PRIV_BIG,
	D_NO_PRIV,
	D_STATUS_BAD,
	D_NO_STATUS,
	D_ATTR_OVERRUN,
	D_SHORT_NFGENMSG,
	D_WRONG_SUBSYS,
};

static void put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v, bool short_)
{
	if (short_)
		mnl_attr_put_u16(nlh, type, (uint16_t)v);
	else
		mnl_attr_put_u32(nlh, type, htonl(v));
}

/*
 * A reply as nfnl_cthelper_fill_info() writes it: NAME, QUEUE_NUM, TUPLE,
 * POLICY (the count first), PRIV_DATA_LEN, STATUS, nests flagged
 * NLA_F_NESTED; with one defect.
 */
static struct nlmsghdr *kernel_reply(char *buf, const struct ctalg_cthelper *h,
				     enum defect d)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct nlattr *nest, *set;
	uint32_t i, n = h->n_policies;

	memset(buf, 0, BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)((d == D_WRONG_SUBSYS ? NFNL_SUBSYS_CTNETLINK
							  : NFNL_SUBSYS_CTHELPER)
					 << 8 |
				     NFNL_MSG_CTHELPER_NEW);
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 1234;
	nlh->nlmsg_pid = 5678;
	if (d == D_SHORT_NFGENMSG) {
		nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
		return nlh;
	}
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;

	if (d == D_NAME_LONG)
		mnl_attr_put_strz(nlh, NFCTH_NAME, "abcdefghijklmnop");
	else if (d == D_NAME_NONUL)
		mnl_attr_put(nlh, NFCTH_NAME, strlen(h->name), h->name);
	else if (d != D_NO_NAME)
		mnl_attr_put_strz(nlh, NFCTH_NAME, h->name);
	put_u32(nlh, NFCTH_QUEUE_NUM, d == D_QUEUE_BIG ? 65536 : h->queue,
		d == D_QUEUE_SHORT);
	if (d != D_NO_TUPLE) {
		nest = mnl_attr_nest_start(nlh, NFCTH_TUPLE | NLA_F_NESTED);
		if (d == D_L3_SHORT)
			mnl_attr_put_u8(nlh, NFCTH_TUPLE_L3PROTONUM,
					(uint8_t)h->family);
		else if (d != D_TUPLE_NO_L3)
			mnl_attr_put_u16(nlh, NFCTH_TUPLE_L3PROTONUM,
					 htons(h->family));
		if (d != D_TUPLE_NO_L4)
			mnl_attr_put_u8(nlh, NFCTH_TUPLE_L4PROTONUM, h->l4proto);
		mnl_attr_nest_end(nlh, nest);
	}
	if (d != D_NO_POLICY) {
		nest = mnl_attr_nest_start(nlh, NFCTH_POLICY | NLA_F_NESTED);
		if (d == D_POLICY_NUM0)
			n = 0;
		if (d == D_POLICY_NUM5)
			n = 5;
		if (d != D_POLICY_NO_NUM)
			mnl_attr_put_u32(nlh, NFCTH_POLICY_SET_NUM, htonl(n));
		for (i = 0; i < n; i++) {
			const struct ctalg_cthelper_policy *p =
			    &h->policies[i % h->n_policies];

			if (d == D_POLICY_SET_MISSING && i == n - 1)
				break;
			set = mnl_attr_nest_start(
			    nlh,
			    (uint16_t)((NFCTH_POLICY_SET1 + i) | NLA_F_NESTED));
			if (d == D_CLASS_NAME_LONG)
				mnl_attr_put_strz(nlh, NFCTH_POLICY_NAME,
						  "abcdefghijklmnop");
			else if (d != D_CLASS_NO_NAME)
				mnl_attr_put_strz(nlh, NFCTH_POLICY_NAME,
						  p->name);
			if (d != D_CLASS_NO_MAX)
				put_u32(nlh, NFCTH_POLICY_EXPECT_MAX,
					d == D_CLASS_MAX_BIG ? 256
							     : p->max_expected,
					d == D_CLASS_MAX_SHORT);
			if (d != D_CLASS_NO_TIMEOUT)
				put_u32(nlh, NFCTH_POLICY_EXPECT_TIMEOUT,
					p->timeout, false);
			mnl_attr_nest_end(nlh, set);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	if (d != D_NO_PRIV)
		put_u32(nlh, NFCTH_PRIV_DATA_LEN,
			d == D_PRIV_BIG ? 33 : h->priv_len, d == D_PRIV_SHORT);
	if (d != D_NO_STATUS)
		put_u32(nlh, NFCTH_STATUS, d == D_STATUS_BAD ? 2 : h->status,
			false);
	if (d == D_ATTR_OVERRUN) {
		/* The last attribute claims more than the message holds. */
		struct nlattr *last = (struct nlattr *)((char *)nlh +
							nlh->nlmsg_len - 8);

		last->nla_len = 12;
	}
	return nlh;
}

#ifdef HAVE_NFCTHELPER
/* What nfct prints for this message: -1 when the reference refuses it. */
static int ref_print(const struct nlmsghdr *nlh, char *out, size_t size)
{
	struct nfct_helper *t = nfct_helper_alloc();
	int ret = -1;

	if (!t)
		return -1;
	if (nfct_helper_nlmsg_parse_payload(nlh, t) == 0)
		ret = nfct_helper_snprintf(out, size, t, 0, 0);
	nfct_helper_free(t);
	return ret;
}
#endif

static void test_print(void)
{
	char buf[BUF_SIZE], mine[1024], ref[1024];
	struct ctalg_cthelper h;
	struct nlmsghdr *nlh;
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct ctalg_cthelper *v = &vectors[i];

		nlh = kernel_reply(buf, v, D_NONE);
		if (!tap_ok(ctalg_cthelper_parse(nlh, &h) == 0 &&
				cthelper_eq(v, &h),
			    "kernel reply for %s (%s, %s, %s, policies: %u) "
			    "parses whole",
			    v->name, v->family == AF_INET ? "inet" : "inet6",
			    l4proto_name(v->l4proto),
			    v->status ? "enabled" : "disabled", v->n_policies)) {
			diag_msg("reply", nlh);
			continue;
		}
		n = ctalg_cthelper_snprintf(mine, sizeof(mine), &h, 0);
		tap_ok(n > 0 && (size_t)n == strlen(mine),
		       "%s: printed length is returned", v->name);
#ifdef HAVE_NFCTHELPER
		if (ref_print(nlh, ref, sizeof(ref)) < 0) {
			tap_ok(false, "%s: the reference parses it", v->name);
			continue;
		}
		if (!tap_eq_str(mine, ref,
				"%s: text identical to nfct_helper_snprintf",
				v->name))
			diag_msg("reply", nlh);
#else
		(void)ref;
		tap_skip("%s: no libnetfilter_cthelper to compare with", v->name);
#endif
	}

	/* snprintf semantics: cut, NUL-terminated, full length returned. */
	nlh = kernel_reply(buf, &vectors[0], D_NONE);
	ctalg_cthelper_parse(nlh, &h);
	n = ctalg_cthelper_snprintf(mine, 10, &h, 0);
	tap_ok(n == (int)strlen("{\n\t.name = ftp,\n\t.queuenum = 0,\n"
				"\t.l3protonum = 2,\n\t.l4protonum = 6,\n"
				"\t.priv_data_len = 20,\n"
				"\t.status = enabled,\n};") &&
		   strcmp(mine, "{\n\t.name ") == 0,
	       "a short buffer gets the start, NUL-terminated, and the "
	       "length of the whole");
	tap_eq_str((ctalg_cthelper_snprintf(mine, sizeof(mine), &h, 0), mine),
		   "{\n\t.name = ftp,\n\t.queuenum = 0,\n\t.l3protonum = 2,\n"
		   "\t.l4protonum = 6,\n\t.priv_data_len = 20,\n"
		   "\t.status = enabled,\n};",
		   "text of ftp, golden");

	nlh = kernel_reply(buf, &vectors[2], D_NONE);
	ctalg_cthelper_parse(nlh, &h);
	ctalg_cthelper_snprintf(mine, sizeof(mine), &h, CTALG_PRINT_JSON);
	tap_eq_str(mine,
		   "{\"name\":\"rpc\",\"family\":\"inet6\",\"l3protonum\":10,"
		   "\"proto\":\"tcp\",\"l4protonum\":6,\"queuenum\":1,"
		   "\"priv_data_len\":12,\"status\":\"enabled\","
		   "\"policies\":[{\"name\":\"rpc\",\"max_expected\":32,"
		   "\"timeout\":300},{\"name\":\"portmap\",\"max_expected\":0,"
		   "\"timeout\":60}]}",
		   "JSON of rpc, policies included, golden");
	nlh = kernel_reply(buf, &vectors[4], D_NONE);
	ctalg_cthelper_parse(nlh, &h);
	n = ctalg_cthelper_snprintf(mine, sizeof(mine), &h, CTALG_PRINT_JSON);
	tap_ok(n > 0 && (size_t)n == strlen(mine) &&
		   strstr(mine, "\"status\":\"enabled\",\"policies\":[{"
				"\"name\":\"signalling\",\"max_expected\":255,"
				"\"timeout\":3600},") &&
		   strstr(mine, "{\"name\":\"image-123456789\","
				"\"max_expected\":0,\"timeout\":0}]}"),
	       "JSON of four policies");
}

/*
 * Parse a copy of exactly nlmsg_len bytes in its own allocation, so that a
 * sanitizer build sees any read past the message.
 */
static int parse_exact(const struct nlmsghdr *nlh, struct ctalg_cthelper *h)
{
	struct nlmsghdr *copy = malloc(nlh->nlmsg_len);
	int ret, saved;

	if (!copy)
		return -2;
	memcpy(copy, nlh, nlh->nlmsg_len);
	ret = ctalg_cthelper_parse(copy, h);
	saved = errno;
	free(copy);
	errno = saved;
	return ret;
}

static void test_hostile(void)
{
	/*
	 * absent: only a reply is wrong without it (a request may leave a
	 * field out); every other defect is refused in a request too.
	 */
	static const struct {
		enum defect d;
		bool absent;
		const char *what;
	} cases[] = {
		{ D_NO_NAME, true, "no NFCTH_NAME" },
		{ D_NAME_LONG, false, "a name of 16 characters" },
		{ D_NAME_NONUL, false, "a name without its NUL" },
		{ D_QUEUE_SHORT, false, "a 2-byte NFCTH_QUEUE_NUM" },
		{ D_QUEUE_BIG, false, "queue 65536" },
		{ D_NO_TUPLE, true, "no NFCTH_TUPLE nest" },
		{ D_TUPLE_NO_L3, false, "a tuple without its layer-3 number" },
		{ D_TUPLE_NO_L4, false, "a tuple without its layer-4 number" },
		{ D_L3_SHORT, false, "a 1-byte layer-3 number" },
		{ D_NO_POLICY, true, "no NFCTH_POLICY nest" },
		{ D_POLICY_NO_NUM, false, "policies without their count" },
		{ D_POLICY_NUM0, false, "a count of 0 policies" },
		{ D_POLICY_NUM5, false, "5 policies" },
		{ D_POLICY_SET_MISSING, false, "a counted class missing" },
		{ D_CLASS_NO_NAME, false, "a class without its name" },
		{ D_CLASS_NO_MAX, false, "a class without its maximum" },
		{ D_CLASS_NO_TIMEOUT, false, "a class without its timeout" },
		{ D_CLASS_NAME_LONG, false, "a class name of 16 characters" },
		{ D_CLASS_MAX_SHORT, false, "a 2-byte class maximum" },
		{ D_CLASS_MAX_BIG, false, "a class maximum of 256" },
		{ D_PRIV_SHORT, false, "a 2-byte NFCTH_PRIV_DATA_LEN" },
		{ D_PRIV_BIG, false, "a private length of 33" },
		{ D_NO_PRIV, true, "no NFCTH_PRIV_DATA_LEN" },
		{ D_STATUS_BAD, false, "status 2" },
		{ D_NO_STATUS, true, "no NFCTH_STATUS" },
		{ D_ATTR_OVERRUN, false, "an attribute longer than the message" },
		{ D_SHORT_NFGENMSG, false, "a message shorter than nfgenmsg" },
		{ D_WRONG_SUBSYS, false, "a ctnetlink message" },
	};
	char buf[BUF_SIZE];
	struct ctalg_cthelper h;
	struct nlmsghdr *nlh;
	bool good;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nlh = kernel_reply(buf, &vectors[3], cases[i].d);
		memset(&h, 0xa5, sizeof(h));
		errno = 0;
		ret = parse_exact(nlh, &h);
		if (!tap_ok(ret == -1 && errno == EBADMSG && h.set == 0,
			    "hostile reply refused with EBADMSG: %s",
			    cases[i].what))
			diag_msg("reply", nlh);
		/* The same bytes as a request: wrong in themselves. */
		nlh->nlmsg_flags |= NLM_F_REQUEST;
		errno = 0;
		ret = parse_exact(nlh, &h);
		good = cases[i].absent ? ret == 0 : ret == -1 && errno == EBADMSG;
		if (!tap_ok(good, "%s, in a request: %s", cases[i].what,
			    cases[i].absent
				? "accepted (requests leave fields out)"
				: "refused with EBADMSG"))
			diag_msg("request", nlh);
	}

	/* Every truncation of a valid reply: refused, never over-read. */
	nlh = kernel_reply(buf, &vectors[4], D_NONE);
	{
		uint32_t full = nlh->nlmsg_len, len;
		bool all = true;

		for (len = MNL_NLMSG_HDRLEN; len < full; len++) {
			nlh->nlmsg_len = len;
			errno = 0;
			if (parse_exact(nlh, &h) != -1 || errno != EBADMSG) {
				all = false;
				tap_diag("accepted at %u of %u bytes", len, full);
			}
		}
		nlh->nlmsg_len = full;
		tap_ok(all, "every truncation of a reply is refused");
	}
}

/* ---- the same requests built by libnetfilter_cthelper ---- */

#ifdef HAVE_NFCTHELPER
static struct nlmsghdr *ref_build(char *buf, uint8_t cmd, uint16_t flags,
				  const struct ctalg_cthelper *h)
{
	struct nfct_helper *t = nfct_helper_alloc();
	struct nlmsghdr *nlh;
	uint32_t i;

	memset(buf, 0, BUF_SIZE);
	if (h->set & CTALG_CTHELPER_F_NAME)
		nfct_helper_attr_set(t, NFCTH_ATTR_NAME, h->name);
	if (h->set & CTALG_CTHELPER_F_QUEUE)
		nfct_helper_attr_set_u32(t, NFCTH_ATTR_QUEUE_NUM, h->queue);
	if (h->set & CTALG_CTHELPER_F_PRIV_LEN)
		nfct_helper_attr_set_u32(t, NFCTH_ATTR_PRIV_DATA_LEN,
					 h->priv_len);
	if (h->set & CTALG_CTHELPER_F_TUPLE) {
		nfct_helper_attr_set_u16(t, NFCTH_ATTR_PROTO_L3NUM, h->family);
		nfct_helper_attr_set_u8(t, NFCTH_ATTR_PROTO_L4NUM, h->l4proto);
	}
	for (i = 0; (h->set & CTALG_CTHELPER_F_POLICY) && i < h->n_policies; i++) {
		struct nfct_helper_policy *p = nfct_helper_policy_alloc();

		nfct_helper_policy_attr_set(p, NFCTH_ATTR_POLICY_NAME,
					    h->policies[i].name);
		nfct_helper_policy_attr_set_u32(p, NFCTH_ATTR_POLICY_MAX,
						h->policies[i].max_expected);
		nfct_helper_policy_attr_set_u32(p, NFCTH_ATTR_POLICY_TIMEOUT,
						h->policies[i].timeout);
		nfct_helper_attr_set(t, NFCTH_ATTR_POLICY + i, p);
	}
	if (h->set & CTALG_CTHELPER_F_STATUS)
		nfct_helper_attr_set_u32(t, NFCTH_ATTR_STATUS, h->status);
	nlh = nfct_helper_nlmsg_build_hdr(buf, cmd, flags, 0);
	nfct_helper_nlmsg_build_payload(nlh, t);
	nfct_helper_free(t);
	return nlh;
}

/*
 * Ours as ctalg_nl_request() sends it (NLM_F_ACK added unless it is a
 * dump; the sequence number and port id are set there, 0 in both here).
 */
static void compare(const char *what, struct nlmsghdr *mine,
		    const struct nlmsghdr *ref)
{
	if (!mine) {
		tap_ok(false, "%s: built", what);
		return;
	}
	/* NLM_F_EXCL shares its bit with NLM_F_MATCH: test both bits. */
	if ((mine->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		mine->nlmsg_flags |= NLM_F_ACK;
	if (!tap_ok(mine->nlmsg_len == ref->nlmsg_len &&
			memcmp(mine, ref, mine->nlmsg_len) == 0,
		    "%s: bytes identical to libnetfilter_cthelper's", what)) {
		diag_msg("ours", mine);
		diag_msg("reference", ref);
	}
}

static void test_reference(void)
{
	char buf[BUF_SIZE], rbuf[BUF_SIZE];
	struct ctalg_cthelper f;
	char what[96];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		snprintf(what, sizeof(what), "NEW %s", vectors[i].name);
		memset(buf, 0, sizeof(buf));
		compare(what,
			ctalg_cthelper_build_new(buf, sizeof(buf), &vectors[i], 0),
			ref_build(rbuf, NFNL_MSG_CTHELPER_NEW,
				  NLM_F_CREATE | NLM_F_ACK, &vectors[i]));
		snprintf(what, sizeof(what), "NEW %s, NLM_F_EXCL",
			 vectors[i].name);
		memset(buf, 0, sizeof(buf));
		compare(what,
			ctalg_cthelper_build_new(buf, sizeof(buf), &vectors[i],
						 NLM_F_EXCL),
			ref_build(rbuf, NFNL_MSG_CTHELPER_NEW,
				  NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
				  &vectors[i]));
	}

	/* nfct helper add ftp inet tcp: no queue, no status. */
	f = vectors[0];
	f.set &= ~(uint32_t)(CTALG_CTHELPER_F_QUEUE | CTALG_CTHELPER_F_STATUS);
	memset(buf, 0, sizeof(buf));
	compare("NEW as nfct helper add sends it",
		ctalg_cthelper_build_new(buf, sizeof(buf), &f, 0),
		ref_build(rbuf, NFNL_MSG_CTHELPER_NEW, NLM_F_CREATE | NLM_F_ACK,
			  &f));

	/* nfct helper disable ftp inet6 tcp. */
	memset(&f, 0, sizeof(f));
	f.set = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE |
		CTALG_CTHELPER_F_STATUS;
	memcpy(f.name, "ftp", 3);
	f.family = AF_INET6;
	f.l4proto = IPPROTO_TCP;
	f.status = CTALG_CTHELPER_DISABLED;
	memset(buf, 0, sizeof(buf));
	compare("NEW with status disabled, as nfct helper disable sends it",
		ctalg_cthelper_build_new(buf, sizeof(buf), &f, 0),
		ref_build(rbuf, NFNL_MSG_CTHELPER_NEW, NLM_F_CREATE | NLM_F_ACK,
			  &f));

	memset(&f, 0, sizeof(f));
	memset(buf, 0, sizeof(buf));
	compare("dump, as nfct helper list sends it",
		ctalg_cthelper_build_dump(buf, sizeof(buf)),
		ref_build(rbuf, NFNL_MSG_CTHELPER_GET, NLM_F_DUMP, &f));
	memset(buf, 0, sizeof(buf));
	compare("DEL without attributes, as nfct helper flush sends it",
		ctalg_cthelper_build_del(buf, sizeof(buf), NULL,
					 CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY),
		ref_build(rbuf, NFNL_MSG_CTHELPER_DEL, NLM_F_ACK, &f));

	f.set = CTALG_CTHELPER_F_NAME;
	memcpy(f.name, "tftp", 4);
	memset(buf, 0, sizeof(buf));
	compare("GET by name, as nfct helper get sends it",
		ctalg_cthelper_build_get(buf, sizeof(buf), "tftp",
					 CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY),
		ref_build(rbuf, NFNL_MSG_CTHELPER_GET, NLM_F_ACK, &f));
	memset(buf, 0, sizeof(buf));
	compare("DEL by name, as nfct helper delete sends it",
		ctalg_cthelper_build_del(buf, sizeof(buf), "tftp",
					 CTALG_CTHELPER_ANY, CTALG_CTHELPER_ANY),
		ref_build(rbuf, NFNL_MSG_CTHELPER_DEL, NLM_F_ACK, &f));

	f.set |= CTALG_CTHELPER_F_TUPLE;
	f.family = AF_INET6;
	f.l4proto = IPPROTO_UDP;
	memset(buf, 0, sizeof(buf));
	compare("GET by name and tuple",
		ctalg_cthelper_build_get(buf, sizeof(buf), "tftp", AF_INET6,
					 IPPROTO_UDP),
		ref_build(rbuf, NFNL_MSG_CTHELPER_GET, NLM_F_ACK, &f));
	memset(buf, 0, sizeof(buf));
	compare("DEL by name and tuple",
		ctalg_cthelper_build_del(buf, sizeof(buf), "tftp", AF_INET6,
					 IPPROTO_UDP),
		ref_build(rbuf, NFNL_MSG_CTHELPER_DEL, NLM_F_ACK, &f));
}
#endif

int main(void)
{
	test_roundtrip_new();
	test_roundtrip_filters();
	test_refusals();
	test_from_helper();
	test_print();
	test_hostile();
#ifdef HAVE_NFCTHELPER
	test_reference();
#else
	tap_skip("byte comparison: libnetfilter_cthelper is not installed "
		 "(scripts/deps test)");
#endif
	return tap_done();
}
