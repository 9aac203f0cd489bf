// SPDX-License-Identifier: GPL-2.0-or-later
/* Expectations over ctnetlink: parse, build, requests, events. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctalg/expect.h>

#include "internal.h"

static const struct attr_policy exp_pol[CTA_EXPECT_MAX + 1] = {
	[CTA_EXPECT_MASTER] = { ATTR_NEST },
	[CTA_EXPECT_TUPLE] = { ATTR_NEST },
	[CTA_EXPECT_MASK] = { ATTR_NEST },
	[CTA_EXPECT_TIMEOUT] = { ATTR_U32 },
	[CTA_EXPECT_ID] = { ATTR_U32 },
	[CTA_EXPECT_HELP_NAME] = { ATTR_STR, CTALG_EXP_HELPER_LEN },
	[CTA_EXPECT_ZONE] = { ATTR_U16 },
	[CTA_EXPECT_FLAGS] = { ATTR_U32 },
	[CTA_EXPECT_CLASS] = { ATTR_U32 },
	[CTA_EXPECT_NAT] = { ATTR_NEST },
	[CTA_EXPECT_FN] = { ATTR_STR, CTALG_EXP_FN_LEN },
};

static const struct attr_policy exp_nat_pol[CTA_EXPECT_NAT_MAX + 1] = {
	[CTA_EXPECT_NAT_DIR] = { ATTR_U32 },
	[CTA_EXPECT_NAT_TUPLE] = { ATTR_NEST },
};

static int exp_bad(void)
{
	errno = EBADMSG;
	return -1;
}

static int exp_parse_nat(const struct nlattr *nest, uint8_t family,
			 struct ctalg_expect *exp)
{
	const struct nlattr *tb[CTA_EXPECT_NAT_MAX + 1];
	uint32_t dir;

	if (attr_parse_nested(nest, exp_nat_pol, CTA_EXPECT_NAT_MAX, tb) < 0)
		return -1;
	/* The kernel sends both or nothing, and refuses one without the other. */
	if (!tb[CTA_EXPECT_NAT_DIR] || !tb[CTA_EXPECT_NAT_TUPLE])
		return exp_bad();
	dir = ntohl(mnl_attr_get_u32(tb[CTA_EXPECT_NAT_DIR]));
	if (dir > CTALG_EXP_DIR_REPLY)
		return exp_bad();
	if (tuple_parse(tb[CTA_EXPECT_NAT_TUPLE], family, &exp->nat) < 0)
		return -1;
	exp->nat_dir = (uint8_t)dir;
	exp->set |= CTALG_EXP_NAT;
	return 0;
}

static void exp_copy_str(char *dst, size_t size, const struct nlattr *a)
{
	/* The policy has checked the NUL and the length. */
	size_t n = strnlen(mnl_attr_get_str(a), size - 1);

	memcpy(dst, mnl_attr_get_str(a), n);
	dst[n] = '\0';
}

/* The attributes in @tb, already validated against exp_pol, into @exp. */
static int exp_from_attrs(const struct nlattr *const *tb, uint8_t family,
			  struct ctalg_expect *exp)
{
	static const struct {
		uint16_t type;
		uint32_t bit;
		size_t off;
	} tuples[] = {
		{ CTA_EXPECT_TUPLE, CTALG_EXP_TUPLE,
		  offsetof(struct ctalg_expect, tuple) },
		{ CTA_EXPECT_MASK, CTALG_EXP_MASK,
		  offsetof(struct ctalg_expect, mask) },
		{ CTA_EXPECT_MASTER, CTALG_EXP_MASTER,
		  offsetof(struct ctalg_expect, master) },
	};
	size_t i;

	memset(exp, 0, sizeof(*exp));
	exp->family = family;
	for (i = 0; i < ARRAY_SIZE(tuples); i++) {
		struct ctalg_tuple *t = (struct ctalg_tuple *)((char *)exp +
							       tuples[i].off);

		t->family = family;
		if (!tb[tuples[i].type])
			continue;
		if (tuple_parse(tb[tuples[i].type], family, t) < 0)
			return -1;
		exp->set |= tuples[i].bit;
	}
	exp->nat.family = family;
	if (tb[CTA_EXPECT_TIMEOUT]) {
		exp->timeout = ntohl(mnl_attr_get_u32(tb[CTA_EXPECT_TIMEOUT]));
		exp->set |= CTALG_EXP_TIMEOUT;
	}
	if (tb[CTA_EXPECT_ID]) {
		exp->id = ntohl(mnl_attr_get_u32(tb[CTA_EXPECT_ID]));
		exp->set |= CTALG_EXP_ID;
	}
	if (tb[CTA_EXPECT_HELP_NAME]) {
		exp_copy_str(exp->helper, sizeof(exp->helper),
			     tb[CTA_EXPECT_HELP_NAME]);
		exp->set |= CTALG_EXP_HELPER;
	}
	if (tb[CTA_EXPECT_ZONE]) {
		exp->zone = ntohs(mnl_attr_get_u16(tb[CTA_EXPECT_ZONE]));
		exp->set |= CTALG_EXP_ZONE;
	}
	if (tb[CTA_EXPECT_FLAGS]) {
		exp->flags = ntohl(mnl_attr_get_u32(tb[CTA_EXPECT_FLAGS]));
		exp->set |= CTALG_EXP_FLAGS;
	}
	if (tb[CTA_EXPECT_CLASS]) {
		exp->class_nr = ntohl(mnl_attr_get_u32(tb[CTA_EXPECT_CLASS]));
		exp->set |= CTALG_EXP_CLASS;
	}
	if (tb[CTA_EXPECT_NAT] &&
	    exp_parse_nat(tb[CTA_EXPECT_NAT], family, exp) < 0)
		return -1;
	if (tb[CTA_EXPECT_FN]) {
		exp_copy_str(exp->fn, sizeof(exp->fn), tb[CTA_EXPECT_FN]);
		exp->set |= CTALG_EXP_FN;
	}
	return 0;
}

EXPORT int ctalg_exp_parse(const struct nlmsghdr *nlh, struct ctalg_expect *exp)
{
	const struct nlattr *tb[CTA_EXPECT_MAX + 1];
	uint8_t msg = nlh->nlmsg_type & 0xff;
	int family;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    nlh->nlmsg_type >> 8 != NFNL_SUBSYS_CTNETLINK_EXP ||
	    (msg != IPCTNL_MSG_EXP_NEW && msg != IPCTNL_MSG_EXP_GET &&
	     msg != IPCTNL_MSG_EXP_DELETE))
		return exp_bad();
	family = nfmsg_family(nlh);
	if (family < 0)
		return -1;
	if (attr_parse_msg(nlh, exp_pol, CTA_EXPECT_MAX, tb) < 0)
		return -1;
	return exp_from_attrs(tb, (uint8_t)family, exp);
}

EXPORT int ctalg_exp_parse_nested(const struct nlattr *nest, uint8_t family,
				  struct ctalg_expect *exp)
{
	const struct nlattr *tb[CTA_EXPECT_MAX + 1];

	if (attr_parse_nested(nest, exp_pol, CTA_EXPECT_MAX, tb) < 0)
		return -1;
	return exp_from_attrs(tb, family, exp);
}

/*
 * Every attribute of an expectation fits in this: four tuples of at most
 * 108 bytes, two strings of at most 36, and a handful of 8-byte numbers.
 */
#define EXP_ATTR_SPACE 1024

EXPORT int ctalg_exp_put(struct nlmsghdr *nlh, size_t size,
			 const struct ctalg_expect *exp)
{
	/*
	 * Built in scratch space first, so that a message too small for it
	 * is left as it was instead of being overrun.
	 */
	union {
		struct nlmsghdr hdr;
		char buf[MNL_NLMSG_HDRLEN + EXP_ATTR_SPACE];
	} tmp;
	struct nlmsghdr *t;
	size_t len;

	/* Zeroed: libmnl before 1.0.5 leaves attribute padding as it was. */
	memset(&tmp, 0, sizeof(tmp));
	t = mnl_nlmsg_put_header(tmp.buf);

	if (exp->set & CTALG_EXP_TUPLE)
		tuple_put(t, CTA_EXPECT_TUPLE, &exp->tuple);
	if (exp->set & CTALG_EXP_MASTER)
		tuple_put(t, CTA_EXPECT_MASTER, &exp->master);
	if (exp->set & CTALG_EXP_MASK)
		tuple_put(t, CTA_EXPECT_MASK, &exp->mask);
	if (exp->set & CTALG_EXP_TIMEOUT)
		mnl_attr_put_u32(t, CTA_EXPECT_TIMEOUT, htonl(exp->timeout));
	if (exp->set & CTALG_EXP_FLAGS)
		mnl_attr_put_u32(t, CTA_EXPECT_FLAGS, htonl(exp->flags));
	if (exp->set & CTALG_EXP_ZONE)
		mnl_attr_put_u16(t, CTA_EXPECT_ZONE, htons(exp->zone));
	if (exp->set & CTALG_EXP_HELPER)
		mnl_attr_put(t, CTA_EXPECT_HELP_NAME,
			     strnlen(exp->helper, CTALG_EXP_HELPER_LEN) + 1,
			     exp->helper);
	if (exp->set & CTALG_EXP_ID)
		mnl_attr_put_u32(t, CTA_EXPECT_ID, htonl(exp->id));
	if (exp->set & CTALG_EXP_CLASS)
		mnl_attr_put_u32(t, CTA_EXPECT_CLASS, htonl(exp->class_nr));
	if (exp->set & CTALG_EXP_NAT) {
		struct nlattr *nest = mnl_attr_nest_start(t, CTA_EXPECT_NAT);

		mnl_attr_put_u32(t, CTA_EXPECT_NAT_DIR, htonl(exp->nat_dir));
		tuple_put(t, CTA_EXPECT_NAT_TUPLE, &exp->nat);
		mnl_attr_nest_end(t, nest);
	}
	if (exp->set & CTALG_EXP_FN)
		mnl_attr_put(t, CTA_EXPECT_FN,
			     strnlen(exp->fn, CTALG_EXP_FN_LEN) + 1, exp->fn);

	len = t->nlmsg_len - MNL_NLMSG_HDRLEN;
	if (nlh->nlmsg_len > size || size - nlh->nlmsg_len < len) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(mnl_nlmsg_get_payload_tail(nlh), mnl_nlmsg_get_payload(t), len);
	nlh->nlmsg_len += (uint32_t)len;
	return 0;
}

static bool exp_family_ok(uint8_t family)
{
	return family == AF_INET || family == AF_INET6;
}

static struct nlmsghdr *exp_msg(void *buf, size_t size, uint8_t msg,
				uint16_t flags, uint8_t family)
{
	struct nlmsghdr *nlh;

	/*
	 * Nothing of what was in the buffer may reach the kernel: libmnl
	 * before 1.0.5 does not clear attribute padding.
	 */
	if (buf && size)
		memset(buf, 0, size);
	nlh = ctalg_nl_msg(buf, size, NFNL_SUBSYS_CTNETLINK_EXP, msg, flags,
			   family, 0);
	if (!nlh)
		errno = ENOSPC;
	return nlh;
}

EXPORT struct nlmsghdr *ctalg_exp_build_dump(void *buf, size_t size,
					     uint8_t family)
{
	if (family != AF_UNSPEC && !exp_family_ok(family)) {
		errno = EINVAL;
		return NULL;
	}
	return exp_msg(buf, size, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, family);
}

/* GET and DELETE by expected tuple: the tuple, the zone and the id only. */
static struct nlmsghdr *exp_build_by_tuple(void *buf, size_t size, uint8_t msg,
					   const struct ctalg_expect *exp)
{
	struct ctalg_expect key = { .family = exp->family };
	struct nlmsghdr *nlh;

	if (!(exp->set & CTALG_EXP_TUPLE) || !exp_family_ok(exp->family)) {
		errno = EINVAL;
		return NULL;
	}
	key.set = exp->set & (CTALG_EXP_TUPLE | CTALG_EXP_ZONE | CTALG_EXP_ID);
	key.tuple = exp->tuple;
	key.zone = exp->zone;
	key.id = exp->id;
	nlh = exp_msg(buf, size, msg, NLM_F_ACK, exp->family);
	if (!nlh || ctalg_exp_put(nlh, size, &key) < 0)
		return NULL;
	return nlh;
}

EXPORT struct nlmsghdr *ctalg_exp_build_get(void *buf, size_t size,
					    const struct ctalg_expect *exp)
{
	return exp_build_by_tuple(buf, size, IPCTNL_MSG_EXP_GET, exp);
}

EXPORT struct nlmsghdr *ctalg_exp_build_delete(void *buf, size_t size,
					       const struct ctalg_expect *exp)
{
	return exp_build_by_tuple(buf, size, IPCTNL_MSG_EXP_DELETE, exp);
}

EXPORT struct nlmsghdr *ctalg_exp_build_new(void *buf, size_t size,
					    const struct ctalg_expect *exp)
{
	const uint32_t need = CTALG_EXP_TUPLE | CTALG_EXP_MASK | CTALG_EXP_MASTER;
	struct nlmsghdr *nlh;

	if ((exp->set & need) != need || !exp_family_ok(exp->family)) {
		errno = EINVAL;
		return NULL;
	}
	nlh = exp_msg(buf, size, IPCTNL_MSG_EXP_NEW,
		      NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, exp->family);
	if (!nlh || ctalg_exp_put(nlh, size, exp) < 0)
		return NULL;
	return nlh;
}

EXPORT struct nlmsghdr *ctalg_exp_build_delete_helper(void *buf, size_t size,
						      const char *name)
{
	size_t n = strnlen(name, CTALG_EXP_HELPER_LEN + 1);
	struct nlmsghdr *nlh;

	if (n == 0 || n > CTALG_EXP_HELPER_LEN) {
		errno = EINVAL;
		return NULL;
	}
	nlh = exp_msg(buf, size, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC);
	if (!nlh)
		return NULL;
	if (!mnl_attr_put_check(nlh, size, CTA_EXPECT_HELP_NAME, n + 1, name)) {
		errno = ENOSPC;
		return NULL;
	}
	return nlh;
}

EXPORT struct nlmsghdr *ctalg_exp_build_flush(void *buf, size_t size)
{
	return exp_msg(buf, size, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC);
}

EXPORT enum ctalg_event ctalg_exp_event(const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type >> 8 != NFNL_SUBSYS_CTNETLINK_EXP)
		return CTALG_EVENT_NONE;
	switch (nlh->nlmsg_type & 0xff) {
	case IPCTNL_MSG_EXP_NEW:
		if (nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL))
			return CTALG_EVENT_NEW;
		return CTALG_EVENT_UPDATE;
	case IPCTNL_MSG_EXP_DELETE:
		return CTALG_EVENT_DESTROY;
	default:
		return CTALG_EVENT_NONE;
	}
}

EXPORT int ctalg_exp_event_group(enum ctalg_event ev)
{
	switch (ev) {
	case CTALG_EVENT_NEW:
		return NFNLGRP_CONNTRACK_EXP_NEW;
	case CTALG_EVENT_UPDATE:
		return NFNLGRP_CONNTRACK_EXP_UPDATE;
	case CTALG_EVENT_DESTROY:
		return NFNLGRP_CONNTRACK_EXP_DESTROY;
	default:
		errno = EINVAL;
		return -1;
	}
}
