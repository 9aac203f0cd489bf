// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nfnetlink_queue messages: the config and verdicts we build, the packet
 * messages we parse. Every attribute of a packet message is validated by
 * policy before it is read; a malformed part is flagged on the packet, which
 * still goes back with a verdict.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "queue_internal.h"

#define QUEUE_MSG_PACKET (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET)

/* The kernel flags each of ours maps to. */
#define QUEUE_KERNEL_FLAGS \
	(NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_CONNTRACK | NFQA_CFG_F_GSO)

static uint32_t queue_kernel_flags(uint32_t flags)
{
	uint32_t k = 0;

	if (flags & CTALG_QUEUE_F_FAIL_OPEN)
		k |= NFQA_CFG_F_FAIL_OPEN;
	if (flags & CTALG_QUEUE_F_CONNTRACK)
		k |= NFQA_CFG_F_CONNTRACK;
	if (flags & CTALG_QUEUE_F_GSO)
		k |= NFQA_CFG_F_GSO;
	return k;
}

uint32_t queue_copy_range(uint32_t range)
{
	return range == 0 || range > CTALG_QUEUE_COPY_MAX ? CTALG_QUEUE_COPY_MAX
							  : range;
}

struct nlmsghdr *queue_config_build(void *buf, size_t size,
				    const struct ctalg_queue_config *cfg)
{
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(queue_copy_range(cfg->copy_range)),
		.copy_mode = NFQNL_COPY_PACKET,
	};
	struct nlmsghdr *nlh;

	/* Header, command, params, length, flags, mask: under 64 bytes. */
	if (size < 128)
		return NULL;
	nlh = ctalg_nl_msg(buf, size, NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG, 0,
			   AF_UNSPEC, cfg->num);
	/*
	 * The kernel applies command, params, length and flags in this order
	 * within one message, and checks the flags before it binds: a queue
	 * is never bound with copy mode NONE (which drops every packet) nor
	 * left bound when a flag is refused.
	 */
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	if (cfg->maxlen)
		mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(cfg->maxlen));
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS,
			 htonl(queue_kernel_flags(cfg->flags)));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(QUEUE_KERNEL_FLAGS));
	return nlh;
}

struct nlmsghdr *queue_unbind_build(void *buf, size_t size, uint16_t num)
{
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_UNBIND };
	struct nlmsghdr *nlh;

	if (size < 64)
		return NULL;
	nlh = ctalg_nl_msg(buf, size, NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG, 0,
			   AF_UNSPEC, num);
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	return nlh;
}

/* ---- verdicts ---- */

static bool verdict_has_ct(const struct ctalg_queue_verdict *v)
{
	return (v->flags & CTALG_VERDICT_CT) || v->helper || v->exp;
}

/* Whole attributes, each in bounds: what NFQA_EXP may contain. */
static bool verdict_exp_valid(const void *exp, size_t len)
{
	const struct nlattr *a = exp;
	int left = (int)len;

	if (len == 0 || len > CTALG_QUEUE_EXP_MAX)
		return false;
	while (mnl_attr_ok(a, left)) {
		left -= (int)MNL_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    MNL_ALIGN(a->nla_len));
	}
	return left <= 0 && left > -MNL_ALIGNTO;
}

int queue_verdict_check(const struct ctalg_queue_verdict *v)
{
	uint32_t base = v->verdict & NF_VERDICT_MASK;

	switch (base) {
	case NF_DROP:
	case NF_ACCEPT:
	case NF_REPEAT:
	case NF_STOP:
		if (v->verdict != base)
			goto invalid;
		break;
	case NF_QUEUE:
		/* The queue number, and the bypass flag. */
		if (v->verdict & ~(NF_VERDICT_QMASK |
				   NF_VERDICT_FLAG_QUEUE_BYPASS | NF_VERDICT_MASK))
			goto invalid;
		break;
	default:
		goto invalid; /* NF_STOLEN and beyond: the kernel refuses */
	}
	if (v->helper && strnlen(v->helper, CTALG_QUEUE_HELPER_NAME_MAX + 1) >
			     CTALG_QUEUE_HELPER_NAME_MAX)
		goto invalid;
	if (v->help_info_len > CTALG_QUEUE_HELP_INFO_MAX ||
	    (v->help_info_len && (!v->help_info || !v->helper)))
		goto invalid;
	if (v->exp && !verdict_exp_valid(v->exp, v->exp_len))
		goto invalid;
	/* NFQA_PAYLOAD's attribute length is 16 bits, header included. */
	if (v->payload && v->payload_len > CTALG_QUEUE_COPY_MAX)
		goto invalid;
	return 0;

invalid:
	errno = EINVAL;
	return -1;
}

bool queue_verdict_plain(const struct ctalg_queue_verdict *v)
{
	return v->verdict == NF_ACCEPT && !(v->flags & CTALG_VERDICT_MARK) &&
	       !verdict_has_ct(v) && !v->payload;
}

size_t queue_verdict_head_size(const struct ctalg_queue_verdict *v)
{
	size_t n = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)) +
		   MNL_ATTR_HDRLEN +
		   MNL_ALIGN(sizeof(struct nfqnl_msg_verdict_hdr));

	if (v->flags & CTALG_VERDICT_MARK)
		n += MNL_ATTR_HDRLEN + sizeof(uint32_t);
	if (verdict_has_ct(v)) {
		n += MNL_ATTR_HDRLEN;
		if (v->helper) {
			n += 2 * MNL_ATTR_HDRLEN +
			     MNL_ALIGN(strlen(v->helper) + 1);
			if (v->help_info_len)
				n += MNL_ATTR_HDRLEN +
				     MNL_ALIGN(v->help_info_len);
		}
	}
	if (v->exp)
		n += MNL_ATTR_HDRLEN + MNL_ALIGN(v->exp_len);
	if (v->payload)
		n += MNL_ATTR_HDRLEN;
	return n;
}

size_t queue_verdict_build(void *buf, size_t size, uint16_t num,
			   const struct ctalg_queue_verdict *v,
			   bool inline_payload)
{
	struct nfqnl_msg_verdict_hdr vh = {
		.verdict = htonl(v->verdict),
		.id = htonl(v->id),
	};
	size_t need = queue_verdict_head_size(v);
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (v->payload && inline_payload)
		need += MNL_ALIGN(v->payload_len);

	if (size < need)
		return 0;
	nlh = ctalg_nl_msg(buf, size, NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT, 0,
			   AF_UNSPEC, num);
	nlh->nlmsg_seq = v->id;
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	if (v->flags & CTALG_VERDICT_MARK)
		mnl_attr_put_u32(nlh, NFQA_MARK, htonl(v->mark));
	if (verdict_has_ct(v)) {
		/*
		 * Only the helper's own name and state: the kernel applies
		 * CTA_STATUS as a full replacement and CTA_MARK, CTA_TIMEOUT
		 * over changes made while the packet waited, and a refused
		 * attribute silently cancels NFQA_EXP.
		 */
		nest = mnl_attr_nest_start(nlh, NFQA_CT);
		if (v->helper) {
			struct nlattr *help;

			help = mnl_attr_nest_start(nlh, CTA_HELP);
			mnl_attr_put_strz(nlh, CTA_HELP_NAME, v->helper);
			if (v->help_info_len)
				mnl_attr_put(nlh, CTA_HELP_INFO,
					     v->help_info_len, v->help_info);
			mnl_attr_nest_end(nlh, help);
		}
		mnl_attr_nest_end(nlh, nest);
	}
	if (v->exp) {
		uint8_t *tail;

		nest = mnl_attr_nest_start(nlh, NFQA_EXP);
		tail = mnl_nlmsg_get_payload_tail(nlh);
		memcpy(tail, v->exp, v->exp_len);
		memset(tail + v->exp_len, 0, MNL_ALIGN(v->exp_len) - v->exp_len);
		nlh->nlmsg_len += MNL_ALIGN(v->exp_len);
		mnl_attr_nest_end(nlh, nest);
	}
	if (v->payload) {
		struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
		uint8_t *data = (uint8_t *)a + MNL_ATTR_HDRLEN;

		a->nla_type = NFQA_PAYLOAD;
		a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + v->payload_len);
		nlh->nlmsg_len += MNL_ATTR_HDRLEN;
		if (inline_payload) {
			memcpy(data, v->payload, v->payload_len);
			memset(data + v->payload_len, 0,
			       MNL_ALIGN(v->payload_len) - v->payload_len);
		}
		nlh->nlmsg_len += MNL_ALIGN(v->payload_len);
		return inline_payload
			   ? nlh->nlmsg_len
			   : nlh->nlmsg_len - MNL_ALIGN(v->payload_len);
	}
	return nlh->nlmsg_len;
}

size_t queue_batch_build(void *buf, size_t size, uint16_t num, uint32_t verdict,
			 uint32_t id)
{
	struct nfqnl_msg_verdict_hdr vh = {
		.verdict = htonl(verdict),
		.id = htonl(id),
	};
	struct nlmsghdr *nlh;

	_Static_assert(QUEUE_BATCH_LEN ==
			   MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)) +
			       MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(vh)),
		       "the batch verdict's length");
	if (size < QUEUE_BATCH_LEN)
		return 0;
	nlh = ctalg_nl_msg(buf, size, NFNL_SUBSYS_QUEUE,
			   NFQNL_MSG_VERDICT_BATCH, 0, AF_UNSPEC, num);
	nlh->nlmsg_seq = id;
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	return nlh->nlmsg_len;
}

/* ---- packets ---- */

static const struct attr_policy pkt_pol[NFQA_MAX + 1] = {
	[NFQA_PACKET_HDR] = { ATTR_BIN, sizeof(struct nfqnl_msg_packet_hdr) },
	[NFQA_MARK] = { ATTR_U32 },
	[NFQA_IFINDEX_INDEV] = { ATTR_U32 },
	[NFQA_IFINDEX_OUTDEV] = { ATTR_U32 },
	[NFQA_PAYLOAD] = { ATTR_BIN, 0 },
	[NFQA_CT] = { ATTR_NEST },
	[NFQA_CT_INFO] = { ATTR_U32 },
	[NFQA_CAP_LEN] = { ATTR_U32 },
	[NFQA_SKB_INFO] = { ATTR_U32 },
};

static const struct attr_policy ct_pol[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = { ATTR_NEST },
	[CTA_TUPLE_REPLY] = { ATTR_NEST },
	[CTA_TUPLE_MASTER] = { ATTR_NEST },
	[CTA_STATUS] = { ATTR_U32 },
	[CTA_ID] = { ATTR_U32 },
	[CTA_MARK] = { ATTR_U32 },
	[CTA_ZONE] = { ATTR_U16 },
	[CTA_HELP] = { ATTR_NEST },
};

static const struct attr_policy help_pol[CTA_HELP_MAX + 1] = {
	[CTA_HELP_NAME] = { ATTR_STR, CTALG_QUEUE_HELPER_NAME_MAX },
	[CTA_HELP_INFO] = { ATTR_BIN, 0 },
};

static uint32_t attr_be32(const struct nlattr *a)
{
	return ntohl(mnl_attr_get_u32(a));
}

/*
 * The first @len bytes of a packet message's attributes, read one by one
 * until the packet header or the first broken attribute: enough for an id
 * when the whole message cannot be trusted or was cut.
 */
static int pkt_find_id(const void *attrs, size_t len, uint32_t *id)
{
	const struct nlattr *a = attrs;
	int left = len > (size_t)INT32_MAX ? INT32_MAX : (int)len;

	for (; mnl_attr_ok(a, left); a = mnl_attr_next(a)) {
		const struct nfqnl_msg_packet_hdr *ph;

		left -= (int)MNL_ALIGN(a->nla_len);
		if (mnl_attr_get_type(a) != NFQA_PACKET_HDR)
			continue;
		if (mnl_attr_get_payload_len(a) < sizeof(*ph))
			break;
		ph = mnl_attr_get_payload(a);
		*id = ntohl(ph->packet_id);
		return 0;
	}
	errno = EBADMSG;
	return -1;
}

int queue_msg_id(const void *msg, size_t len, uint32_t *id)
{
	const struct nlmsghdr *nlh = msg;
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg));

	if (len < hdr) {
		errno = EBADMSG;
		return -1;
	}
	if (nlh->nlmsg_type != QUEUE_MSG_PACKET) {
		errno = EPROTO;
		return -1;
	}
	if (nlh->nlmsg_len < len)
		len = nlh->nlmsg_len;
	if (len < hdr) {
		errno = EBADMSG;
		return -1;
	}
	return pkt_find_id((const uint8_t *)msg + hdr, len - hdr, id);
}

/* The family of the conntrack's tuples: the hook's, or the packet's. */
static uint8_t pkt_ct_family(const struct ctalg_queue_pkt *pkt)
{
	if (pkt->family == AF_INET || pkt->family == AF_INET6)
		return pkt->family;
	if (pkt->ip.version == 4)
		return AF_INET;
	if (pkt->ip.version == 6)
		return AF_INET6;
	return AF_UNSPEC;
}

static int pkt_parse_ct(const struct nlattr *nest, struct ctalg_queue_pkt *pkt)
{
	const struct nlattr *tb[CTA_MAX + 1], *help[CTA_HELP_MAX + 1];
	struct ctalg_queue_ct *ct = &pkt->ct;
	uint8_t family = pkt_ct_family(pkt);
	struct ctalg_tuple master;

	if (attr_parse_nested(nest, ct_pol, CTA_MAX, tb) < 0)
		return -1;
	if (family == AF_UNSPEC &&
	    (tb[CTA_TUPLE_ORIG] || tb[CTA_TUPLE_REPLY] || tb[CTA_TUPLE_MASTER]))
		return -1;
	if (tb[CTA_TUPLE_ORIG] &&
	    tuple_parse(tb[CTA_TUPLE_ORIG], family, &ct->orig) < 0)
		return -1;
	if (tb[CTA_TUPLE_REPLY] &&
	    tuple_parse(tb[CTA_TUPLE_REPLY], family, &ct->reply) < 0)
		return -1;
	if (tb[CTA_TUPLE_MASTER]) {
		if (tuple_parse(tb[CTA_TUPLE_MASTER], family, &master) < 0)
			return -1;
		pkt->flags |= CTALG_PKT_CT_MASTER;
	}
	if (tb[CTA_ID])
		ct->id = attr_be32(tb[CTA_ID]);
	if (tb[CTA_STATUS])
		ct->status = attr_be32(tb[CTA_STATUS]);
	if (tb[CTA_MARK])
		ct->mark = attr_be32(tb[CTA_MARK]);
	if (tb[CTA_ZONE])
		ct->zone = ntohs(mnl_attr_get_u16(tb[CTA_ZONE]));
	if (tb[CTA_HELP]) {
		if (attr_parse_nested(tb[CTA_HELP], help_pol, CTA_HELP_MAX,
				      help) < 0 ||
		    !help[CTA_HELP_NAME])
			return -1;
		memcpy(ct->helper, mnl_attr_get_str(help[CTA_HELP_NAME]),
		       strlen(mnl_attr_get_str(help[CTA_HELP_NAME])) + 1);
		if (help[CTA_HELP_INFO]) {
			ct->help_info = mnl_attr_get_payload(help[CTA_HELP_INFO]);
			ct->help_info_len = mnl_attr_get_payload_len(
			    help[CTA_HELP_INFO]);
			if (ct->help_info_len > CTALG_QUEUE_HELP_INFO_MAX)
				return -1;
		}
		pkt->flags |= CTALG_PKT_CT_HELP;
	}
	pkt->flags |= CTALG_PKT_CT;
	return 0;
}

EXPORT int ctalg_queue_pkt_parse(const void *msg, size_t len,
				 struct ctalg_queue_pkt *pkt)
{
	const struct nlmsghdr *nlh = msg;
	const struct nlattr *tb[NFQA_MAX + 1];
	const struct nfqnl_msg_packet_hdr *ph;
	const struct nfgenmsg *nfg;
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*nfg));

	memset(pkt, 0, sizeof(*pkt));
	if (len < hdr || nlh->nlmsg_len < hdr || nlh->nlmsg_len > len) {
		errno = EBADMSG;
		return -1;
	}
	if (nlh->nlmsg_type != QUEUE_MSG_PACKET) {
		errno = EPROTO;
		return -1;
	}
	nfg = mnl_nlmsg_get_payload(nlh);
	pkt->family = nfg->nfgen_family;

	if (attr_parse_msg(nlh, pkt_pol, NFQA_MAX, tb) < 0) {
		/* Salvage the id, so that the packet still gets a verdict. */
		if (pkt_find_id((const uint8_t *)msg + hdr,
				nlh->nlmsg_len - hdr, &pkt->id) < 0)
			return -1;
		pkt->bad |= CTALG_PKT_BAD_ATTR;
		return 0;
	}
	if (!tb[NFQA_PACKET_HDR]) {
		errno = EBADMSG;
		return -1;
	}
	ph = mnl_attr_get_payload(tb[NFQA_PACKET_HDR]);
	pkt->id = ntohl(ph->packet_id);
	pkt->hw_protocol = ntohs(ph->hw_protocol);
	pkt->hook = ph->hook;

	if (tb[NFQA_MARK]) {
		pkt->mark = attr_be32(tb[NFQA_MARK]);
		pkt->flags |= CTALG_PKT_MARK;
	}
	if (tb[NFQA_IFINDEX_INDEV]) {
		pkt->indev = attr_be32(tb[NFQA_IFINDEX_INDEV]);
		pkt->flags |= CTALG_PKT_INDEV;
	}
	if (tb[NFQA_IFINDEX_OUTDEV]) {
		pkt->outdev = attr_be32(tb[NFQA_IFINDEX_OUTDEV]);
		pkt->flags |= CTALG_PKT_OUTDEV;
	}
	if (tb[NFQA_SKB_INFO])
		pkt->skb_info = attr_be32(tb[NFQA_SKB_INFO]);
	if (tb[NFQA_CT_INFO]) {
		pkt->ctinfo = attr_be32(tb[NFQA_CT_INFO]);
		pkt->flags |= CTALG_PKT_CT_INFO;
	}
	if (tb[NFQA_PAYLOAD]) {
		pkt->payload = mnl_attr_get_payload(tb[NFQA_PAYLOAD]);
		pkt->payload_len = mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]);
		pkt->flags |= CTALG_PKT_PAYLOAD;
	}
	pkt->cap_len = pkt->payload_len;
	if (tb[NFQA_CAP_LEN]) {
		pkt->cap_len = attr_be32(tb[NFQA_CAP_LEN]);
		/* The kernel sends it only for a packet it cut. */
		if (pkt->cap_len > pkt->payload_len)
			pkt->flags |= CTALG_PKT_CUT;
		else
			pkt->cap_len = pkt->payload_len;
	}

	if (pkt->payload &&
	    ctalg_ip_parse(pkt->payload, pkt->payload_len, &pkt->ip) < 0)
		pkt->bad |= CTALG_PKT_BAD_IP;
	if ((pkt->ip.flags & CTALG_IP_CUT) && !(pkt->flags & CTALG_PKT_CUT) &&
	    !pkt->bad) {
		/* The kernel says when it cuts; a packet never lies shorter. */
		pkt->ip.flags |= CTALG_IP_BAD;
		pkt->ip.error = "packet shorter than its IP header says";
		pkt->bad |= CTALG_PKT_BAD_IP;
	}
	if (tb[NFQA_CT] && pkt_parse_ct(tb[NFQA_CT], pkt) < 0) {
		pkt->flags &= ~(uint32_t)(CTALG_PKT_CT | CTALG_PKT_CT_MASTER |
					  CTALG_PKT_CT_HELP);
		memset(&pkt->ct, 0, sizeof(pkt->ct));
		pkt->bad |= CTALG_PKT_BAD_CT;
	}
	return 0;
}
