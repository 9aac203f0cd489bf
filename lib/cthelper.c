// SPDX-License-Identifier: GPL-2.0-or-later
/* Helper registration (nfnetlink_cthelper): build, parse, print, round trips. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cthelper.h>

#include <ctalg/cthelper.h>

#include "internal.h"

_Static_assert(CTALG_HELPER_PRIV_MAX + CTALG_CTHELPER_TCP_STATE ==
		   CTALG_CTHELPER_PRIV_MAX,
	       "the SDK's private maximum leaves room for the TCP state");
_Static_assert(CTALG_HELPER_NAME_MAX == CTALG_CTHELPER_NAME_MAX &&
		   CTALG_HELPER_CLASSES_MAX == CTALG_CTHELPER_POLICY_MAX,
	       "the SDK's limits are the kernel's");

/* Dumps restart when the helper table changes under them; a few times. */
#define CTHELPER_DUMP_RETRIES 4

static const struct attr_policy cthelper_pol[NFCTH_MAX + 1] = {
	[NFCTH_NAME] = { ATTR_STR, CTALG_CTHELPER_NAME_MAX },
	[NFCTH_TUPLE] = { ATTR_NEST },
	[NFCTH_QUEUE_NUM] = { ATTR_U32 },
	[NFCTH_POLICY] = { ATTR_NEST },
	[NFCTH_PRIV_DATA_LEN] = { ATTR_U32 },
	[NFCTH_STATUS] = { ATTR_U32 },
};

static const struct attr_policy tuple_pol[NFCTH_TUPLE_MAX + 1] = {
	[NFCTH_TUPLE_L3PROTONUM] = { ATTR_U16 },
	[NFCTH_TUPLE_L4PROTONUM] = { ATTR_U8 },
};

static const struct attr_policy policy_set_pol[NFCTH_POLICY_SET_MAX + 1] = {
	[NFCTH_POLICY_SET_NUM] = { ATTR_U32 },
	[NFCTH_POLICY_SET1] = { ATTR_NEST },
	[NFCTH_POLICY_SET2] = { ATTR_NEST },
	[NFCTH_POLICY_SET3] = { ATTR_NEST },
	[NFCTH_POLICY_SET4] = { ATTR_NEST },
};

static const struct attr_policy policy_pol[NFCTH_POLICY_MAX + 1] = {
	[NFCTH_POLICY_NAME] = { ATTR_STR, CTALG_CTHELPER_NAME_MAX },
	[NFCTH_POLICY_EXPECT_MAX] = { ATTR_U32 },
	[NFCTH_POLICY_EXPECT_TIMEOUT] = { ATTR_U32 },
};

/* 1 to CTALG_CTHELPER_NAME_MAX characters, within @cap bytes. */
static bool cthelper_name_ok(const char *s, size_t cap)
{
	size_t n;

	if (!s)
		return false;
	n = strnlen(s, cap);
	return n >= 1 && n <= CTALG_CTHELPER_NAME_MAX;
}

static bool cthelper_policy_ok(const struct ctalg_cthelper_policy *p)
{
	return cthelper_name_ok(p->name, sizeof(p->name)) &&
	       p->max_expected <= CTALG_CTHELPER_EXPECTED_MAX &&
	       p->timeout <= CTALG_CTHELPER_TIMEOUT_MAX;
}

/* What the kernel refuses, or silently misreads, is refused here. */
static bool cthelper_valid(const struct ctalg_cthelper *h)
{
	uint32_t i;

	if (h->set & ~(uint32_t)CTALG_CTHELPER_F_ALL)
		return false;
	if ((h->set & CTALG_CTHELPER_F_NAME) &&
	    !cthelper_name_ok(h->name, sizeof(h->name)))
		return false;
	if (h->set & CTALG_CTHELPER_F_POLICY) {
		if (h->n_policies < 1 || h->n_policies > CTALG_CTHELPER_POLICY_MAX)
			return false;
		for (i = 0; i < h->n_policies; i++)
			if (!cthelper_policy_ok(&h->policies[i]))
				return false;
	}
	if ((h->set & CTALG_CTHELPER_F_PRIV_LEN) &&
	    h->priv_len > CTALG_CTHELPER_PRIV_MAX)
		return false;
	/* Only 16 bits reach the verdict: 65536 would mean queue 0. */
	if ((h->set & CTALG_CTHELPER_F_QUEUE) &&
	    h->queue > CTALG_CTHELPER_QUEUE_MAX)
		return false;
	/* The kernel ignores other values without a word. */
	if ((h->set & CTALG_CTHELPER_F_STATUS) &&
	    h->status != CTALG_CTHELPER_ENABLED &&
	    h->status != CTALG_CTHELPER_DISABLED)
		return false;
	return true;
}

/*
 * The attributes of @h that are present, in the order libnetfilter_cthelper
 * writes them, so requests compare byte for byte with the reference. The
 * kernel itself does not care about the order.
 */
static void cthelper_put(struct nlmsghdr *nlh, const struct ctalg_cthelper *h)
{
	struct nlattr *nest, *set;
	uint32_t i;

	if (h->set & CTALG_CTHELPER_F_NAME)
		mnl_attr_put_strz(nlh, NFCTH_NAME, h->name);
	if (h->set & CTALG_CTHELPER_F_QUEUE)
		mnl_attr_put_u32(nlh, NFCTH_QUEUE_NUM, htonl(h->queue));
	if (h->set & CTALG_CTHELPER_F_PRIV_LEN)
		mnl_attr_put_u32(nlh, NFCTH_PRIV_DATA_LEN, htonl(h->priv_len));
	if (h->set & CTALG_CTHELPER_F_TUPLE) {
		nest = mnl_attr_nest_start(nlh, NFCTH_TUPLE);
		mnl_attr_put_u16(nlh, NFCTH_TUPLE_L3PROTONUM, htons(h->family));
		mnl_attr_put_u8(nlh, NFCTH_TUPLE_L4PROTONUM, h->l4proto);
		mnl_attr_nest_end(nlh, nest);
	}
	if (h->set & CTALG_CTHELPER_F_POLICY) {
		nest = mnl_attr_nest_start(nlh, NFCTH_POLICY);
		for (i = 0; i < h->n_policies; i++) {
			const struct ctalg_cthelper_policy *p = &h->policies[i];

			set = mnl_attr_nest_start(
			    nlh, (uint16_t)(NFCTH_POLICY_SET1 + i));
			mnl_attr_put_strz(nlh, NFCTH_POLICY_NAME, p->name);
			mnl_attr_put_u32(nlh, NFCTH_POLICY_EXPECT_MAX,
					 htonl(p->max_expected));
			mnl_attr_put_u32(nlh, NFCTH_POLICY_EXPECT_TIMEOUT,
					 htonl(p->timeout));
			mnl_attr_nest_end(nlh, set);
		}
		mnl_attr_put_u32(nlh, NFCTH_POLICY_SET_NUM, htonl(h->n_policies));
		mnl_attr_nest_end(nlh, nest);
	}
	if (h->set & CTALG_CTHELPER_F_STATUS)
		mnl_attr_put_u32(nlh, NFCTH_STATUS, htonl(h->status));
}

EXPORT int ctalg_cthelper_priv_len(const struct ctalg_helper *h)
{
	switch (h->l4proto) {
	case IPPROTO_TCP:
		if (h->priv_size >
		    CTALG_CTHELPER_PRIV_MAX - CTALG_CTHELPER_TCP_STATE)
			break;
		return (int)(CTALG_CTHELPER_TCP_STATE + h->priv_size);
	case IPPROTO_UDP:
		if (h->priv_size > CTALG_CTHELPER_PRIV_MAX)
			break;
		return (int)h->priv_size;
	default:
		break;
	}
	errno = EINVAL;
	return -1;
}

EXPORT int ctalg_cthelper_from_helper(struct ctalg_cthelper *ch,
				      const struct ctalg_helper *h,
				      uint16_t family)
{
	int priv_len = ctalg_cthelper_priv_len(h);
	uint32_t i;

	memset(ch, 0, sizeof(*ch));
	if (priv_len < 0 || !cthelper_name_ok(h->name, sizeof(ch->name)) ||
	    h->n_classes < 1 || h->n_classes > CTALG_CTHELPER_POLICY_MAX)
		goto err;
	for (i = 0; i < h->n_classes; i++) {
		struct ctalg_cthelper_policy *p = &ch->policies[i];

		if (!cthelper_name_ok(h->classes[i].name, sizeof(p->name)))
			goto err;
		memcpy(p->name, h->classes[i].name, strlen(h->classes[i].name));
		p->max_expected = h->classes[i].max_expected;
		p->timeout = h->classes[i].timeout;
		if (!cthelper_policy_ok(p))
			goto err;
	}
	memcpy(ch->name, h->name, strlen(h->name));
	ch->family = family;
	ch->l4proto = h->l4proto;
	ch->n_policies = h->n_classes;
	ch->priv_len = (uint32_t)priv_len;
	ch->set = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE |
		  CTALG_CTHELPER_F_POLICY | CTALG_CTHELPER_F_PRIV_LEN;
	return 0;

err:
	memset(ch, 0, sizeof(*ch));
	errno = EINVAL;
	return -1;
}

static struct nlmsghdr *cthelper_msg(void *buf, size_t size, uint8_t msg,
				     uint16_t flags)
{
	if (size < CTALG_NL_MSG_SIZE) {
		errno = ENOSPC;
		return NULL;
	}
	/* The kernel ignores the family; the reference sends AF_UNSPEC. */
	return ctalg_nl_msg(buf, size, NFNL_SUBSYS_CTHELPER, msg, flags,
			    AF_UNSPEC, 0);
}

EXPORT struct nlmsghdr *ctalg_cthelper_build_new(void *buf, size_t size,
						 const struct ctalg_cthelper *h,
						 uint16_t nlflags)
{
	uint32_t need = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE;
	struct nlmsghdr *nlh;

	if ((h->set & need) != need || !cthelper_valid(h) ||
	    (nlflags & ~NLM_F_EXCL)) {
		errno = EINVAL;
		return NULL;
	}
	/* NLM_F_CREATE is not checked by the kernel; sent as nfct does. */
	nlh = cthelper_msg(buf, size, NFNL_MSG_CTHELPER_NEW,
			   NLM_F_CREATE | nlflags);
	if (nlh)
		cthelper_put(nlh, h);
	return nlh;
}

/* A name (or NULL) and a family and protocol, each a value or ANY. */
static int cthelper_filter_check(const char *name, int family, int l4proto)
{
	if ((name && !cthelper_name_ok(name, CTALG_CTHELPER_NAME_MAX + 1)) ||
	    (family != CTALG_CTHELPER_ANY && (family < 0 || family > UINT16_MAX)) ||
	    (l4proto != CTALG_CTHELPER_ANY &&
	     (l4proto < 0 || l4proto > UINT8_MAX))) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* A filter the kernel cannot apply in one request: half a tuple. */
static bool cthelper_needs_dump(int family, int l4proto)
{
	return (family == CTALG_CTHELPER_ANY) != (l4proto == CTALG_CTHELPER_ANY);
}

/*
 * A name and tuple filter as a struct for cthelper_put(); the kernel only
 * matches whole tuples, so a half one is refused.
 */
static int cthelper_filter(struct ctalg_cthelper *f, const char *name,
			   int family, int l4proto)
{
	memset(f, 0, sizeof(*f));
	if (cthelper_filter_check(name, family, l4proto) < 0)
		return -1;
	if (cthelper_needs_dump(family, l4proto)) {
		errno = EINVAL;
		return -1;
	}
	if (name) {
		memcpy(f->name, name, strlen(name));
		f->set |= CTALG_CTHELPER_F_NAME;
	}
	if (family != CTALG_CTHELPER_ANY) {
		f->family = (uint16_t)family;
		f->l4proto = (uint8_t)l4proto;
		f->set |= CTALG_CTHELPER_F_TUPLE;
	}
	return 0;
}

static struct nlmsghdr *cthelper_build_filtered(void *buf, size_t size,
						uint8_t msg, const char *name,
						int family, int l4proto)
{
	struct ctalg_cthelper f;
	struct nlmsghdr *nlh;

	if (cthelper_filter(&f, name, family, l4proto) < 0)
		return NULL;
	nlh = cthelper_msg(buf, size, msg, 0);
	if (nlh)
		cthelper_put(nlh, &f);
	return nlh;
}

EXPORT struct nlmsghdr *ctalg_cthelper_build_get(void *buf, size_t size,
						 const char *name, int family,
						 int l4proto)
{
	return cthelper_build_filtered(buf, size, NFNL_MSG_CTHELPER_GET, name,
				       family, l4proto);
}

EXPORT struct nlmsghdr *ctalg_cthelper_build_dump(void *buf, size_t size)
{
	return cthelper_msg(buf, size, NFNL_MSG_CTHELPER_GET, NLM_F_DUMP);
}

EXPORT struct nlmsghdr *ctalg_cthelper_build_del(void *buf, size_t size,
						 const char *name, int family,
						 int l4proto)
{
	return cthelper_build_filtered(buf, size, NFNL_MSG_CTHELPER_DEL, name,
				       family, l4proto);
}

/* ---- parsing ---- */

static int cthelper_parse_tuple(const struct nlattr *nest,
				struct ctalg_cthelper *h)
{
	const struct nlattr *tb[NFCTH_TUPLE_MAX + 1];

	if (attr_parse_nested(nest, tuple_pol, NFCTH_TUPLE_MAX, tb) < 0)
		return -1;
	/* The kernel never sends, nor takes, half a tuple. */
	if (!tb[NFCTH_TUPLE_L3PROTONUM] || !tb[NFCTH_TUPLE_L4PROTONUM]) {
		errno = EBADMSG;
		return -1;
	}
	h->family = ntohs(mnl_attr_get_u16(tb[NFCTH_TUPLE_L3PROTONUM]));
	h->l4proto = mnl_attr_get_u8(tb[NFCTH_TUPLE_L4PROTONUM]);
	h->set |= CTALG_CTHELPER_F_TUPLE;
	return 0;
}

static int cthelper_parse_class(const struct nlattr *nest,
				struct ctalg_cthelper_policy *p)
{
	const struct nlattr *tb[NFCTH_POLICY_MAX + 1];
	const char *name;

	if (attr_parse_nested(nest, policy_pol, NFCTH_POLICY_MAX, tb) < 0)
		return -1;
	if (!tb[NFCTH_POLICY_NAME] || !tb[NFCTH_POLICY_EXPECT_MAX] ||
	    !tb[NFCTH_POLICY_EXPECT_TIMEOUT])
		goto err;
	/* The policy bounded the length; the NUL is within the payload. */
	name = mnl_attr_get_str(tb[NFCTH_POLICY_NAME]);
	memcpy(p->name, name, strlen(name));
	p->max_expected = ntohl(mnl_attr_get_u32(tb[NFCTH_POLICY_EXPECT_MAX]));
	p->timeout = ntohl(mnl_attr_get_u32(tb[NFCTH_POLICY_EXPECT_TIMEOUT]));
	/* Empty names are kept: the kernel accepts them from other tools. */
	if (p->max_expected > CTALG_CTHELPER_EXPECTED_MAX)
		goto err;
	return 0;

err:
	errno = EBADMSG;
	return -1;
}

static int cthelper_parse_policy(const struct nlattr *nest,
				 struct ctalg_cthelper *h)
{
	const struct nlattr *tb[NFCTH_POLICY_SET_MAX + 1];
	uint32_t n, i;

	if (attr_parse_nested(nest, policy_set_pol, NFCTH_POLICY_SET_MAX, tb) < 0)
		return -1;
	if (!tb[NFCTH_POLICY_SET_NUM])
		goto err;
	n = ntohl(mnl_attr_get_u32(tb[NFCTH_POLICY_SET_NUM]));
	if (n < 1 || n > CTALG_CTHELPER_POLICY_MAX)
		goto err;
	/* As the kernel reads them: classes beyond the count are ignored. */
	for (i = 0; i < n; i++) {
		if (!tb[NFCTH_POLICY_SET1 + i])
			goto err;
		if (cthelper_parse_class(tb[NFCTH_POLICY_SET1 + i],
					 &h->policies[i]) < 0)
			return -1;
	}
	h->n_policies = n;
	h->set |= CTALG_CTHELPER_F_POLICY;
	return 0;

err:
	errno = EBADMSG;
	return -1;
}

EXPORT int ctalg_cthelper_parse(const struct nlmsghdr *nlh,
				struct ctalg_cthelper *h)
{
	const struct nlattr *tb[NFCTH_MAX + 1];
	const char *name;

	memset(h, 0, sizeof(*h));
	if (nlh->nlmsg_type >> 8 != NFNL_SUBSYS_CTHELPER ||
	    (nlh->nlmsg_type & 0xff) >= NFNL_MSG_CTHELPER_MAX)
		goto err;
	if (attr_parse_msg(nlh, cthelper_pol, NFCTH_MAX, tb) < 0)
		goto err_clear;
	if (tb[NFCTH_NAME]) {
		name = mnl_attr_get_str(tb[NFCTH_NAME]);
		memcpy(h->name, name, strlen(name));
		h->set |= CTALG_CTHELPER_F_NAME;
	}
	if (tb[NFCTH_TUPLE] && cthelper_parse_tuple(tb[NFCTH_TUPLE], h) < 0)
		goto err_clear;
	if (tb[NFCTH_QUEUE_NUM]) {
		h->queue = ntohl(mnl_attr_get_u32(tb[NFCTH_QUEUE_NUM]));
		/* The kernel keeps a 16-bit queue number. */
		if (h->queue > CTALG_CTHELPER_QUEUE_MAX)
			goto err;
		h->set |= CTALG_CTHELPER_F_QUEUE;
	}
	if (tb[NFCTH_POLICY] && cthelper_parse_policy(tb[NFCTH_POLICY], h) < 0)
		goto err_clear;
	if (tb[NFCTH_PRIV_DATA_LEN]) {
		h->priv_len = ntohl(mnl_attr_get_u32(tb[NFCTH_PRIV_DATA_LEN]));
		if (h->priv_len > CTALG_CTHELPER_PRIV_MAX)
			goto err;
		h->set |= CTALG_CTHELPER_F_PRIV_LEN;
	}
	if (tb[NFCTH_STATUS]) {
		h->status = ntohl(mnl_attr_get_u32(tb[NFCTH_STATUS]));
		if (h->status != CTALG_CTHELPER_ENABLED &&
		    h->status != CTALG_CTHELPER_DISABLED)
			goto err;
		h->set |= CTALG_CTHELPER_F_STATUS;
	}
	/* The kernel describes a helper whole (nfnl_cthelper_fill_info()). */
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) && h->set != CTALG_CTHELPER_F_ALL)
		goto err;
	return 0;

err:
	errno = EBADMSG;
err_clear:
	memset(h, 0, sizeof(*h));
	return -1;
}

/* ---- printing ---- */

static const char *cthelper_family_name(uint16_t family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	default:
		return "unknown";
	}
}

/* The struct comes from the caller: never read past a name's array. */
static const char *cthelper_name_copy(char *dst, const char *src)
{
	memcpy(dst, src, CTALG_CTHELPER_NAME_MAX);
	dst[CTALG_CTHELPER_NAME_MAX] = '\0';
	return dst;
}

static void cthelper_json(struct out *o, const struct ctalg_cthelper *h)
{
	char name[CTALG_CTHELPER_NAME_MAX + 1];
	struct json j;
	uint32_t i;

	json_begin(&j, o);
	json_obj_open(&j, NULL);
	if (h->set & CTALG_CTHELPER_F_NAME)
		json_str(&j, "name", cthelper_name_copy(name, h->name));
	if (h->set & CTALG_CTHELPER_F_TUPLE) {
		json_str(&j, "family", cthelper_family_name(h->family));
		json_u64(&j, "l3protonum", h->family);
		json_str(&j, "proto", l4proto_name(h->l4proto));
		json_u64(&j, "l4protonum", h->l4proto);
	}
	if (h->set & CTALG_CTHELPER_F_QUEUE)
		json_u64(&j, "queuenum", h->queue);
	if (h->set & CTALG_CTHELPER_F_PRIV_LEN)
		json_u64(&j, "priv_data_len", h->priv_len);
	if (h->set & CTALG_CTHELPER_F_STATUS)
		json_str(&j, "status", h->status ? "enabled" : "disabled");
	if (h->set & CTALG_CTHELPER_F_POLICY) {
		json_arr_open(&j, "policies");
		for (i = 0; i < h->n_policies && i < CTALG_CTHELPER_POLICY_MAX;
		     i++) {
			json_obj_open(&j, NULL);
			json_str(&j, "name",
				 cthelper_name_copy(name, h->policies[i].name));
			json_u64(&j, "max_expected", h->policies[i].max_expected);
			json_u64(&j, "timeout", h->policies[i].timeout);
			json_obj_close(&j);
		}
		json_arr_close(&j);
	}
	json_obj_close(&j);
}

EXPORT int ctalg_cthelper_snprintf(char *buf, size_t size,
				   const struct ctalg_cthelper *h,
				   unsigned int flags)
{
	struct out o = out_make(buf, size);
	char name[sizeof(h->name)];

	if (flags & CTALG_PRINT_JSON) {
		cthelper_json(&o, h);
		return (int)o.len;
	}
	/* nfct's layout; absent fields print as 0, as they do there. */
	out_printf(&o,
		   "{\n"
		   "\t.name = %s,\n"
		   "\t.queuenum = %u,\n"
		   "\t.l3protonum = %u,\n"
		   "\t.l4protonum = %u,\n"
		   "\t.priv_data_len = %u,\n"
		   "\t.status = %s,\n"
		   "};",
		   cthelper_name_copy(name, h->name), h->queue, h->family,
		   h->l4proto, h->priv_len, h->status ? "enabled" : "disabled");
	return (int)o.len;
}

/* ---- round trips ---- */

EXPORT int ctalg_cthelper_register(struct ctalg_nl *nl,
				   const struct ctalg_cthelper *h,
				   uint16_t nlflags)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctalg_cthelper_build_new(buf, sizeof(buf), h, nlflags);
	if (!nlh)
		return -1;
	return ctalg_nl_request(nl, nlh, NULL, NULL);
}

EXPORT int ctalg_cthelper_set_status(struct ctalg_nl *nl, const char *name,
				     uint16_t family, uint8_t l4proto,
				     uint32_t status)
{
	struct ctalg_cthelper h;

	if (!name) {
		errno = EINVAL;
		return -1;
	}
	if (cthelper_filter(&h, name, family, l4proto) < 0)
		return -1;
	h.status = status;
	h.set |= CTALG_CTHELPER_F_STATUS;
	return ctalg_cthelper_register(nl, &h, 0);
}

static bool cthelper_match(const struct ctalg_cthelper *h, const char *name,
			   int family, int l4proto)
{
	return (!name || strcmp(h->name, name) == 0) &&
	       (family == CTALG_CTHELPER_ANY || h->family == family) &&
	       (l4proto == CTALG_CTHELPER_ANY || h->l4proto == l4proto);
}

struct cthelper_list {
	ctalg_cthelper_cb cb;
	void *data;
};

static int cthelper_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cthelper_list *l = data;
	struct ctalg_cthelper h;

	if (!nlh)
		return l->cb(NULL, l->data);
	if (ctalg_cthelper_parse(nlh, &h) < 0)
		return CTALG_CB_ERROR;
	return l->cb(&h, l->data);
}

EXPORT int ctalg_cthelper_list(struct ctalg_nl *nl, ctalg_cthelper_cb cb,
			       void *data)
{
	struct cthelper_list l = { .cb = cb, .data = data };
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = ctalg_cthelper_build_dump(buf, sizeof(buf));
	if (!nlh)
		return -1;
	return ctalg_nl_dump(nl, nlh, cthelper_list_cb, &l,
			     CTHELPER_DUMP_RETRIES);
}

struct cthelper_find {
	const char *name;
	int family;
	int l4proto;
	struct ctalg_cthelper *out; /* the first match */
	bool found;
	/* Or every match, for deleting them one by one. */
	struct ctalg_cthelper *all;
	size_t n, cap;
	bool collect;
};

static int cthelper_find_cb(const struct ctalg_cthelper *h, void *data)
{
	struct cthelper_find *f = data;
	struct ctalg_cthelper *grown;

	if (!h) {
		f->found = false;
		f->n = 0;
		return CTALG_CB_OK;
	}
	if (!cthelper_match(h, f->name, f->family, f->l4proto))
		return CTALG_CB_OK;
	if (!f->collect) {
		*f->out = *h;
		f->found = true;
		return CTALG_CB_STOP;
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 8;
		grown = realloc(f->all, f->cap * sizeof(*grown));
		if (!grown) {
			errno = ENOMEM;
			return CTALG_CB_ERROR;
		}
		f->all = grown;
	}
	f->all[f->n++] = *h;
	return CTALG_CB_OK;
}

static int cthelper_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cthelper_find *f = data;

	if (ctalg_cthelper_parse(nlh, f->out) < 0)
		return CTALG_CB_ERROR;
	f->found = true;
	return CTALG_CB_STOP;
}

EXPORT int ctalg_cthelper_get(struct ctalg_nl *nl, const char *name, int family,
			      int l4proto, struct ctalg_cthelper *h)
{
	struct cthelper_find f = {
		.name = name, .family = family, .l4proto = l4proto, .out = h
	};
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	if (cthelper_needs_dump(family, l4proto)) {
		if (cthelper_filter_check(name, family, l4proto) < 0)
			return -1;
		ret = ctalg_cthelper_list(nl, cthelper_find_cb, &f);
	} else {
		nlh = ctalg_cthelper_build_get(buf, sizeof(buf), name, family,
					       l4proto);
		if (!nlh)
			return -1;
		ret = ctalg_nl_request(nl, nlh, cthelper_get_cb, &f);
	}
	if (ret < 0)
		return -1;
	if (!f.found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

EXPORT int ctalg_cthelper_delete(struct ctalg_nl *nl, const char *name,
				 int family, int l4proto)
{
	struct cthelper_find f = { .name = name,
				   .family = family,
				   .l4proto = l4proto,
				   .collect = true };
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	int ret = -1, saved;
	size_t i;

	if (!cthelper_needs_dump(family, l4proto)) {
		nlh = ctalg_cthelper_build_del(buf, sizeof(buf), name, family,
					       l4proto);
		if (!nlh)
			return -1;
		return ctalg_nl_request(nl, nlh, NULL, NULL);
	}
	if (cthelper_filter_check(name, family, l4proto) < 0)
		return -1;
	if (ctalg_cthelper_list(nl, cthelper_find_cb, &f) < 0)
		goto out;
	if (f.n == 0) {
		errno = ENOENT;
		goto out;
	}
	/* Each match by its whole tuple; the first refusal ends it. */
	for (i = 0; i < f.n; i++) {
		nlh = ctalg_cthelper_build_del(buf, sizeof(buf), f.all[i].name,
					       f.all[i].family, f.all[i].l4proto);
		if (!nlh || ctalg_nl_request(nl, nlh, NULL, NULL) < 0)
			goto out;
	}
	ret = 0;
out:
	saved = errno;
	free(f.all);
	errno = saved;
	return ret;
}

static int cthelper_probe_cb(const struct ctalg_cthelper *h, void *data)
{
	return CTALG_CB_OK;
}

EXPORT int ctalg_cthelper_probe(struct ctalg_nl *nl)
{
	if (ctalg_cthelper_list(nl, cthelper_probe_cb, NULL) == 0)
		return 1;
	/* nfnetlink answers EINVAL for a subsystem it does not have. */
	if (errno == EINVAL)
		return 0;
	return -1;
}
