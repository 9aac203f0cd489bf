// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Queue messages without a kernel: the config and verdicts we build are
 * parsed back and compared, and compared byte for byte with the same
 * messages built by libnetfilter_queue (and, for NFQA_CT and NFQA_EXP, with
 * the attributes libnetfilter_conntrack builds, as conntrackd nests them);
 * packet messages built by hand are parsed, hostile ones included.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include <ctalg/expect.h>

#include "queue_internal.h"
#include "tap.h"

#define BUF 4096

static bool same_bytes(const char *what, const void *got, size_t got_len,
		       const void *want, size_t want_len)
{
	bool ok = got_len == want_len && memcmp(got, want, got_len) == 0;

	tap_ok(ok, "%s: same bytes as the reference", what);
	if (!ok) {
		tap_diag_bytes("got", got, got_len);
		tap_diag_bytes("want", want, want_len);
	}
	return ok;
}

/* ---- config ---- */

static void test_config(void)
{
	static const struct attr_policy pol[NFQA_CFG_MAX + 1] = {
		[NFQA_CFG_CMD] = { ATTR_BIN, sizeof(struct nfqnl_msg_config_cmd) },
		[NFQA_CFG_PARAMS] = { ATTR_BIN,
				      sizeof(struct nfqnl_msg_config_params) },
		[NFQA_CFG_QUEUE_MAXLEN] = { ATTR_U32 },
		[NFQA_CFG_MASK] = { ATTR_U32 },
		[NFQA_CFG_FLAGS] = { ATTR_U32 },
	};
	const struct nlattr *tb[NFQA_CFG_MAX + 1];
	const struct nfqnl_msg_config_cmd *cmd;
	const struct nfqnl_msg_config_params *params;
	struct ctalg_queue_config cfg;
	char ours[BUF], ref[BUF];
	struct nlmsghdr *nlh, *r;

	ctalg_queue_config_init(&cfg, 7);
	cfg.maxlen = 4096;
	cfg.copy_range = 0; /* the maximum */
	cfg.flags = CTALG_QUEUE_F_CONNTRACK | CTALG_QUEUE_F_FAIL_OPEN |
		    CTALG_QUEUE_F_NO_ENOBUFS;
	nlh = queue_config_build(ours, sizeof(ours), &cfg);
	tap_ok(nlh != NULL, "config: built");
	tap_eq_u(nlh->nlmsg_type, NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG,
		 "config: message type");
	tap_ok(attr_parse_msg(nlh, pol, NFQA_CFG_MAX, tb) == 0,
	       "config: attributes parse");
	tap_ok(tb[NFQA_CFG_CMD] && tb[NFQA_CFG_PARAMS] &&
		   tb[NFQA_CFG_QUEUE_MAXLEN] && tb[NFQA_CFG_FLAGS] &&
		   tb[NFQA_CFG_MASK],
	       "config: bind, params, length, flags and mask in one message");
	if (!tb[NFQA_CFG_CMD] || !tb[NFQA_CFG_PARAMS] ||
	    !tb[NFQA_CFG_QUEUE_MAXLEN] || !tb[NFQA_CFG_FLAGS] ||
	    !tb[NFQA_CFG_MASK])
		return;
	cmd = mnl_attr_get_payload(tb[NFQA_CFG_CMD]);
	params = mnl_attr_get_payload(tb[NFQA_CFG_PARAMS]);
	tap_eq_u(cmd->command, NFQNL_CFG_CMD_BIND, "config: command BIND");
	tap_eq_u(params->copy_mode, NFQNL_COPY_PACKET, "config: copy packet");
	tap_eq_u(ntohl(params->copy_range), 65531, "config: copy range 0 -> max");
	tap_eq_u(ntohl(mnl_attr_get_u32(tb[NFQA_CFG_QUEUE_MAXLEN])), 4096,
		 "config: queue length");
	tap_eq_u(ntohl(mnl_attr_get_u32(tb[NFQA_CFG_FLAGS])),
		 NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN,
		 "config: kernel flags (NO_ENOBUFS is a socket option)");
	tap_eq_u(ntohl(mnl_attr_get_u32(tb[NFQA_CFG_MASK])),
		 NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO,
		 "config: mask");

	/* The same with libnetfilter_queue, attribute for attribute. */
	memset(ref, 0, sizeof(ref));
	r = nfq_nlmsg_put(ref, NFQNL_MSG_CONFIG, 7);
	nfq_nlmsg_cfg_put_cmd(r, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
	nfq_nlmsg_cfg_put_params(r, NFQNL_COPY_PACKET, 0xffff - 4);
	nfq_nlmsg_cfg_put_qmaxlen(r, 4096);
	mnl_attr_put_u32(r, NFQA_CFG_FLAGS,
			 htonl(NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN));
	mnl_attr_put_u32(r, NFQA_CFG_MASK,
			 htonl(NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN |
			       NFQA_CFG_F_GSO));
	same_bytes("config", nlh, nlh->nlmsg_len, r, r->nlmsg_len);

	cfg.copy_range = 200;
	cfg.flags = CTALG_QUEUE_F_GSO;
	cfg.maxlen = 0;
	nlh = queue_config_build(ours, sizeof(ours), &cfg);
	r = nfq_nlmsg_put(ref, NFQNL_MSG_CONFIG, 7);
	nfq_nlmsg_cfg_put_cmd(r, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
	nfq_nlmsg_cfg_put_params(r, NFQNL_COPY_PACKET, 200);
	mnl_attr_put_u32(r, NFQA_CFG_FLAGS, htonl(NFQA_CFG_F_GSO));
	mnl_attr_put_u32(r, NFQA_CFG_MASK,
			 htonl(NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_FAIL_OPEN |
			       NFQA_CFG_F_GSO));
	same_bytes("config, GSO, range 200, default length", nlh,
		   nlh->nlmsg_len, r, r->nlmsg_len);

	nlh = queue_unbind_build(ours, sizeof(ours), 7);
	r = nfq_nlmsg_put(ref, NFQNL_MSG_CONFIG, 7);
	nfq_nlmsg_cfg_put_cmd(r, AF_UNSPEC, NFQNL_CFG_CMD_UNBIND);
	same_bytes("unbind", nlh, nlh->nlmsg_len, r, r->nlmsg_len);
}

/* ---- verdicts ---- */

static size_t build_verdict(char *buf, const struct ctalg_queue_verdict *v)
{
	if (queue_verdict_check(v) < 0)
		return 0;
	return queue_verdict_build(buf, BUF, 7, v, true);
}

/* A reference verdict message's start: header and verdict, like ours. */
static struct nlmsghdr *ref_verdict(char *buf, uint32_t id, uint32_t verdict)
{
	struct nlmsghdr *r;

	/* Older libmnl leaves attribute padding as it finds it. */
	memset(buf, 0, BUF);
	r = nfq_nlmsg_put(buf, NFQNL_MSG_VERDICT, 7);

	r->nlmsg_seq = id; /* ours names the packet for error replies */
	nfq_nlmsg_verdict_put(r, (int)id, (int)verdict);
	return r;
}

/* The attribute @type among the attributes of @nlh (after nfgenmsg). */
static const struct nlattr *find_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) == type)
			return a;
	}
	return NULL;
}

static void test_verdict_ref(void)
{
	static const uint8_t pkt[45] = { 0x45, 0x00, 0x00, 0x2d };
	static const uint8_t info[7] = { 1, 2, 3, 4, 5, 6, 7 };
	char ours[BUF], ref[BUF], scratch[BUF];
	struct ctalg_queue_verdict v = { .id = 0x01020304, .verdict = NF_ACCEPT };
	struct nlmsghdr *r, *s;
	const struct nlattr *a;
	struct nlattr *nest;
	struct nf_conntrack *ct;
	struct nf_expect *exp;
	size_t len;

	len = build_verdict(ours, &v);
	r = ref_verdict(ref, v.id, NF_ACCEPT);
	same_bytes("verdict accept", ours, len, r, r->nlmsg_len);

	v.verdict = NF_DROP;
	v.flags = CTALG_VERDICT_MARK;
	v.mark = 0xdeadbeef;
	len = build_verdict(ours, &v);
	r = ref_verdict(ref, v.id, NF_DROP);
	nfq_nlmsg_verdict_put_mark(r, 0xdeadbeef);
	same_bytes("verdict with mark", ours, len, r, r->nlmsg_len);

	v.verdict = NF_ACCEPT;
	v.flags = 0;
	v.payload = pkt;
	v.payload_len = sizeof(pkt); /* odd: the padding counts too */
	len = build_verdict(ours, &v);
	r = ref_verdict(ref, v.id, NF_ACCEPT);
	nfq_nlmsg_verdict_put_pkt(r, pkt, sizeof(pkt));
	same_bytes("verdict with payload", ours, len, r, r->nlmsg_len);

	/*
	 * NFQA_CT with the helper's state: the CTA_HELP that
	 * libnetfilter_conntrack builds for the same name and info, which is
	 * all conntrackd's whole-conntrack echo should have sent. Built the
	 * way conntrackd does it: parse the kernel's NFQA_CT, set the new
	 * state, build. (Setting ATTR_HELPER_INFO on a fresh object is not
	 * enough: the setter does not store the length, and an empty
	 * CTA_HELP_INFO comes out.)
	 */
	memset(scratch, 0, sizeof(scratch));
	s = mnl_nlmsg_put_header(scratch);
	nest = mnl_attr_nest_start(s, CTA_HELP);
	mnl_attr_put_strz(s, CTA_HELP_NAME, "ftp");
	mnl_attr_put(s, CTA_HELP_INFO, sizeof(info), (uint8_t[7]){ 0 });
	mnl_attr_nest_end(s, nest);
	ct = nfct_new();
	nfct_payload_parse(mnl_nlmsg_get_payload(s),
			   mnl_nlmsg_get_payload_len(s), AF_INET, ct);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, info, sizeof(info));
	memset(scratch, 0, sizeof(scratch));
	s = mnl_nlmsg_put_header(scratch);
	mnl_nlmsg_put_extra_header(s, sizeof(struct nfgenmsg));
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_nlmsg_build(s, ct);
	nfct_destroy(ct);
	a = find_attr(s, CTA_HELP);
	tap_ok(a != NULL, "libnetfilter_conntrack built a CTA_HELP");
	v.payload = NULL;
	v.helper = "ftp";
	v.help_info = info;
	v.help_info_len = sizeof(info);
	len = build_verdict(ours, &v);
	r = ref_verdict(ref, v.id, NF_ACCEPT);
	nest = mnl_attr_nest_start(r, NFQA_CT);
	if (a) {
		memcpy(mnl_nlmsg_get_payload_tail(r), a, MNL_ALIGN(a->nla_len));
		r->nlmsg_len += MNL_ALIGN(a->nla_len);
	}
	mnl_attr_nest_end(r, nest);
	same_bytes("verdict with NFQA_CT{CTA_HELP{name, info}}", ours, len, r,
		   r->nlmsg_len);

	/*
	 * NFQA_EXP as conntrackd nests it (nfexp_nlmsg_build() inside the
	 * nest); ours takes the same attributes as a caller-built blob, with
	 * an empty NFQA_CT so that the kernel applies it.
	 */
	ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, htonl(0xc0000201));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, htonl(0xc0000202));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, 0);
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(40000));
	exp = nfexp_new();
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, ct);
	nfexp_set_attr(exp, ATTR_EXP_MASK, ct);
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 0);
	memset(scratch, 0, sizeof(scratch));
	s = mnl_nlmsg_put_header(scratch);
	mnl_nlmsg_put_extra_header(s, sizeof(struct nfgenmsg));
	nfexp_nlmsg_build(s, exp);
	v.helper = NULL;
	v.help_info = NULL;
	v.help_info_len = 0;
	v.exp = (const uint8_t *)s + MNL_NLMSG_HDRLEN +
		MNL_ALIGN(sizeof(struct nfgenmsg));
	v.exp_len = s->nlmsg_len - MNL_NLMSG_HDRLEN -
		    MNL_ALIGN(sizeof(struct nfgenmsg));
	len = build_verdict(ours, &v);
	r = ref_verdict(ref, v.id, NF_ACCEPT);
	nest = mnl_attr_nest_start(r, NFQA_CT);
	mnl_attr_nest_end(r, nest);
	nest = mnl_attr_nest_start(r, NFQA_EXP);
	nfexp_nlmsg_build(r, exp);
	mnl_attr_nest_end(r, nest);
	same_bytes("verdict with empty NFQA_CT and NFQA_EXP", ours, len, r,
		   r->nlmsg_len);
	nfexp_destroy(exp);
	nfct_destroy(ct);
}

/* Build, parse back with the kernel's verdict policy, compare. */
static void test_verdict_roundtrip(void)
{
	static const struct attr_policy pol[NFQA_MAX + 1] = {
		[NFQA_VERDICT_HDR] = { ATTR_BIN,
				       sizeof(struct nfqnl_msg_verdict_hdr) },
		[NFQA_MARK] = { ATTR_U32 },
		[NFQA_PAYLOAD] = { ATTR_BIN },
		[NFQA_CT] = { ATTR_NEST },
		[NFQA_EXP] = { ATTR_NEST },
	};
	static const struct attr_policy help_pol[CTA_HELP_MAX + 1] = {
		[CTA_HELP_NAME] = { ATTR_STR },
		[CTA_HELP_INFO] = { ATTR_BIN },
	};
	static const uint8_t info[32] = { [0] = 0xaa, [31] = 0x55 };
	static const uint8_t payload[101] = { 0x60 };
	char ours[BUF], exp_buf[64];
	const struct nlattr *tb[NFQA_MAX + 1], *ct[CTA_MAX + 1];
	const struct nlattr *help[CTA_HELP_MAX + 1], *a;
	const struct nfqnl_msg_verdict_hdr *vh;
	struct ctalg_queue_verdict v = {
		.id = 77,
		.verdict = NF_QUEUE_NR(3),
		.flags = CTALG_VERDICT_MARK,
		.mark = 5,
		.helper = "tftp",
		.help_info = info,
		.help_info_len = sizeof(info),
		.payload = payload,
		.payload_len = sizeof(payload),
	};
	struct nlmsghdr *nlh = (struct nlmsghdr *)ours;
	struct nlmsghdr *e = mnl_nlmsg_put_header(exp_buf);
	unsigned int n = 0;
	size_t len;

	/* A blob of one attribute, as the expectation builder would give. */
	mnl_attr_put_u32(e, CTA_EXPECT_CLASS, htonl(1));
	v.exp = mnl_nlmsg_get_payload(e);
	v.exp_len = mnl_nlmsg_get_payload_len(e);

	len = build_verdict(ours, &v);
	tap_ok(len && len == nlh->nlmsg_len &&
		   attr_parse_msg(nlh, pol, NFQA_MAX, tb) == 0,
	       "verdict round trip: parses with the kernel's policy");
	if (!len || !tb[NFQA_VERDICT_HDR] || !tb[NFQA_CT] || !tb[NFQA_EXP] ||
	    !tb[NFQA_PAYLOAD] || !tb[NFQA_MARK]) {
		tap_ok(false, "verdict round trip: every attribute present");
		return;
	}
	vh = mnl_attr_get_payload(tb[NFQA_VERDICT_HDR]);
	tap_eq_u(ntohl(vh->id), 77, "verdict round trip: id");
	tap_eq_u(ntohl(vh->verdict), NF_QUEUE_NR(3),
		 "verdict round trip: verdict");
	tap_eq_u(ntohl(mnl_attr_get_u32(tb[NFQA_MARK])), 5,
		 "verdict round trip: mark");
	tap_eq_u(nlh->nlmsg_seq, 77, "verdict round trip: sequence = id");
	tap_ok(mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]) == sizeof(payload) &&
		   !memcmp(mnl_attr_get_payload(tb[NFQA_PAYLOAD]), payload,
			   sizeof(payload)),
	       "verdict round trip: payload");
	tap_ok(mnl_attr_get_payload_len(tb[NFQA_EXP]) == v.exp_len &&
		   !memcmp(mnl_attr_get_payload(tb[NFQA_EXP]), v.exp, v.exp_len),
	       "verdict round trip: NFQA_EXP content as given");
	/* Nothing but CTA_HELP in NFQA_CT: no status, no echo. */
	mnl_attr_for_each_nested(a, tb[NFQA_CT])
	{
		n++;
	}
	tap_eq_u(n, 1, "verdict round trip: NFQA_CT holds one attribute");
	memset(ct, 0, sizeof(ct));
	mnl_attr_for_each_nested(a, tb[NFQA_CT])
	{
		if (mnl_attr_get_type(a) <= CTA_MAX)
			ct[mnl_attr_get_type(a)] = a;
	}
	tap_ok(ct[CTA_HELP] && !ct[CTA_STATUS],
	       "verdict round trip: CTA_HELP, never CTA_STATUS");
	if (!ct[CTA_HELP])
		return;
	tap_ok(attr_parse_nested(ct[CTA_HELP], help_pol, CTA_HELP_MAX, help) == 0 &&
		   help[CTA_HELP_NAME] && help[CTA_HELP_INFO],
	       "verdict round trip: CTA_HELP parses");
	if (!help[CTA_HELP_NAME] || !help[CTA_HELP_INFO])
		return;
	tap_eq_str(mnl_attr_get_str(help[CTA_HELP_NAME]), "tftp",
		   "verdict round trip: helper name");
	tap_ok(mnl_attr_get_payload_len(help[CTA_HELP_INFO]) == sizeof(info) &&
		   !memcmp(mnl_attr_get_payload(help[CTA_HELP_INFO]), info,
			   sizeof(info)),
	       "verdict round trip: private state");

	/* Without payload inline: the head stops at the attribute header. */
	len = queue_verdict_build(ours, BUF, 7, &v, false);
	tap_eq_u(len + MNL_ALIGN(sizeof(payload)), nlh->nlmsg_len,
		 "verdict head: the payload bytes are left to the sender");

	/* The batch verdict. */
	len = queue_batch_build(ours, BUF, 7, NF_ACCEPT, 0xfffffffe);
	tap_ok(len &&
		   nlh->nlmsg_type ==
		       (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT_BATCH) &&
		   attr_parse_msg(nlh, pol, NFQA_MAX, tb) == 0 &&
		   tb[NFQA_VERDICT_HDR] && !tb[NFQA_CT] && !tb[NFQA_PAYLOAD],
	       "batch verdict: type and attributes");
	if (tb[NFQA_VERDICT_HDR]) {
		vh = mnl_attr_get_payload(tb[NFQA_VERDICT_HDR]);
		tap_ok(ntohl(vh->id) == 0xfffffffe &&
			   ntohl(vh->verdict) == NF_ACCEPT,
		       "batch verdict: accept up to the id");
	}
}

/*
 * NFQA_EXP content from the library's expectation builder, the way the
 * daemon makes it: ctalg_exp_put() into a scratch message, whose attributes
 * are the blob; the verdict's NFQA_EXP parses back to the same expectation.
 */
static void test_verdict_exp(void)
{
	static const struct attr_policy pol[NFQA_MAX + 1] = {
		[NFQA_CT] = { ATTR_NEST },
		[NFQA_EXP] = { ATTR_NEST },
	};
	struct ctalg_expect exp = {
		.set = CTALG_EXP_TUPLE | CTALG_EXP_MASK | CTALG_EXP_CLASS |
		       CTALG_EXP_HELPER,
		.family = AF_INET6,
		.class_nr = 1,
		.helper = "tftp",
	};
	struct ctalg_expect back;
	struct ctalg_queue_verdict v = { .id = 9, .verdict = NF_ACCEPT };
	const struct nlattr *tb[NFQA_MAX + 1] = { 0 };
	char scratch[BUF], ours[BUF];
	struct nlmsghdr *s;

	exp.tuple = (struct ctalg_tuple){
		.set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO |
		       CTALG_TUPLE_DPORT,
		.family = AF_INET6,
		.l4proto = IPPROTO_UDP,
		.dport = 69,
	};
	inet_pton(AF_INET6, "2001:db8::1", exp.tuple.src.b);
	inet_pton(AF_INET6, "2001:db8::2", exp.tuple.dst.b);
	exp.mask = exp.tuple;
	memset(exp.mask.src.b, 0xff, 16);
	memset(exp.mask.dst.b, 0xff, 16);
	exp.mask.dport = 0xffff;
	memset(scratch, 0, sizeof(scratch));
	s = mnl_nlmsg_put_header(scratch);
	tap_ok(ctalg_exp_put(s, sizeof(scratch), &exp) == 0,
	       "NFQA_EXP from ctalg_exp_put(): built");
	v.exp = mnl_nlmsg_get_payload(s);
	v.exp_len = (uint32_t)mnl_nlmsg_get_payload_len(s);
	tap_ok(build_verdict(ours, &v) > 0 &&
		   attr_parse_msg((struct nlmsghdr *)ours, pol, NFQA_MAX, tb) ==
		       0 &&
		   tb[NFQA_CT] && tb[NFQA_EXP] &&
		   mnl_attr_get_payload_len(tb[NFQA_CT]) == 0,
	       "NFQA_EXP from ctalg_exp_put(): with an empty NFQA_CT");
	tap_ok(tb[NFQA_EXP] &&
		   ctalg_exp_parse_nested(tb[NFQA_EXP], AF_INET6, &back) == 0 &&
		   (back.set & exp.set) == exp.set && back.class_nr == 1 &&
		   !strcmp(back.helper, "tftp") && back.tuple.dport == 69 &&
		   !memcmp(back.tuple.src.b, exp.tuple.src.b, 16) &&
		   back.mask.dport == 0xffff,
	       "NFQA_EXP from ctalg_exp_put(): parses back the same");
}

static void test_verdict_check(void)
{
	static const uint8_t junk[8] = { 0xff, 0xff, 0, 0 }; /* nla_len 65535 */
	static const uint8_t info[33];
	static const uint8_t big[CTALG_QUEUE_COPY_MAX + 1];
	struct {
		const char *what;
		struct ctalg_queue_verdict v;
		bool ok;
	} cases[] = {
		{ "accept", { .verdict = NF_ACCEPT }, true },
		{ "drop", { .verdict = NF_DROP }, true },
		{ "repeat", { .verdict = NF_REPEAT }, true },
		{ "queue 9 with bypass",
		  { .verdict = NF_QUEUE_NR(9) | NF_VERDICT_FLAG_QUEUE_BYPASS },
		  true },
		{ "stolen", { .verdict = NF_STOLEN }, false },
		{ "verdict 6", { .verdict = 6 }, false },
		{ "accept with queue bits",
		  { .verdict = NF_ACCEPT | 0x10000 },
		  false },
		{ "helper name of 15", { .helper = "abcdefghijklmno" }, true },
		{ "helper name of 16", { .helper = "abcdefghijklmnop" }, false },
		{ "empty helper name (detach)", { .helper = "" }, true },
		{ "33 bytes of state",
		  { .helper = "x", .help_info = info, .help_info_len = 33 },
		  false },
		{ "state without helper",
		  { .help_info = info, .help_info_len = 4 },
		  false },
		{ "broken NFQA_EXP content",
		  { .exp = junk, .exp_len = sizeof(junk) },
		  false },
		{ "empty NFQA_EXP content", { .exp = junk, .exp_len = 0 }, false },
		{ "payload of 65532",
		  { .payload = big, .payload_len = sizeof(big) },
		  false },
		{ "payload of 65531",
		  { .payload = big, .payload_len = sizeof(big) - 1 },
		  true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int r;

		errno = 0;
		r = queue_verdict_check(&cases[i].v);
		tap_ok(cases[i].ok ? r == 0 : r < 0 && errno == EINVAL,
		       "verdict check: %s %s", cases[i].what,
		       cases[i].ok ? "accepted" : "refused (EINVAL)");
	}
	tap_ok(queue_verdict_plain(&cases[0].v), "plain: a bare accept");
	tap_ok(!queue_verdict_plain(&cases[1].v), "plain: not a drop");
	tap_ok(!queue_verdict_plain(&(struct ctalg_queue_verdict){
		   .verdict = NF_ACCEPT, .flags = CTALG_VERDICT_CT }),
	       "plain: not with NFQA_CT");
}

/* ---- packet messages ---- */

struct pktmsg {
	char buf[BUF];
	struct nlmsghdr *nlh;
};

static void pkt_start(struct pktmsg *m, uint8_t family, uint32_t id,
		      uint16_t proto, uint8_t hook)
{
	struct nfqnl_msg_packet_hdr ph = {
		.packet_id = htonl(id),
		.hw_protocol = htons(proto),
		.hook = hook,
	};

	memset(m->buf, 0xa5, sizeof(m->buf));
	m->nlh = mnl_nlmsg_put_header(m->buf);
	m->nlh->nlmsg_type = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET;
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(m->nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->res_id = htons(7);
	mnl_attr_put(m->nlh, NFQA_PACKET_HDR, sizeof(ph), &ph);
}

/* NFQA_PAYLOAD last and unpadded, as the kernel sends it. */
static void pkt_payload(struct pktmsg *m, const void *p, size_t len)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(m->nlh);

	a->nla_type = NFQA_PAYLOAD;
	a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + len);
	memcpy((char *)a + MNL_ATTR_HDRLEN, p, len);
	m->nlh->nlmsg_len += (uint32_t)(MNL_ATTR_HDRLEN + len);
}

/* An IPv4 TCP packet 192.0.2.1:40000 -> 198.51.100.2:21 with data. */
static const uint8_t tcp4[] = {
	0x45, 0x00, 0x00, 0x37, /* version 4, IHL 5, total 55 */
	0x12, 0x34, 0x40, 0x00, /* id, DF */
	0x40, 0x06, 0x00, 0x00, /* TTL 64, TCP, checksum */
	0xc0, 0x00, 0x02, 0x01, /* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02, /* 198.51.100.2 */
	0x9c, 0x40, 0x00, 0x15, /* 40000 -> 21 */
	0x00, 0x00, 0x10, 0x00, /* seq 4096 */
	0x00, 0x00, 0x20, 0x00, /* ack 8192 */
	0x50, 0x18, 0xff, 0xff, /* doff 5, PSH|ACK, window */
	0x00, 0x00, 0x00, 0x00, /* checksum, urgent */
	'P',  'A',  'S',  'V',	'\r', '\n', 'N', 'O',
	'O',  'P',  '\r', '\n', '!',  '!',  '!' /* 15 bytes of data: 55 in all, odd */
};

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, const char *src,
		      const char *dst, uint16_t sport, uint16_t dport,
		      uint8_t family)
{
	struct ctalg_tuple t = { .set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST |
					CTALG_TUPLE_PROTO | CTALG_TUPLE_SPORT |
					CTALG_TUPLE_DPORT,
				 .family = family,
				 .l4proto = IPPROTO_TCP,
				 .sport = sport,
				 .dport = dport };

	inet_pton(family, src, t.src.b);
	inet_pton(family, dst, t.dst.b);
	tuple_put(nlh, type, &t);
}

static void test_pkt_full(void)
{
	static const uint8_t info[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	struct ctalg_queue_pkt p;
	struct pktmsg m;
	struct nlattr *ct, *help;
	struct ctalg_cursor data;

	pkt_start(&m, AF_INET, 0x11223344, 0x0800, NF_INET_POST_ROUTING);
	mnl_attr_put_u32(m.nlh, NFQA_IFINDEX_INDEV, htonl(3));
	mnl_attr_put_u32(m.nlh, NFQA_IFINDEX_OUTDEV, htonl(4));
	mnl_attr_put_u32(m.nlh, NFQA_MARK, htonl(0x42));
	ct = mnl_attr_nest_start(m.nlh, NFQA_CT);
	put_tuple(m.nlh, CTA_TUPLE_ORIG, "192.0.2.1", "198.51.100.2", 40000, 21,
		  AF_INET);
	put_tuple(m.nlh, CTA_TUPLE_REPLY, "198.51.100.2", "192.0.2.1", 21,
		  40000, AF_INET);
	mnl_attr_put_u32(m.nlh, CTA_ID, htonl(1234));
	mnl_attr_put_u32(m.nlh, CTA_STATUS, htonl(0x18e));
	mnl_attr_put_u32(m.nlh, CTA_TIMEOUT, htonl(300)); /* not in policy */
	help = mnl_attr_nest_start(m.nlh, CTA_HELP);
	mnl_attr_put_strz(m.nlh, CTA_HELP_NAME, "ftp");
	mnl_attr_put(m.nlh, CTA_HELP_INFO, sizeof(info), info);
	mnl_attr_nest_end(m.nlh, help);
	put_tuple(m.nlh, CTA_TUPLE_MASTER, "192.0.2.1", "198.51.100.2", 40000,
		  21, AF_INET);
	mnl_attr_put_u32(m.nlh, CTA_MARK, htonl(0x77));
	mnl_attr_put_u16(m.nlh, CTA_ZONE, htons(3));
	mnl_attr_nest_end(m.nlh, ct);
	mnl_attr_put_u32(m.nlh, NFQA_CT_INFO, htonl(IP_CT_ESTABLISHED_REPLY));
	mnl_attr_put_u32(m.nlh, 200, 0); /* from a future kernel: skipped */
	pkt_payload(&m, tcp4, sizeof(tcp4));

	tap_ok(m.nlh->nlmsg_len % 4 != 0, "packet: message ends unpadded");
	tap_ok(ctalg_queue_pkt_parse(m.nlh, m.nlh->nlmsg_len, &p) == 0 &&
		   p.bad == 0,
	       "packet: parses, nothing malformed");
	tap_eq_u(p.id, 0x11223344, "packet: id");
	tap_eq_u(p.hw_protocol, 0x0800, "packet: hw protocol");
	tap_eq_u(p.hook, NF_INET_POST_ROUTING, "packet: hook");
	tap_eq_u(p.family, AF_INET, "packet: family");
	tap_ok(p.indev == 3 && p.outdev == 4 &&
		   (p.flags & (CTALG_PKT_INDEV | CTALG_PKT_OUTDEV)) ==
		       (CTALG_PKT_INDEV | CTALG_PKT_OUTDEV),
	       "packet: interfaces");
	tap_ok(p.mark == 0x42 && (p.flags & CTALG_PKT_MARK), "packet: mark");
	tap_ok(p.payload_len == sizeof(tcp4) && p.cap_len == sizeof(tcp4) &&
		   !(p.flags & CTALG_PKT_CUT),
	       "packet: payload and cap len");
	tap_ok((p.flags & CTALG_PKT_CT_INFO) &&
		   p.ctinfo == IP_CT_ESTABLISHED_REPLY,
	       "packet: ct info");
	tap_ok((p.flags & CTALG_PKT_CT) && p.ct.id == 1234 &&
		   p.ct.status == 0x18e && p.ct.mark == 0x77 && p.ct.zone == 3,
	       "packet: ct id, status, mark, zone");
	tap_ok(p.ct.orig.sport == 40000 && p.ct.orig.dport == 21 &&
		   p.ct.reply.sport == 21 && p.ct.orig.src.b[0] == 192 &&
		   p.ct.reply.src.b[0] == 198,
	       "packet: ct tuples");
	tap_ok(p.flags & CTALG_PKT_CT_MASTER, "packet: expected connection");
	tap_ok((p.flags & CTALG_PKT_CT_HELP) && !strcmp(p.ct.helper, "ftp") &&
		   p.ct.help_info_len == sizeof(info) &&
		   !memcmp(p.ct.help_info, info, sizeof(info)),
	       "packet: helper name and private state");
	tap_ok(p.ip.version == 4 && p.ip.l4proto == IPPROTO_TCP &&
		   (p.ip.flags & CTALG_IP_L4) && p.ip.sport == 40000 &&
		   p.ip.dport == 21 && p.ip.seq == 4096 && p.ip.ack == 8192 &&
		   p.ip.tcp_flags == 0x18,
	       "packet: IPv4 TCP header");
	data = ctalg_queue_pkt_data(&p);
	tap_ok(ctalg_cursor_left(&data) == 15 &&
		   ctalg_cursor_starts(&data, "PASV\r\n", 6),
	       "packet: layer-4 payload through the cursor");

	/* Cut by the copy range: NFQA_CAP_LEN says how long it was. */
	pkt_start(&m, AF_INET, 5, 0x0800, NF_INET_LOCAL_IN);
	mnl_attr_put_u32(m.nlh, NFQA_CAP_LEN, htonl(1500));
	pkt_payload(&m, tcp4, 44);
	tap_ok(ctalg_queue_pkt_parse(m.nlh, m.nlh->nlmsg_len, &p) == 0 &&
		   p.bad == 0 && (p.flags & CTALG_PKT_CUT) && p.cap_len == 1500 &&
		   p.payload_len == 44 && (p.ip.flags & CTALG_IP_CUT) &&
		   (p.ip.flags & CTALG_IP_L4) && p.ip.data_len == 4,
	       "packet cut by the copy range: flagged, headers still read");

	/* No payload (copy mode meta): nothing to look at, still a packet. */
	pkt_start(&m, AF_INET6, 6, 0x86dd, NF_INET_LOCAL_OUT);
	tap_ok(ctalg_queue_pkt_parse(m.nlh, m.nlh->nlmsg_len, &p) == 0 &&
		   p.id == 6 && !p.payload && ctalg_queue_pkt_data(&p).len == 0,
	       "packet without payload");
}

/* A packet message that must still yield its id, with @bad set. */
static void pkt_expect(const char *what, const struct pktmsg *m, size_t len,
		       int ret, int err, uint32_t bad)
{
	struct ctalg_queue_pkt p;
	int r;

	errno = 0;
	r = ctalg_queue_pkt_parse(m->nlh, len, &p);
	if (!tap_ok(r == ret && (ret == 0 ? p.bad == bad : errno == err),
		    "hostile packet message: %s", what)) {
		tap_diag("returned %d errno %d bad 0x%x", r, errno, p.bad);
		tap_diag_bytes("message", m->nlh, len);
	}
}

static void test_pkt_hostile(void)
{
	struct pktmsg m;
	struct nlattr *ct, *help, *a;

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	mnl_attr_put_u32(m.nlh, NFQA_MARK, htonl(1));
	a = mnl_nlmsg_get_payload_tail(m.nlh);
	a->nla_type = NFQA_IFINDEX_INDEV;
	a->nla_len = 200; /* beyond the message */
	m.nlh->nlmsg_len += 8;
	pkt_expect("attribute beyond the message: id kept, flagged", &m,
		   m.nlh->nlmsg_len, 0, 0, CTALG_PKT_BAD_ATTR);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	mnl_attr_put_u16(m.nlh, NFQA_MARK, 1); /* a u32 of two bytes */
	pkt_expect("mark of two bytes: flagged", &m, m.nlh->nlmsg_len, 0, 0,
		   CTALG_PKT_BAD_ATTR);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	m.nlh->nlmsg_len -= 4; /* packet header cut: no id */
	pkt_expect("packet header cut: refused (EBADMSG)", &m, m.nlh->nlmsg_len,
		   -1, EBADMSG, 0);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	pkt_expect("message longer than the bytes given (EBADMSG)", &m,
		   m.nlh->nlmsg_len - 1, -1, EBADMSG, 0);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	m.nlh->nlmsg_type = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT;
	pkt_expect("not a packet message (EPROTO)", &m, m.nlh->nlmsg_len, -1,
		   EPROTO, 0);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	ct = mnl_attr_nest_start(m.nlh, NFQA_CT);
	put_tuple(m.nlh, CTA_TUPLE_ORIG, "2001:db8::1", "2001:db8::2", 1, 2,
		  AF_INET6);
	mnl_attr_nest_end(m.nlh, ct);
	pkt_payload(&m, tcp4, sizeof(tcp4));
	pkt_expect("IPv6 tuple in an IPv4 packet's conntrack", &m,
		   m.nlh->nlmsg_len, 0, 0, CTALG_PKT_BAD_CT);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	ct = mnl_attr_nest_start(m.nlh, NFQA_CT);
	help = mnl_attr_nest_start(m.nlh, CTA_HELP);
	mnl_attr_put(m.nlh, CTA_HELP_NAME, 3, "ftp"); /* no NUL */
	mnl_attr_nest_end(m.nlh, help);
	mnl_attr_nest_end(m.nlh, ct);
	pkt_expect("helper name without NUL", &m, m.nlh->nlmsg_len, 0, 0,
		   CTALG_PKT_BAD_CT);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	ct = mnl_attr_nest_start(m.nlh, NFQA_CT);
	help = mnl_attr_nest_start(m.nlh, CTA_HELP);
	mnl_attr_put_strz(m.nlh, CTA_HELP_NAME, "a-very-long-helper");
	mnl_attr_nest_end(m.nlh, help);
	mnl_attr_nest_end(m.nlh, ct);
	pkt_expect("helper name of 18 characters", &m, m.nlh->nlmsg_len, 0, 0,
		   CTALG_PKT_BAD_CT);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	ct = mnl_attr_nest_start(m.nlh, NFQA_CT);
	help = mnl_attr_nest_start(m.nlh, CTA_HELP);
	mnl_attr_put_strz(m.nlh, CTA_HELP_NAME, "ftp");
	mnl_attr_put(m.nlh, CTA_HELP_INFO, 40, m.buf);
	mnl_attr_nest_end(m.nlh, help);
	mnl_attr_nest_end(m.nlh, ct);
	pkt_expect("40 bytes of helper state", &m, m.nlh->nlmsg_len, 0, 0,
		   CTALG_PKT_BAD_CT);

	pkt_start(&m, AF_INET, 1, 0x0800, 3);
	pkt_payload(&m, tcp4, 30); /* total length says 55 */
	pkt_expect("payload shorter than its IP header says, not cut by the "
		   "kernel",
		   &m, m.nlh->nlmsg_len, 0, 0, CTALG_PKT_BAD_IP);
}

/* ---- the layer 3/4 view ---- */

struct ip_case {
	const char *what;
	const char *hex;
	int ret;
	uint8_t flags; /* that must be set */
	uint8_t l4proto;
	uint32_t l4_off;
	uint32_t data_off;
	uint32_t data_len;
};

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (*hex && n < max) {
		unsigned int v;

		if (*hex == ' ' || *hex == '\n') {
			hex++;
			continue;
		}
		if (!hex[1])
			abort(); /* an odd number of digits: a broken vector */
		v = (unsigned int)((hex[0] <= '9' ? hex[0] - '0'
						  : (hex[0] | 0x20) - 'a' + 10)
				   << 4);
		v |= (unsigned int)(hex[1] <= '9' ? hex[1] - '0'
						  : (hex[1] | 0x20) - 'a' + 10);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

/* 40-byte IPv6 header, payload length LLLL, next header NN: fill in. */
#define IP6(len, nh)                       \
	"60000000" len nh "40"             \
	"20010db8000000000000000000000001" \
	"20010db8000000000000000000000002"
#define UDP8(len) "138813890" len "0000"

static const struct ip_case ip_cases[] = {
	{ "empty", "", -1 },
	{ "version 5", "5500", -1 },
	{ "IPv4 of 19 bytes", "4500001300000000401100000a0000010a0000", -1 },
	{ "IPv4 IHL 4", "4400001c00000000401100000a0000010a000002" UDP8("008"),
	  -1 },
	{ "IPv4 IHL 15 in 28 bytes",
	  "4f00001c00000000401100000a0000010a000002" UDP8("008"), -1 },
	{ "IPv4 total length below its header",
	  "4500001000000000401100000a0000010a000002" UDP8("008"), -1 },
	{ "IPv4 UDP, no data",
	  "4500001c00000000401100000a0000010a000002" UDP8("008"), 0,
	  CTALG_IP_L4, IPPROTO_UDP, 20, 28, 0 },
	{ "IPv4 UDP, 2 bytes of data",
	  "4500001e00000000401100000a0000010a000002" UDP8("00a") "abcd", 0,
	  CTALG_IP_L4, IPPROTO_UDP, 20, 28, 2 },
	{ "IPv4 UDP length 7",
	  "4500001e00000000401100000a0000010a000002" UDP8("007") "abcd", -1 },
	{ "IPv4 UDP length beyond the packet",
	  "4500001e00000000401100000a0000010a000002" UDP8("00b") "abcd", -1 },
	{ "IPv4 UDP length shorter than the packet (padding ignored)",
	  "4500001e00000000401100000a0000010a000002" UDP8("009") "abcd", 0,
	  CTALG_IP_L4, IPPROTO_UDP, 20, 28, 1 },
	{ "IPv4 total length beyond the capture: cut, not bad",
	  "4500004000000000401100000a0000010a000002" UDP8("02c") "abcd", 0,
	  CTALG_IP_L4 | CTALG_IP_CUT, IPPROTO_UDP, 20, 28, 2 },
	{ "IPv4 with options",
	  "4600002000000000401100000a0000010a00000201010101" UDP8("008"), 0,
	  CTALG_IP_L4, IPPROTO_UDP, 24, 32, 0 },
	{ "IPv4 capture ending inside the options: cut, not bad",
	  "4600002000000000401100000a0000010a0000020101", 0, CTALG_IP_CUT,
	  IPPROTO_UDP, 0, 0, 0 },
	{ "IPv4 total length ending inside the options",
	  "4600001600000000401100000a0000010a0000020101", -1 },
	{ "IPv4 later fragment: no layer 4",
	  "4500001c00000001401100000a0000010a000002" UDP8("008"), 0,
	  CTALG_IP_FRAG | CTALG_IP_FRAG_LATER, IPPROTO_UDP, 20, 0, 0 },
	{ "IPv4 first fragment: layer 4 read, UDP length is the datagram's",
	  "4500001c00002000401100000a0000010a000002" UDP8("010"), 0,
	  CTALG_IP_FRAG | CTALG_IP_L4, IPPROTO_UDP, 20, 28, 0 },
	{ "IPv4 TCP data offset 4",
	  "4500002800000000400600000a0000010a000002"
	  "0001000200000000000000004000000000000000",
	  -1 },
	{ "IPv4 TCP data offset beyond the packet",
	  "4500002800000000400600000a0000010a000002"
	  "0001000200000000000000006000000000000000",
	  -1 },
	{ "IPv4 TCP header of 10 bytes",
	  "4500001e00000000400600000a0000010a000002"
	  "00010002000000000000",
	  -1 },
	{ "IPv4 TCP with options and data",
	  "4500003000000000400600000a0000010a000002"
	  "0001000200000001000000026012000000000000"
	  "01010101"
	  "61626364",
	  0, CTALG_IP_L4, IPPROTO_TCP, 20, 44, 4 },
	{ "IPv4 ICMP: no layer 4 view",
	  "4500001c00000000400100000a0000010a0000020800000000000000", 0, 0,
	  IPPROTO_ICMP, 20, 0, 0 },
	{ "IPv6 of 39 bytes",
	  "60000000000811402001"
	  "0db80000000000000000000000012001"
	  "0db80000000000000000000002",
	  -1 },
	{ "IPv6 UDP", IP6("0008", "11") UDP8("008"), 0, CTALG_IP_L4,
	  IPPROTO_UDP, 40, 48, 0 },
	{ "IPv6 hop-by-hop, routing (no segments left), destination options, "
	  "fragment (first), UDP",
	  IP6("0028", "00") "2b00010400000000"
			    "3c00000000000000"
			    "2c00000000000000"
			    "1100000100000001" UDP8("008"),
	  0, CTALG_IP_L4 | CTALG_IP_FRAG, IPPROTO_UDP, 72, 80, 0 },
	{ "IPv6 AH (length 1 = 12 bytes) then UDP",
	  IP6("0014", "33") "110100000000000000000000" UDP8("008"), 0,
	  CTALG_IP_L4, IPPROTO_UDP, 52, 60, 0 },
	{ "IPv6 later fragment: no layer 4",
	  IP6("0010", "2c") "1100000800000001" UDP8("008"), 0,
	  CTALG_IP_FRAG | CTALG_IP_FRAG_LATER, IPPROTO_UDP, 48, 0, 0 },
	{ "IPv6 extension header beyond the packet",
	  IP6("0008", "3c") "1105000000000000", -1 },
	{ "IPv6 extension header cut in its first two bytes",
	  IP6("0001", "3c") "11", -1 },
	{ "IPv6 hop-by-hop after another header",
	  IP6("0018", "3c") "0000000000000000"
			    "1100000000000000" UDP8("008"),
	  -1 },
	{ "IPv6 payload length beyond the capture: cut",
	  IP6("0100", "11") UDP8("0f8") "abcd", 0, CTALG_IP_L4 | CTALG_IP_CUT,
	  IPPROTO_UDP, 40, 48, 2 },
	{ "IPv6 chain cut by the capture: no layer 4, not bad",
	  IP6("0100", "3c") "3c00000000000000"
			    "3c000000",
	  0, CTALG_IP_CUT, IPPROTO_DSTOPTS, 48, 0, 0 },
	{ "IPv6 no next header", IP6("0000", "3b"), 0, 0, 59, 40, 0, 0 },
};

static void test_ip_vectors(void)
{
	uint8_t buf[2048];
	struct ctalg_ip ip;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ip_cases); i++) {
		const struct ip_case *c = &ip_cases[i];
		size_t len = unhex(c->hex, buf, sizeof(buf));
		int r = ctalg_ip_parse(buf, len, &ip);
		bool ok = r == c->ret;

		if (ok && r == 0)
			ok = (ip.flags & c->flags) == c->flags &&
			     !(ip.flags & CTALG_IP_BAD) &&
			     ip.l4proto == c->l4proto && ip.l4_off == c->l4_off &&
			     ip.data_off == c->data_off &&
			     ip.data_len == c->data_len;
		if (ok && r < 0)
			ok = (ip.flags & CTALG_IP_BAD) && ip.error;
		if (!tap_ok(ok, "ip: %s", c->what)) {
			tap_diag(
			    "returned %d flags 0x%x proto %u l4 %u data %u+%u "
			    "(%s)",
			    r, ip.flags, ip.l4proto, ip.l4_off, ip.data_off,
			    ip.data_len, ip.error ? ip.error : "");
			tap_diag_bytes("packet", buf, len);
		}
	}
}

/* A chain of 40 destination-options headers: bounded, refused. */
static void test_ip_long_chain(void)
{
	uint8_t buf[40 + 40 * 8 + 8];
	struct ctalg_ip ip;
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x60;
	buf[4] = (uint8_t)((sizeof(buf) - 40) >> 8);
	buf[5] = (uint8_t)(sizeof(buf) - 40);
	buf[6] = IPPROTO_DSTOPTS;
	for (i = 0; i < 40; i++)
		buf[40 + i * 8] = i < 39 ? IPPROTO_DSTOPTS : IPPROTO_UDP;
	tap_ok(ctalg_ip_parse(buf, sizeof(buf), &ip) < 0 && ip.error &&
		   strstr(ip.error, "too many"),
	       "ip: 40 chained extension headers refused");

	/* Every header length 255 (2 KiB each): runs past the end at once. */
	for (i = 0; i < 40; i++)
		buf[40 + i * 8 + 1] = 255;
	tap_ok(ctalg_ip_parse(buf, sizeof(buf), &ip) < 0 &&
		   strstr(ip.error, "beyond"),
	       "ip: extension header length beyond the packet refused");
}

int main(void)
{
	test_config();
	test_verdict_ref();
	test_verdict_roundtrip();
	test_verdict_exp();
	test_verdict_check();
	test_pkt_full();
	test_pkt_hostile();
	test_ip_vectors();
	test_ip_long_chain();
	return tap_done();
}
