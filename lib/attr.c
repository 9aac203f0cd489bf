// SPDX-License-Identifier: GPL-2.0-or-later
/* Attribute validation: every attribute is checked before it is stored. */
#include <errno.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>

#include "internal.h"

/*
 * The walk below reads the attribute headers itself rather than through
 * libmnl's accessors: every queued packet goes through it some ten times,
 * and the calls into the shared library were most of its cost.
 */
static bool attr_valid(const struct nlattr *a, const struct attr_policy *p)
{
	size_t len = a->nla_len - MNL_ATTR_HDRLEN;
	const char *s = (const char *)a + MNL_ATTR_HDRLEN;

	switch (p->kind) {
	case ATTR_U8:
		return len >= 1;
	case ATTR_U16:
		return len >= 2;
	case ATTR_U32:
		return len >= 4;
	case ATTR_U64:
		return len >= 8;
	case ATTR_STR: {
		const char *nul = memchr(s, '\0', len);

		if (!nul)
			return false;
		return p->len == 0 || (size_t)(nul - s) <= p->len;
	}
	case ATTR_NEST:
		/* Empty nests are fine; the content is checked by its parser. */
		return len == 0 || len >= sizeof(struct nlattr);
	case ATTR_BIN:
		return len >= p->len;
	case ATTR_FLAG:
		return true;
	default:
		return true;
	}
}

int attr_parse(const void *payload, size_t len, const struct attr_policy *pol,
	       unsigned int max, const struct nlattr **tb)
{
	const struct nlattr *a = payload;
	int left = (int)len;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (len > (size_t)INT32_MAX) {
		errno = EBADMSG;
		return -1;
	}
	/* What mnl_attr_ok() checks: a header, and a length within. */
	while (left >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       (int)a->nla_len <= left) {
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (type <= max && pol[type].kind != ATTR_UNKNOWN) {
			if (!attr_valid(a, &pol[type])) {
				errno = EBADMSG;
				return -1;
			}
			tb[type] = a;
		}
		left -= (int)MNL_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    MNL_ALIGN(a->nla_len));
	}
	/*
	 * Nothing may be left over. Only the last attribute may lack its
	 * padding, as the kernel's own parser allows: a queued packet's
	 * NFQA_PAYLOAD ends its message unpadded.
	 */
	if (left > 0 || left <= -MNL_ALIGNTO) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

int attr_parse_msg(const struct nlmsghdr *nlh, const struct attr_policy *pol,
		   unsigned int max, const struct nlattr **tb)
{
	size_t hdr = MNL_ALIGN(sizeof(struct nfgenmsg));

	if (mnl_nlmsg_get_payload_len(nlh) < hdr) {
		errno = EBADMSG;
		return -1;
	}
	return attr_parse((const char *)mnl_nlmsg_get_payload(nlh) + hdr,
			  mnl_nlmsg_get_payload_len(nlh) - hdr, pol, max, tb);
}

int nfmsg_family(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*nfg)) {
		errno = EBADMSG;
		return -1;
	}
	return nfg->nfgen_family;
}
