// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the expectation decoder. The input is a datagram of
 * ctnetlink expectation messages (a dump, events); each message, in its own
 * allocation, goes through ctalg_exp_parse(), and its attributes, wrapped
 * in a nest of their own (as an NFQA_EXP carries them), through
 * ctalg_exp_parse_nested(): both must agree. What parses is printed as
 * conntrack(8) text and as JSON into buffers of every size (fuzz_print()),
 * and built again with ctalg_exp_put(): the message built must parse back
 * to the same expectation, and one byte less of room must be refused
 * without touching the message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <ctalg/expect.h>
#include <ctalg/nl.h>

#include "fuzz.h"
#include "internal.h"

/* Netlink and nfgenmsg headers: where the attributes start. */
#define EXP_HDR (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg)))

struct exp_print {
	const struct ctalg_expect *exp;
	enum ctalg_event ev;
};

static int exp_print(char *buf, size_t size, const void *obj, unsigned int flags)
{
	const struct exp_print *p = obj;

	return ctalg_exp_snprintf(buf, size, p->exp, p->ev, flags);
}

static bool exp_is_exp_msg(const struct nlmsghdr *nlh)
{
	uint8_t msg = nlh->nlmsg_type & 0xff;

	return nlh->nlmsg_type >> 8 == NFNL_SUBSYS_CTNETLINK_EXP &&
	       (msg == IPCTNL_MSG_EXP_NEW || msg == IPCTNL_MSG_EXP_GET ||
		msg == IPCTNL_MSG_EXP_DELETE);
}

static void exp_check(const struct ctalg_expect *exp, uint8_t family)
{
	const struct ctalg_tuple *t[] = { &exp->tuple, &exp->mask, &exp->master,
					  &exp->nat };
	size_t i;

	if (exp->family != family)
		fuzz_fail("ctalg_exp_parse: not the message's family");
	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i]->family != family)
			fuzz_fail("ctalg_exp_parse: a tuple of another family");
	if (strnlen(exp->helper, sizeof(exp->helper)) == sizeof(exp->helper) ||
	    strnlen(exp->fn, sizeof(exp->fn)) == sizeof(exp->fn))
		fuzz_fail("ctalg_exp_parse: a string without its NUL");
	if ((exp->set & CTALG_EXP_NAT) && exp->nat_dir > CTALG_EXP_DIR_REPLY)
		fuzz_fail("ctalg_exp_parse: a NAT direction out of range");
}

/*
 * The message's attributes in a nest of exactly their size, as NFQA_EXP
 * holds them: ctalg_exp_parse_nested() must read them as ctalg_exp_parse()
 * read the message (@r, @exp), when it was an expectation message at all.
 */
static void exp_nested(const struct nlmsghdr *nlh, int r,
		       const struct ctalg_expect *exp)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct ctalg_expect *got;
	struct nlattr *nest;
	size_t len;
	int r2;

	if (nlh->nlmsg_len < EXP_HDR ||
	    nlh->nlmsg_len - EXP_HDR > UINT16_MAX - MNL_ATTR_HDRLEN)
		return;
	len = nlh->nlmsg_len - EXP_HDR;
	nest = malloc(MNL_ATTR_HDRLEN + len);
	got = malloc(sizeof(*got));
	if (!nest || !got)
		fuzz_fail("out of memory in the harness");
	nest->nla_type = NFQA_EXP;
	nest->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + len);
	memcpy((char *)nest + MNL_ATTR_HDRLEN, (const char *)nlh + EXP_HDR, len);
	r2 = ctalg_exp_parse_nested(nest, nfg->nfgen_family, got);
	if (exp_is_exp_msg(nlh)) {
		if ((r < 0) != (r2 < 0))
			fuzz_fail("ctalg_exp_parse_nested: another result than "
				  "ctalg_exp_parse");
		if (r == 0 && memcmp(exp, got, sizeof(*got)))
			fuzz_fail("ctalg_exp_parse_nested: another expectation "
				  "than ctalg_exp_parse");
	}
	free(got);
	free(nest);
}

static void exp_roundtrip(const struct ctalg_expect *exp)
{
	char *buf = malloc(CTALG_NL_MSG_SIZE), *small;
	struct ctalg_expect *back = malloc(sizeof(*back));
	struct nlmsghdr *nlh, *copy, *h;
	size_t len;
	int r;

	if (!buf || !back)
		fuzz_fail("out of memory in the harness");
	nlh = ctalg_nl_msg(buf, CTALG_NL_MSG_SIZE, NFNL_SUBSYS_CTNETLINK_EXP,
			   IPCTNL_MSG_EXP_NEW, 0, exp->family, 0);
	if (ctalg_exp_put(nlh, CTALG_NL_MSG_SIZE, exp) < 0)
		fuzz_fail("ctalg_exp_put: no room in CTALG_NL_MSG_SIZE bytes");
	len = nlh->nlmsg_len;
	copy = fuzz_dup(nlh, len);
	if (ctalg_exp_parse(copy, back) < 0 || memcmp(back, exp, sizeof(*back)))
		fuzz_fail("ctalg_exp_put: what was parsed does not parse back "
			  "the same");
	free(copy);

	/* A byte short: refused, and the message left as it was. */
	if (len > EXP_HDR) {
		small = malloc(len - 1);
		if (!small)
			fuzz_fail("out of memory in the harness");
		h = ctalg_nl_msg(small, len - 1, NFNL_SUBSYS_CTNETLINK_EXP,
				 IPCTNL_MSG_EXP_NEW, 0, exp->family, 0);
		errno = 0;
		r = ctalg_exp_put(h, len - 1, exp);
		if (r == 0 || errno != ENOSPC || h->nlmsg_len != EXP_HDR)
			fuzz_fail("ctalg_exp_put: a buffer too small not "
				  "refused cleanly");
		free(small);
	}
	free(back);
	free(buf);
}

static void exp_one(const struct nlmsghdr *nlh, void *arg)
{
	static const unsigned int flags[] = {
		0,
		CTALG_PRINT_TIMESTAMP,
		CTALG_PRINT_JSON,
		CTALG_PRINT_JSON | CTALG_PRINT_TIMESTAMP,
	};
	enum ctalg_event ev = ctalg_exp_event(nlh);
	struct ctalg_expect *exp = malloc(sizeof(*exp));
	struct exp_print p = { .exp = exp };
	size_t i;
	int r;

	if (!exp)
		fuzz_fail("out of memory in the harness");
	if (ev > CTALG_EVENT_DESTROY)
		fuzz_fail("ctalg_exp_event: not an event kind");
	memset(exp, 0, sizeof(*exp));
	errno = 0;
	r = ctalg_exp_parse(nlh, exp);
	if (r < 0 && errno != EBADMSG)
		fuzz_fail("ctalg_exp_parse: an errno it does not document");
	exp_nested(nlh, r, exp);
	if (r < 0) {
		free(exp);
		return;
	}
	exp_check(
	    exp,
	    ((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		bool json = flags[i] & CTALG_PRINT_JSON;
		bool clock = flags[i] & CTALG_PRINT_TIMESTAMP;

		p.ev = CTALG_EVENT_NONE;
		fuzz_print(exp_print, &p, flags[i], json, clock);
		if (ev != CTALG_EVENT_NONE) {
			p.ev = ev;
			fuzz_print(exp_print, &p, flags[i], json, clock);
		}
	}
	exp_roundtrip(exp);
	free(exp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nl_each(data, size, exp_one, NULL);
	return 0;
}
