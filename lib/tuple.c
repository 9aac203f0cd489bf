// SPDX-License-Identifier: GPL-2.0-or-later
/* CTA_TUPLE_* nests: parse and build. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "internal.h"

static const struct attr_policy tuple_pol[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP] = { ATTR_NEST },
	[CTA_TUPLE_PROTO] = { ATTR_NEST },
	[CTA_TUPLE_ZONE] = { ATTR_U16 },
};

static const struct attr_policy ip_pol[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC] = { ATTR_BIN, 4 },
	[CTA_IP_V4_DST] = { ATTR_BIN, 4 },
	[CTA_IP_V6_SRC] = { ATTR_BIN, 16 },
	[CTA_IP_V6_DST] = { ATTR_BIN, 16 },
};

static const struct attr_policy proto_pol[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM] = { ATTR_U8 },
	[CTA_PROTO_SRC_PORT] = { ATTR_U16 },
	[CTA_PROTO_DST_PORT] = { ATTR_U16 },
	[CTA_PROTO_ICMP_ID] = { ATTR_U16 },
	[CTA_PROTO_ICMP_TYPE] = { ATTR_U8 },
	[CTA_PROTO_ICMP_CODE] = { ATTR_U8 },
	[CTA_PROTO_ICMPV6_ID] = { ATTR_U16 },
	[CTA_PROTO_ICMPV6_TYPE] = { ATTR_U8 },
	[CTA_PROTO_ICMPV6_CODE] = { ATTR_U8 },
};

static int tuple_parse_ip(const struct nlattr *nest, uint8_t family,
			  struct ctalg_tuple *t)
{
	const struct nlattr *tb[CTA_IP_MAX + 1];
	int src = family == AF_INET6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC;
	int dst = family == AF_INET6 ? CTA_IP_V6_DST : CTA_IP_V4_DST;
	int other_src = family == AF_INET6 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC;
	int other_dst = family == AF_INET6 ? CTA_IP_V4_DST : CTA_IP_V6_DST;
	unsigned int alen = ctalg_addr_len(family);

	if (attr_parse_nested(nest, ip_pol, CTA_IP_MAX, tb) < 0)
		return -1;
	if (!alen || tb[other_src] || tb[other_dst]) {
		errno = EBADMSG;
		return -1;
	}
	if (tb[src]) {
		memcpy(t->src.b, mnl_attr_get_payload(tb[src]), alen);
		t->set |= CTALG_TUPLE_SRC;
	}
	if (tb[dst]) {
		memcpy(t->dst.b, mnl_attr_get_payload(tb[dst]), alen);
		t->set |= CTALG_TUPLE_DST;
	}
	return 0;
}

static int tuple_parse_proto(const struct nlattr *nest, struct ctalg_tuple *t)
{
	const struct nlattr *tb[CTA_PROTO_MAX + 1];
	const struct nlattr *id, *type, *code;

	if (attr_parse_nested(nest, proto_pol, CTA_PROTO_MAX, tb) < 0)
		return -1;
	if (tb[CTA_PROTO_NUM]) {
		t->l4proto = mnl_attr_get_u8(tb[CTA_PROTO_NUM]);
		t->set |= CTALG_TUPLE_PROTO;
	}
	if (tb[CTA_PROTO_SRC_PORT]) {
		t->sport = ntohs(mnl_attr_get_u16(tb[CTA_PROTO_SRC_PORT]));
		t->set |= CTALG_TUPLE_SPORT;
	}
	if (tb[CTA_PROTO_DST_PORT]) {
		t->dport = ntohs(mnl_attr_get_u16(tb[CTA_PROTO_DST_PORT]));
		t->set |= CTALG_TUPLE_DPORT;
	}
	id = tb[CTA_PROTO_ICMP_ID] ? tb[CTA_PROTO_ICMP_ID]
				   : tb[CTA_PROTO_ICMPV6_ID];
	type = tb[CTA_PROTO_ICMP_TYPE] ? tb[CTA_PROTO_ICMP_TYPE]
				       : tb[CTA_PROTO_ICMPV6_TYPE];
	code = tb[CTA_PROTO_ICMP_CODE] ? tb[CTA_PROTO_ICMP_CODE]
				       : tb[CTA_PROTO_ICMPV6_CODE];
	if (id) {
		t->icmp_id = ntohs(mnl_attr_get_u16(id));
		t->set |= CTALG_TUPLE_ICMP_ID;
	}
	if (type) {
		t->icmp_type = mnl_attr_get_u8(type);
		t->set |= CTALG_TUPLE_ICMP_TYPE;
	}
	if (code) {
		t->icmp_code = mnl_attr_get_u8(code);
		t->set |= CTALG_TUPLE_ICMP_CODE;
	}
	return 0;
}

int tuple_parse(const struct nlattr *nest, uint8_t family, struct ctalg_tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1];

	memset(t, 0, sizeof(*t));
	t->family = family;
	if (attr_parse_nested(nest, tuple_pol, CTA_TUPLE_MAX, tb) < 0)
		return -1;
	if (tb[CTA_TUPLE_IP] && tuple_parse_ip(tb[CTA_TUPLE_IP], family, t) < 0)
		return -1;
	if (tb[CTA_TUPLE_PROTO] && tuple_parse_proto(tb[CTA_TUPLE_PROTO], t) < 0)
		return -1;
	if (tb[CTA_TUPLE_ZONE]) {
		t->zone = ntohs(mnl_attr_get_u16(tb[CTA_TUPLE_ZONE]));
		t->set |= CTALG_TUPLE_ZONE;
	}
	return 0;
}

void tuple_put(struct nlmsghdr *nlh, uint16_t type, const struct ctalg_tuple *t)
{
	bool v6 = t->family == AF_INET6;
	unsigned int alen = ctalg_addr_len(t->family);
	struct nlattr *nest, *sub;

	nest = mnl_attr_nest_start(nlh, type);
	if (t->set & (CTALG_TUPLE_SRC | CTALG_TUPLE_DST)) {
		sub = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
		if (t->set & CTALG_TUPLE_SRC)
			mnl_attr_put(nlh, v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC,
				     alen, t->src.b);
		if (t->set & CTALG_TUPLE_DST)
			mnl_attr_put(nlh, v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST,
				     alen, t->dst.b);
		mnl_attr_nest_end(nlh, sub);
	}
	if (t->set & ~(CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_ZONE)) {
		bool icmp6 = t->l4proto == IPPROTO_ICMPV6;

		sub = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
		if (t->set & CTALG_TUPLE_PROTO)
			mnl_attr_put_u8(nlh, CTA_PROTO_NUM, t->l4proto);
		if (t->set & CTALG_TUPLE_SPORT)
			mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT,
					 htons(t->sport));
		if (t->set & CTALG_TUPLE_DPORT)
			mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT,
					 htons(t->dport));
		/* Code, type, id: the order libnetfilter_conntrack uses. */
		if (t->set & CTALG_TUPLE_ICMP_CODE)
			mnl_attr_put_u8(nlh,
					icmp6 ? CTA_PROTO_ICMPV6_CODE
					      : CTA_PROTO_ICMP_CODE,
					t->icmp_code);
		if (t->set & CTALG_TUPLE_ICMP_TYPE)
			mnl_attr_put_u8(nlh,
					icmp6 ? CTA_PROTO_ICMPV6_TYPE
					      : CTA_PROTO_ICMP_TYPE,
					t->icmp_type);
		if (t->set & CTALG_TUPLE_ICMP_ID)
			mnl_attr_put_u16(
			    nlh, icmp6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID,
			    htons(t->icmp_id));
		mnl_attr_nest_end(nlh, sub);
	}
	if (t->set & CTALG_TUPLE_ZONE)
		mnl_attr_put_u16(nlh, CTA_TUPLE_ZONE, htons(t->zone));
	mnl_attr_nest_end(nlh, nest);
}
