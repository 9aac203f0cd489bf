// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack entries from ctnetlink: parse dump replies and events, build the
 * dump and get requests, join the event groups.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctalg/ct.h>

#include "internal.h"

static const struct attr_policy ct_pol[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = { ATTR_NEST },
	[CTA_TUPLE_REPLY] = { ATTR_NEST },
	[CTA_STATUS] = { ATTR_U32 },
	[CTA_PROTOINFO] = { ATTR_NEST },
	[CTA_HELP] = { ATTR_NEST },
	[CTA_TIMEOUT] = { ATTR_U32 },
	[CTA_MARK] = { ATTR_U32 },
	[CTA_COUNTERS_ORIG] = { ATTR_NEST },
	[CTA_COUNTERS_REPLY] = { ATTR_NEST },
	[CTA_USE] = { ATTR_U32 },
	[CTA_ID] = { ATTR_U32 },
	[CTA_TUPLE_MASTER] = { ATTR_NEST },
	[CTA_SECMARK] = { ATTR_U32 },
	[CTA_ZONE] = { ATTR_U16 },
	[CTA_SECCTX] = { ATTR_NEST },
	[CTA_TIMESTAMP] = { ATTR_NEST },
	[CTA_LABELS] = { ATTR_BIN, 0 },
};

static const struct attr_policy protoinfo_pol[CTA_PROTOINFO_MAX + 1] = {
	[CTA_PROTOINFO_TCP] = { ATTR_NEST },
	[CTA_PROTOINFO_DCCP] = { ATTR_NEST },
	[CTA_PROTOINFO_SCTP] = { ATTR_NEST },
};

static const struct attr_policy tcp_pol[CTA_PROTOINFO_TCP_MAX + 1] = {
	[CTA_PROTOINFO_TCP_STATE] = { ATTR_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] = { ATTR_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_REPLY] = { ATTR_U8 },
	/* struct nf_ct_tcp_flags: flags, mask */
	[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL] = { ATTR_BIN, 2 },
	[CTA_PROTOINFO_TCP_FLAGS_REPLY] = { ATTR_BIN, 2 },
};

static const struct attr_policy sctp_pol[CTA_PROTOINFO_SCTP_MAX + 1] = {
	[CTA_PROTOINFO_SCTP_STATE] = { ATTR_U8 },
	[CTA_PROTOINFO_SCTP_VTAG_ORIGINAL] = { ATTR_U32 },
	[CTA_PROTOINFO_SCTP_VTAG_REPLY] = { ATTR_U32 },
};

static const struct attr_policy dccp_pol[CTA_PROTOINFO_DCCP_MAX + 1] = {
	[CTA_PROTOINFO_DCCP_STATE] = { ATTR_U8 },
	[CTA_PROTOINFO_DCCP_ROLE] = { ATTR_U8 },
	[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ] = { ATTR_U64 },
};

static const struct attr_policy counters_pol[CTA_COUNTERS_MAX + 1] = {
	[CTA_COUNTERS_PACKETS] = { ATTR_U64 },
	[CTA_COUNTERS_BYTES] = { ATTR_U64 },
	[CTA_COUNTERS32_PACKETS] = { ATTR_U32 },
	[CTA_COUNTERS32_BYTES] = { ATTR_U32 },
};

static const struct attr_policy timestamp_pol[CTA_TIMESTAMP_MAX + 1] = {
	[CTA_TIMESTAMP_START] = { ATTR_U64 },
	[CTA_TIMESTAMP_STOP] = { ATTR_U64 },
};

static const struct attr_policy help_pol[CTA_HELP_MAX + 1] = {
	[CTA_HELP_NAME] = { ATTR_STR, CTALG_CT_HELPER_MAX },
	[CTA_HELP_INFO] = { ATTR_BIN, 0 },
};

static const struct attr_policy secctx_pol[CTA_SECCTX_MAX + 1] = {
	[CTA_SECCTX_NAME] = { ATTR_STR, CTALG_CT_SECCTX_MAX },
};

static inline uint32_t get_be32(const struct nlattr *a)
{
	return ntohl(mnl_attr_get_u32(a));
}

static inline uint64_t get_be64(const struct nlattr *a)
{
	return be64toh(mnl_attr_get_u64(a));
}

static int ct_parse_tcp(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_PROTOINFO_TCP_MAX + 1];
	const struct nlattr *a;

	if (attr_parse_nested(nest, tcp_pol, CTA_PROTOINFO_TCP_MAX, tb) < 0)
		return -1;
	if ((a = tb[CTA_PROTOINFO_TCP_STATE])) {
		ct->tcp_state = mnl_attr_get_u8(a);
		ct->set |= CTALG_CT_TCP_STATE;
	}
	if ((a = tb[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL])) {
		ct->tcp_wscale[CTALG_DIR_ORIG] = mnl_attr_get_u8(a);
		ct->set |= CTALG_CT_TCP_WSCALE_ORIG;
	}
	if ((a = tb[CTA_PROTOINFO_TCP_WSCALE_REPLY])) {
		ct->tcp_wscale[CTALG_DIR_REPLY] = mnl_attr_get_u8(a);
		ct->set |= CTALG_CT_TCP_WSCALE_REPLY;
	}
	if ((a = tb[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL])) {
		memcpy(ct->tcp_flags[CTALG_DIR_ORIG], mnl_attr_get_payload(a), 2);
		ct->set |= CTALG_CT_TCP_FLAGS_ORIG;
	}
	if ((a = tb[CTA_PROTOINFO_TCP_FLAGS_REPLY])) {
		memcpy(ct->tcp_flags[CTALG_DIR_REPLY], mnl_attr_get_payload(a),
		       2);
		ct->set |= CTALG_CT_TCP_FLAGS_REPLY;
	}
	return 0;
}

static int ct_parse_sctp(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_PROTOINFO_SCTP_MAX + 1];
	const struct nlattr *a;

	if (attr_parse_nested(nest, sctp_pol, CTA_PROTOINFO_SCTP_MAX, tb) < 0)
		return -1;
	if ((a = tb[CTA_PROTOINFO_SCTP_STATE])) {
		ct->sctp_state = mnl_attr_get_u8(a);
		ct->set |= CTALG_CT_SCTP_STATE;
	}
	if ((a = tb[CTA_PROTOINFO_SCTP_VTAG_ORIGINAL])) {
		ct->sctp_vtag[CTALG_DIR_ORIG] = get_be32(a);
		ct->set |= CTALG_CT_SCTP_VTAG_ORIG;
	}
	if ((a = tb[CTA_PROTOINFO_SCTP_VTAG_REPLY])) {
		ct->sctp_vtag[CTALG_DIR_REPLY] = get_be32(a);
		ct->set |= CTALG_CT_SCTP_VTAG_REPLY;
	}
	return 0;
}

static int ct_parse_dccp(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_PROTOINFO_DCCP_MAX + 1];
	const struct nlattr *a;

	if (attr_parse_nested(nest, dccp_pol, CTA_PROTOINFO_DCCP_MAX, tb) < 0)
		return -1;
	if ((a = tb[CTA_PROTOINFO_DCCP_STATE])) {
		ct->dccp_state = mnl_attr_get_u8(a);
		ct->set |= CTALG_CT_DCCP_STATE;
	}
	if ((a = tb[CTA_PROTOINFO_DCCP_ROLE])) {
		ct->dccp_role = mnl_attr_get_u8(a);
		ct->set |= CTALG_CT_DCCP_ROLE;
	}
	if ((a = tb[CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ])) {
		ct->dccp_handshake_seq = get_be64(a);
		ct->set |= CTALG_CT_DCCP_HANDSHAKE_SEQ;
	}
	return 0;
}

static int ct_parse_protoinfo(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_PROTOINFO_MAX + 1];

	if (attr_parse_nested(nest, protoinfo_pol, CTA_PROTOINFO_MAX, tb) < 0)
		return -1;
	if (tb[CTA_PROTOINFO_TCP] && ct_parse_tcp(tb[CTA_PROTOINFO_TCP], ct) < 0)
		return -1;
	if (tb[CTA_PROTOINFO_SCTP] &&
	    ct_parse_sctp(tb[CTA_PROTOINFO_SCTP], ct) < 0)
		return -1;
	if (tb[CTA_PROTOINFO_DCCP] &&
	    ct_parse_dccp(tb[CTA_PROTOINFO_DCCP], ct) < 0)
		return -1;
	return 0;
}

/*
 * The kernel sends 64-bit counters; 32-bit ones came from kernels before
 * 2.6.27. Like libnetfilter_conntrack, take the 64-bit value when both are
 * there.
 */
static int ct_parse_counters(const struct nlattr *nest, struct ctalg_ct *ct,
			     int dir)
{
	const struct nlattr *tb[CTA_COUNTERS_MAX + 1];

	if (attr_parse_nested(nest, counters_pol, CTA_COUNTERS_MAX, tb) < 0)
		return -1;
	if (tb[CTA_COUNTERS_PACKETS]) {
		ct->packets[dir] = get_be64(tb[CTA_COUNTERS_PACKETS]);
	} else if (tb[CTA_COUNTERS32_PACKETS]) {
		ct->packets[dir] = get_be32(tb[CTA_COUNTERS32_PACKETS]);
	}
	if (tb[CTA_COUNTERS_PACKETS] || tb[CTA_COUNTERS32_PACKETS])
		ct->set |= dir == CTALG_DIR_ORIG ? CTALG_CT_ORIG_PACKETS
						 : CTALG_CT_REPLY_PACKETS;
	if (tb[CTA_COUNTERS_BYTES]) {
		ct->bytes[dir] = get_be64(tb[CTA_COUNTERS_BYTES]);
	} else if (tb[CTA_COUNTERS32_BYTES]) {
		ct->bytes[dir] = get_be32(tb[CTA_COUNTERS32_BYTES]);
	}
	if (tb[CTA_COUNTERS_BYTES] || tb[CTA_COUNTERS32_BYTES])
		ct->set |= dir == CTALG_DIR_ORIG ? CTALG_CT_ORIG_BYTES
						 : CTALG_CT_REPLY_BYTES;
	return 0;
}

static int ct_parse_timestamp(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_TIMESTAMP_MAX + 1];

	if (attr_parse_nested(nest, timestamp_pol, CTA_TIMESTAMP_MAX, tb) < 0)
		return -1;
	if (tb[CTA_TIMESTAMP_START]) {
		ct->ts_start = get_be64(tb[CTA_TIMESTAMP_START]);
		ct->set |= CTALG_CT_TS_START;
	}
	if (tb[CTA_TIMESTAMP_STOP]) {
		ct->ts_stop = get_be64(tb[CTA_TIMESTAMP_STOP]);
		ct->set |= CTALG_CT_TS_STOP;
	}
	return 0;
}

static int ct_parse_help(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_HELP_MAX + 1];
	const struct nlattr *a;

	if (attr_parse_nested(nest, help_pol, CTA_HELP_MAX, tb) < 0)
		return -1;
	if ((a = tb[CTA_HELP_NAME])) {
		/* The policy bounds the name and checks its NUL. */
		memcpy(ct->helper, mnl_attr_get_str(a),
		       strlen(mnl_attr_get_str(a)) + 1);
		ct->set |= CTALG_CT_HELPER;
	}
	if ((a = tb[CTA_HELP_INFO])) {
		size_t len = mnl_attr_get_payload_len(a);

		if (len > CTALG_CT_HELPER_INFO_MAX) {
			errno = EBADMSG;
			return -1;
		}
		memcpy(ct->helper_info, mnl_attr_get_payload(a), len);
		ct->helper_info_len = (uint8_t)len;
		ct->set |= CTALG_CT_HELPER_INFO;
	}
	return 0;
}

static int ct_parse_secctx(const struct nlattr *nest, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_SECCTX_MAX + 1];
	const struct nlattr *a;

	if (attr_parse_nested(nest, secctx_pol, CTA_SECCTX_MAX, tb) < 0)
		return -1;
	if ((a = tb[CTA_SECCTX_NAME])) {
		memcpy(ct->secctx, mnl_attr_get_str(a),
		       strlen(mnl_attr_get_str(a)) + 1);
		ct->set |= CTALG_CT_SECCTX;
	}
	return 0;
}

static int ct_parse_labels(const struct nlattr *a, struct ctalg_ct *ct)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len > CTALG_CT_LABELS_MAX) {
		errno = EBADMSG;
		return -1;
	}
	/* An empty bitmap is no label at all, as libnetfilter_conntrack. */
	if (len == 0)
		return 0;
	memcpy(ct->labels, mnl_attr_get_payload(a), len);
	ct->labels_len = (uint8_t)len;
	ct->set |= CTALG_CT_LABELS;
	return 0;
}

static int ct_parse_tuple(const struct nlattr *nest, struct ctalg_ct *ct,
			  struct ctalg_tuple *t, uint64_t bit)
{
	if (!nest)
		return 0;
	if (tuple_parse(nest, ct->family, t) < 0)
		return -1;
	ct->set |= bit;
	return 0;
}

static void ct_parse_u32(const struct nlattr *a, uint32_t *v, uint64_t *set,
			 uint64_t bit)
{
	if (a) {
		*v = get_be32(a);
		*set |= bit;
	}
}

static bool ct_is_ct_msg(const struct nlmsghdr *nlh)
{
	uint16_t type = nlh->nlmsg_type;

	if (NFNL_SUBSYS_ID(type) != NFNL_SUBSYS_CTNETLINK)
		return false;
	return NFNL_MSG_TYPE(type) == IPCTNL_MSG_CT_NEW ||
	       NFNL_MSG_TYPE(type) == IPCTNL_MSG_CT_DELETE;
}

EXPORT int ctalg_ct_parse(const struct nlmsghdr *nlh, struct ctalg_ct *ct)
{
	const struct nlattr *tb[CTA_MAX + 1];
	int family;

	memset(ct, 0, sizeof(*ct));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN) {
		errno = EBADMSG;
		return -1;
	}
	if (!ct_is_ct_msg(nlh)) {
		errno = EPROTO;
		return -1;
	}
	family = nfmsg_family(nlh);
	if (family < 0)
		return -1;
	if (family != AF_INET && family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	ct->family = (uint8_t)family;
	ct->portid = nlh->nlmsg_pid;
	/*
	 * Every entry the kernel reports has its original tuple, with the
	 * protocol (conntrack(8) cannot print an entry without).
	 */
	if (attr_parse_msg(nlh, ct_pol, CTA_MAX, tb) < 0 || !tb[CTA_TUPLE_ORIG])
		goto bad;
	if (ct_parse_tuple(tb[CTA_TUPLE_ORIG], ct, &ct->orig, CTALG_CT_ORIG) < 0 ||
	    !(ct->orig.set & CTALG_TUPLE_PROTO) ||
	    ct_parse_tuple(tb[CTA_TUPLE_REPLY], ct, &ct->reply, CTALG_CT_REPLY) <
		0 ||
	    ct_parse_tuple(tb[CTA_TUPLE_MASTER], ct, &ct->master,
			   CTALG_CT_MASTER) < 0)
		goto bad;
	ct_parse_u32(tb[CTA_STATUS], &ct->status, &ct->set, CTALG_CT_STATUS);
	ct_parse_u32(tb[CTA_TIMEOUT], &ct->timeout, &ct->set, CTALG_CT_TIMEOUT);
	ct_parse_u32(tb[CTA_MARK], &ct->mark, &ct->set, CTALG_CT_MARK);
	ct_parse_u32(tb[CTA_SECMARK], &ct->secmark, &ct->set, CTALG_CT_SECMARK);
	ct_parse_u32(tb[CTA_USE], &ct->use, &ct->set, CTALG_CT_USE);
	ct_parse_u32(tb[CTA_ID], &ct->id, &ct->set, CTALG_CT_ID);
	if (tb[CTA_ZONE]) {
		ct->zone = ntohs(mnl_attr_get_u16(tb[CTA_ZONE]));
		ct->set |= CTALG_CT_ZONE;
	}
	if (tb[CTA_PROTOINFO] && ct_parse_protoinfo(tb[CTA_PROTOINFO], ct) < 0)
		goto bad;
	if (tb[CTA_COUNTERS_ORIG] &&
	    ct_parse_counters(tb[CTA_COUNTERS_ORIG], ct, CTALG_DIR_ORIG) < 0)
		goto bad;
	if (tb[CTA_COUNTERS_REPLY] &&
	    ct_parse_counters(tb[CTA_COUNTERS_REPLY], ct, CTALG_DIR_REPLY) < 0)
		goto bad;
	if (tb[CTA_TIMESTAMP] && ct_parse_timestamp(tb[CTA_TIMESTAMP], ct) < 0)
		goto bad;
	if (tb[CTA_HELP] && ct_parse_help(tb[CTA_HELP], ct) < 0)
		goto bad;
	if (tb[CTA_SECCTX] && ct_parse_secctx(tb[CTA_SECCTX], ct) < 0)
		goto bad;
	if (tb[CTA_LABELS] && ct_parse_labels(tb[CTA_LABELS], ct) < 0)
		goto bad;
	return 0;
bad:
	/* Nothing half-parsed is left behind for a caller that goes on. */
	memset(ct, 0, sizeof(*ct));
	errno = EBADMSG;
	return -1;
}

EXPORT enum ctalg_event ctalg_ct_event(const struct nlmsghdr *nlh)
{
	if (!ct_is_ct_msg(nlh))
		return CTALG_EVENT_NONE;
	if (NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_CT_DELETE)
		return CTALG_EVENT_DESTROY;
	return nlh->nlmsg_flags & NLM_F_CREATE ? CTALG_EVENT_NEW
					       : CTALG_EVENT_UPDATE;
}

EXPORT struct nlmsghdr *ctalg_ct_dump_request(void *buf, size_t size,
					      uint8_t family)
{
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (size < CTALG_NL_MSG_SIZE) {
		errno = ENOSPC;
		return NULL;
	}
	/* The kernel filters by the nfgenmsg family when it is not UNSPEC. */
	return ctalg_nl_msg(buf, size, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			    NLM_F_DUMP, family, 0);
}

/* The tuple fields the kernel needs to look an entry up. */
static bool ct_tuple_complete(const struct ctalg_tuple *t)
{
	uint16_t need = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO;

	if (l4proto_has_ports(t->l4proto))
		need |= CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
	switch (t->l4proto) {
	case IPPROTO_GRE: /* its keys travel as ports */
		need |= CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		need |= CTALG_TUPLE_ICMP_TYPE | CTALG_TUPLE_ICMP_CODE |
			CTALG_TUPLE_ICMP_ID;
		break;
	default:
		break;
	}
	return (t->set & need) == need;
}

EXPORT struct nlmsghdr *ctalg_ct_get_request(void *buf, size_t size,
					     const struct ctalg_tuple *orig,
					     int zone)
{
	struct nlmsghdr *nlh;

	if (orig->family != AF_INET && orig->family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (!ct_tuple_complete(orig) || zone < -1 || zone > UINT16_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if (size < CTALG_NL_MSG_SIZE) {
		errno = ENOSPC;
		return NULL;
	}
	nlh = ctalg_nl_msg(buf, size, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			   0, orig->family, 0);
	tuple_put(nlh, CTA_TUPLE_ORIG, orig);
	if (zone >= 0)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons((uint16_t)zone));
	return nlh;
}

EXPORT int ctalg_ct_events_join(struct ctalg_nl *nl, unsigned int events)
{
	static const unsigned int groups[] = {
		NFNLGRP_CONNTRACK_NEW,
		NFNLGRP_CONNTRACK_UPDATE,
		NFNLGRP_CONNTRACK_DESTROY,
	};
	size_t i;

	if (!events || events & ~(unsigned int)CTALG_CT_EVENTS_ALL) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (events & (1U << i) && ctalg_nl_join(nl, groups[i]) < 0)
			return -1;
	return 0;
}
