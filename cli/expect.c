// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctalg expect: list, watch, get, add, delete and flush conntrack
 * expectations. Text output is conntrack(8)'s, JSON one object per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctalg/expect.h>

#include "cli.h"
#include "output.h"

/* Every keyword of every verb; each verb allows a subset. */
enum exp_kw {
	KW_FAMILY,
	KW_PROTO,
	KW_HELPER,
	KW_EVENT,
	KW_SRC,
	KW_DST,
	KW_SPORT,
	KW_DPORT,
	KW_MASTER_SRC,
	KW_MASTER_DST,
	KW_MASTER_SPORT,
	KW_MASTER_DPORT,
	KW_EXPECT_PROTO,
	KW_MASK_SRC,
	KW_MASK_SPORT,
	KW_CLASS,
	KW_FLAGS,
	KW_ZONE,
	KW_TIMEOUT,
	KW_ID,
	KW_NAT_DIR,
	KW_NAT_SRC,
	KW_NAT_SPORT,
	KW_FN,
	KW_MAX
};

static const char *const kw_names[KW_MAX] = {
	[KW_FAMILY] = "family",
	[KW_PROTO] = "proto",
	[KW_HELPER] = "helper",
	[KW_EVENT] = "event",
	[KW_SRC] = "src",
	[KW_DST] = "dst",
	[KW_SPORT] = "sport",
	[KW_DPORT] = "dport",
	[KW_MASTER_SRC] = "master-src",
	[KW_MASTER_DST] = "master-dst",
	[KW_MASTER_SPORT] = "master-sport",
	[KW_MASTER_DPORT] = "master-dport",
	[KW_EXPECT_PROTO] = "expect-proto",
	[KW_MASK_SRC] = "mask-src",
	[KW_MASK_SPORT] = "mask-sport",
	[KW_CLASS] = "class",
	[KW_FLAGS] = "flags",
	[KW_ZONE] = "zone",
	[KW_TIMEOUT] = "timeout",
	[KW_ID] = "id",
	[KW_NAT_DIR] = "nat-dir",
	[KW_NAT_SRC] = "nat-src",
	[KW_NAT_SPORT] = "nat-sport",
	[KW_FN] = "fn",
};

#define KW(k) (1u << KW_##k)

/* The keywords of the tuple that get and delete look up. */
#define KW_LOOKUP                                                           \
	(KW(PROTO) | KW(SRC) | KW(DST) | KW(SPORT) | KW(DPORT) | KW(ZONE) | \
	 KW(ID))

/*
 * The kernel keeps at most four classes per helper
 * (NF_CT_MAX_EXPECT_CLASSES), numbered from 0.
 */
#define EXP_CLASS_MAX 3
/*
 * Seconds the kernel turns into jiffies (at most HZ=1000 per second)
 * without overflowing 32 bits.
 */
#define EXP_TIMEOUT_MAX 2147483

struct exp_args {
	const char *verb;
	const char *v[KW_MAX];
	bool timestamp;
};

/*
 * Read argv[1..] (argv[0] is the verb): "KEYWORD VALUE" pairs from
 * @allowed, "-o json|text", and "timestamp" when @timestamp_ok.
 */
static void exp_args_parse(int argc, char **argv, uint32_t allowed,
			   bool timestamp_ok, struct exp_args *a)
{
	int i, k;

	memset(a, 0, sizeof(*a));
	a->verb = argv[0];
	for (i = 1; i < argc; i++) {
		if (cli_output_option(argc, argv, &i))
			continue;
		if (timestamp_ok && cli_is(argv[i], "timestamp")) {
			a->timestamp = true;
			continue;
		}
		for (k = 0; k < KW_MAX; k++)
			if ((allowed & (1u << k)) && cli_is(argv[i], kw_names[k]))
				break;
		if (k == KW_MAX)
			cli_usage_error("expect %s: unknown argument \"%s\" "
					"(see ctalg expect --help)",
					a->verb, argv[i]);
		if (a->v[k])
			cli_usage_error("%s: given twice", kw_names[k]);
		a->v[k] = cli_value(argc, argv, &i);
	}
}

static const char *exp_need(const struct exp_args *a, enum exp_kw k)
{
	if (!a->v[k])
		cli_usage_error("expect %s: %s is required", a->verb,
				kw_names[k]);
	return a->v[k];
}

/* Protocols whose tuples carry ports (GRE: keys, in the same fields). */
static bool exp_has_ports(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_GRE:
		return true;
	default:
		return false;
	}
}

/* A port keyword for a protocol without ports is a usage error. */
static void exp_no_port(const struct exp_args *a, enum exp_kw k, const char *proto)
{
	if (a->v[k])
		cli_usage_error("%s: protocol %s has no ports", kw_names[k],
				proto);
}

/* The expected connection's protocol as given: expect-proto, or proto. */
static const char *exp_eproto_arg(const struct exp_args *a)
{
	return a->v[KW_EXPECT_PROTO] ? a->v[KW_EXPECT_PROTO] : a->v[KW_PROTO];
}

static uint16_t exp_port(const struct exp_args *a, enum exp_kw k)
{
	return cli_parse_port(kw_names[k], a->v[k]);
}

static uint16_t exp_need_port(const struct exp_args *a, enum exp_kw k)
{
	return cli_parse_port(kw_names[k], exp_need(a, k));
}

/* A tuple of @family and @proto with addresses and ports. */
static void exp_tuple_init(struct ctalg_tuple *t, uint8_t family, uint8_t proto)
{
	memset(t, 0, sizeof(*t));
	t->family = family;
	t->l4proto = proto;
	t->set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO;
	if (exp_has_ports(proto))
		t->set |= CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
}

/* A name of 1 to @max characters (helper, fn), copied into @dst. */
static void exp_name(const char *what, const char *s, char *dst, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		cli_usage_error("%s: \"%s\" must be 1 to %zu characters", what,
				s, max);
	if (dst)
		memcpy(dst, s, n + 1);
}

/*
 * The expected tuple of get and delete: proto, src, dst, [sport], dport,
 * [zone], [id]. The family is that of src.
 */
static void exp_lookup_key(const struct exp_args *a, struct ctalg_expect *exp)
{
	uint8_t proto = cli_parse_l4proto("proto", exp_need(a, KW_PROTO));
	union ctalg_addr src;
	uint8_t family;

	memset(exp, 0, sizeof(*exp));
	/* The first address sets the family; the others must follow it. */
	cli_parse_addr("src", exp_need(a, KW_SRC), AF_UNSPEC, &src, &family);
	exp_tuple_init(&exp->tuple, family, proto);
	exp->tuple.src = src;
	cli_parse_addr("dst", exp_need(a, KW_DST), family, &exp->tuple.dst, NULL);
	if (exp_has_ports(proto)) {
		exp->tuple.dport = exp_need_port(a, KW_DPORT);
		if (a->v[KW_SPORT])
			exp->tuple.sport = exp_port(a, KW_SPORT);
	} else {
		exp_no_port(a, KW_SPORT, a->v[KW_PROTO]);
		exp_no_port(a, KW_DPORT, a->v[KW_PROTO]);
	}
	exp->family = family;
	exp->set = CTALG_EXP_TUPLE;
	if (a->v[KW_ZONE]) {
		exp->zone = (uint16_t)cli_parse_u32("zone", a->v[KW_ZONE], 0,
						    65535);
		exp->set |= CTALG_EXP_ZONE;
	}
	if (a->v[KW_ID]) {
		exp->id = cli_parse_u32("id", a->v[KW_ID], 0, UINT32_MAX);
		exp->set |= CTALG_EXP_ID;
	}
}

static uint32_t exp_parse_flags(const char *s)
{
	uint32_t flags = 0;
	const char *p = s;

	for (;;) {
		size_t n = strcspn(p, ",");

		if (n == 9 && !strncmp(p, "permanent", n))
			flags |= CTALG_EXP_FLAG_PERMANENT;
		else if (n == 8 && !strncmp(p, "inactive", n))
			flags |= CTALG_EXP_FLAG_INACTIVE;
		else
			cli_usage_error("flags: \"%.*s\" is not a flag "
					"(permanent, inactive)",
					(int)n, p);
		if (!p[n])
			return flags;
		p += n + 1;
	}
}

/* Everything of "add" after the tuples: the optional attributes. */
static void exp_add_options(const struct exp_args *a, struct ctalg_expect *exp)
{
	if (a->v[KW_CLASS]) {
		exp->class_nr = cli_parse_u32("class", a->v[KW_CLASS], 0,
					      EXP_CLASS_MAX);
		exp->set |= CTALG_EXP_CLASS;
	}
	if (a->v[KW_FLAGS]) {
		exp->flags = exp_parse_flags(a->v[KW_FLAGS]);
		exp->set |= CTALG_EXP_FLAGS;
	}
	if (a->v[KW_HELPER]) {
		exp_name("helper", a->v[KW_HELPER], exp->helper,
			 CTALG_EXP_HELPER_LEN);
		exp->set |= CTALG_EXP_HELPER;
	}
	if (a->v[KW_ZONE]) {
		exp->zone = (uint16_t)cli_parse_u32("zone", a->v[KW_ZONE], 0,
						    65535);
		exp->set |= CTALG_EXP_ZONE;
	}
	if (a->v[KW_TIMEOUT]) {
		exp->timeout = cli_parse_u32("timeout", a->v[KW_TIMEOUT], 1,
					     EXP_TIMEOUT_MAX);
		exp->set |= CTALG_EXP_TIMEOUT;
	}
	if (a->v[KW_FN]) {
		exp_name("fn", a->v[KW_FN], exp->fn, CTALG_EXP_FN_LEN);
		exp->set |= CTALG_EXP_FN;
	}
	if (a->v[KW_NAT_DIR] || a->v[KW_NAT_SRC] || a->v[KW_NAT_SPORT]) {
		const char *dir = exp_need(a, KW_NAT_DIR);

		if (cli_is(dir, "orig"))
			exp->nat_dir = CTALG_EXP_DIR_ORIGINAL;
		else if (cli_is(dir, "reply"))
			exp->nat_dir = CTALG_EXP_DIR_REPLY;
		else
			cli_usage_error("nat-dir: \"%s\" is not a direction "
					"(orig, reply)",
					dir);
		/* The kernel keeps the source address and port only. */
		exp_tuple_init(&exp->nat, exp->family, exp->tuple.l4proto);
		cli_parse_addr("nat-src", exp_need(a, KW_NAT_SRC), exp->family,
			       &exp->nat.src, NULL);
		if (exp_has_ports(exp->tuple.l4proto)) {
			if (a->v[KW_NAT_SPORT])
				exp->nat.sport = exp_port(a, KW_NAT_SPORT);
		} else {
			exp_no_port(a, KW_NAT_SPORT, exp_eproto_arg(a));
		}
		exp->set |= CTALG_EXP_NAT;
	}
}

/* Build the expectation "add" describes; exits 2 on a bad argument. */
static void exp_add_parse(const struct exp_args *a, struct ctalg_expect *exp)
{
	uint8_t proto = cli_parse_l4proto("proto", exp_need(a, KW_PROTO));
	uint8_t eproto = proto, family;
	union ctalg_addr msrc;
	unsigned int alen;

	if (a->v[KW_EXPECT_PROTO])
		eproto = cli_parse_l4proto("expect-proto", a->v[KW_EXPECT_PROTO]);
	memset(exp, 0, sizeof(*exp));
	/* master-src sets the family; every other address must follow it. */
	cli_parse_addr("master-src", exp_need(a, KW_MASTER_SRC), AF_UNSPEC,
		       &msrc, &family);
	alen = ctalg_addr_len(family);
	exp->family = family;
	exp_tuple_init(&exp->master, family, proto);
	exp_tuple_init(&exp->tuple, family, eproto);
	exp_tuple_init(&exp->mask, family, eproto);
	exp->master.src = msrc;
	cli_parse_addr("master-dst", exp_need(a, KW_MASTER_DST), family,
		       &exp->master.dst, NULL);
	cli_parse_addr("src", exp_need(a, KW_SRC), family, &exp->tuple.src, NULL);
	cli_parse_addr("dst", exp_need(a, KW_DST), family, &exp->tuple.dst, NULL);
	if (exp_has_ports(proto)) {
		exp->master.sport = exp_need_port(a, KW_MASTER_SPORT);
		exp->master.dport = exp_need_port(a, KW_MASTER_DPORT);
	} else {
		exp_no_port(a, KW_MASTER_SPORT, a->v[KW_PROTO]);
		exp_no_port(a, KW_MASTER_DPORT, a->v[KW_PROTO]);
	}

	/* Exact source address unless told; any source port unless given. */
	memset(exp->mask.src.b, 0xff, alen);
	memset(exp->mask.dst.b, 0xff, alen);
	if (a->v[KW_MASK_SRC])
		cli_parse_addr("mask-src", a->v[KW_MASK_SRC], family,
			       &exp->mask.src, NULL);
	if (exp_has_ports(eproto)) {
		exp->tuple.dport = exp_need_port(a, KW_DPORT);
		if (a->v[KW_SPORT]) {
			exp->tuple.sport = exp_port(a, KW_SPORT);
			exp->mask.sport = 0xffff;
		}
		if (a->v[KW_MASK_SPORT])
			exp->mask.sport = exp_port(a, KW_MASK_SPORT);
		exp->mask.dport = 0xffff;
	} else {
		exp_no_port(a, KW_SPORT, exp_eproto_arg(a));
		exp_no_port(a, KW_DPORT, exp_eproto_arg(a));
		exp_no_port(a, KW_MASK_SPORT, exp_eproto_arg(a));
	}
	exp->set = CTALG_EXP_TUPLE | CTALG_EXP_MASK | CTALG_EXP_MASTER;
	exp_add_options(a, exp);
}

/*
 * Send a request (NULL when its builder failed, with errno set: it only
 * fails on what the argument parsers refuse first) and read the answer.
 */
static int exp_request(struct ctalg_nl *nl, struct nlmsghdr *req,
		       ctalg_nl_cb cb, void *data)
{
	return req ? ctalg_nl_request(nl, req, cb, data) : -1;
}

/* A dump, started again (at most 3 times) when the kernel interrupts it. */
static int exp_dump(struct ctalg_nl *nl, struct nlmsghdr *req, ctalg_nl_cb cb,
		    void *data)
{
	return req ? ctalg_nl_dump(nl, req, cb, data, 3) : -1;
}

/* ---- list, get and watch ---- */

struct exp_view {
	uint8_t family;
	bool has_proto;
	uint8_t proto;
	const char *helper;
	unsigned int events; /* 1 << CTALG_EVENT_*, for watch */
	unsigned int pflags; /* CTALG_PRINT_* */
	struct cli_lines lines;
	unsigned long bad; /* messages that did not parse */
};

static void exp_view_init(struct exp_view *v, const struct exp_args *a)
{
	memset(v, 0, sizeof(*v));
	if (a->v[KW_FAMILY])
		v->family = cli_parse_family("family", a->v[KW_FAMILY]);
	if (a->v[KW_PROTO]) {
		v->proto = cli_parse_l4proto("proto", a->v[KW_PROTO]);
		v->has_proto = true;
	}
	if (a->v[KW_HELPER]) {
		exp_name("helper", a->v[KW_HELPER], NULL, CTALG_EXP_HELPER_LEN);
		v->helper = a->v[KW_HELPER];
	}
	if (cli.json)
		v->pflags |= CTALG_PRINT_JSON;
	if (a->timestamp)
		v->pflags |= CTALG_PRINT_TIMESTAMP;
}

static bool exp_view_match(const struct exp_view *v,
			   const struct ctalg_expect *exp)
{
	if (v->family && exp->family != v->family)
		return false;
	if (v->has_proto && exp->tuple.l4proto != v->proto)
		return false;
	if (v->helper && (!(exp->set & CTALG_EXP_HELPER) ||
			  strcmp(exp->helper, v->helper) != 0))
		return false;
	return true;
}

/* Parse and print one message; NULL when it is filtered out or bad. */
static const char *exp_view_line(struct exp_view *v, const struct nlmsghdr *nlh,
				 enum ctalg_event ev, char *buf, size_t size)
{
	struct ctalg_expect exp;

	if (ctalg_exp_parse(nlh, &exp) < 0) {
		v->bad++;
		fprintf(stderr, "ctalg: skipped a malformed expectation "
				"message from the kernel\n");
		return NULL;
	}
	if (!exp_view_match(v, &exp))
		return NULL;
	ctalg_exp_snprintf(buf, size, &exp, ev, v->pflags);
	return buf;
}

static int exp_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct exp_view *v = data;
	char buf[4096];
	const char *line;

	if (!nlh) {
		/* The dump restarts: forget what it gave so far. */
		cli_lines_reset(&v->lines);
		v->bad = 0;
		return CTALG_CB_OK;
	}
	line = exp_view_line(v, nlh, CTALG_EVENT_NONE, buf, sizeof(buf));
	if (line)
		cli_lines_add(&v->lines, line);
	return CTALG_CB_OK;
}

static int exp_list(int argc, char **argv)
{
	char req[CTALG_NL_MSG_SIZE];
	struct exp_args a;
	struct exp_view v;
	struct ctalg_nl *nl;
	int ret = 0;

	exp_args_parse(argc, argv, KW(FAMILY) | KW(PROTO) | KW(HELPER), true, &a);
	exp_view_init(&v, &a);
	nl = cli_nl_open();
	if (exp_dump(nl, ctalg_exp_build_dump(req, sizeof(req), v.family),
		     exp_list_cb, &v) < 0) {
		ret = cli_kernel_error(nl, "expect list");
		free(v.lines.data);
		goto out;
	}
	cli_lines_flush(&v.lines);
	if (v.bad)
		ret = EXIT_FAILURE;
out:
	ctalg_nl_close(nl);
	return ret;
}

static int exp_get(int argc, char **argv)
{
	char req[CTALG_NL_MSG_SIZE];
	struct ctalg_expect key;
	struct exp_args a;
	struct exp_view v;
	struct ctalg_nl *nl;
	int ret = 0;

	exp_args_parse(argc, argv, KW_LOOKUP, false, &a);
	exp_lookup_key(&a, &key);
	memset(&v, 0, sizeof(v));
	if (cli.json)
		v.pflags |= CTALG_PRINT_JSON;
	nl = cli_nl_open();
	if (exp_request(nl, ctalg_exp_build_get(req, sizeof(req), &key),
			exp_list_cb, &v) < 0) {
		ret = cli_kernel_error(nl, "expect get");
		free(v.lines.data);
		goto out;
	}
	cli_lines_flush(&v.lines);
	if (v.bad)
		ret = EXIT_FAILURE;
out:
	ctalg_nl_close(nl);
	return ret;
}

static int exp_watch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct exp_view *v = data;
	enum ctalg_event ev = ctalg_exp_event(nlh);
	char buf[4096];
	const char *line;

	if (!(v->events & (1u << ev)))
		return CTALG_CB_OK;
	line = exp_view_line(v, nlh, ev, buf, sizeof(buf));
	if (line)
		puts(line);
	return CTALG_CB_OK;
}

static unsigned int exp_parse_events(const char *s)
{
	static const struct {
		const char *name;
		enum ctalg_event ev;
	} names[] = {
		{ "new", CTALG_EVENT_NEW },
		{ "update", CTALG_EVENT_UPDATE },
		{ "destroy", CTALG_EVENT_DESTROY },
	};
	unsigned int events = 0;
	const char *p = s;
	size_t i;

	for (;;) {
		size_t n = strcspn(p, ",");

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n &&
			    !strncmp(p, names[i].name, n))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			cli_usage_error("event: \"%.*s\" is not an event "
					"(new, update, destroy)",
					(int)n, p);
		events |= 1u << names[i].ev;
		if (!p[n])
			return events;
		p += n + 1;
	}
}

static int exp_watch(int argc, char **argv)
{
	static const enum ctalg_event all[] = {
		CTALG_EVENT_NEW,
		CTALG_EVENT_UPDATE,
		CTALG_EVENT_DESTROY,
	};
	struct exp_args a;
	struct exp_view v;
	struct ctalg_nl *nl;
	size_t i;
	int ret;

	exp_args_parse(argc, argv,
		       KW(FAMILY) | KW(PROTO) | KW(HELPER) | KW(EVENT), true, &a);
	exp_view_init(&v, &a);
	v.events = (1u << CTALG_EVENT_NEW) | (1u << CTALG_EVENT_UPDATE) |
		   (1u << CTALG_EVENT_DESTROY);
	if (a.v[KW_EVENT])
		v.events = exp_parse_events(a.v[KW_EVENT]);
	nl = cli_nl_open();
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!(v.events & (1u << all[i])))
			continue;
		if (ctalg_nl_join(
			nl, (unsigned int)ctalg_exp_event_group(all[i])) < 0) {
			ret = cli_fail("expect watch: cannot subscribe to "
				       "expectation events: %s",
				       strerror(errno));
			goto out;
		}
	}
	/* Bursts of events must not overrun the socket; best effort. */
	ctalg_nl_set_rcvbuf(nl, 4 << 20);
	ret = cli_watch(nl, exp_watch_cb, &v);
out:
	ctalg_nl_close(nl);
	return ret;
}

/* ---- add, delete, flush ---- */

static int exp_add(int argc, char **argv)
{
	char req[CTALG_NL_MSG_SIZE];
	struct ctalg_expect exp;
	struct exp_args a;
	struct ctalg_nl *nl;
	int ret = 0;

	exp_args_parse(argc, argv,
		       KW(PROTO) | KW(MASTER_SRC) | KW(MASTER_DST) |
			   KW(MASTER_SPORT) | KW(MASTER_DPORT) | KW(SRC) |
			   KW(DST) | KW(SPORT) | KW(DPORT) | KW(EXPECT_PROTO) |
			   KW(MASK_SRC) | KW(MASK_SPORT) | KW(CLASS) |
			   KW(FLAGS) | KW(HELPER) | KW(ZONE) | KW(TIMEOUT) |
			   KW(NAT_DIR) | KW(NAT_SRC) | KW(NAT_SPORT) | KW(FN),
		       false, &a);
	exp_add_parse(&a, &exp);
	nl = cli_nl_open();
	if (exp_request(nl, ctalg_exp_build_new(req, sizeof(req), &exp), NULL,
			NULL) < 0)
		ret = cli_kernel_error(nl, "expect add");
	ctalg_nl_close(nl);
	return ret;
}

static int exp_delete(int argc, char **argv)
{
	char req[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	struct ctalg_expect key;
	struct exp_args a;
	struct ctalg_nl *nl;
	int ret = 0;

	exp_args_parse(argc, argv, KW_LOOKUP | KW(HELPER), false, &a);
	if (a.v[KW_HELPER]) {
		int k;

		for (k = 0; k < KW_MAX; k++)
			if (k != KW_HELPER && a.v[k])
				cli_usage_error("%s: not allowed with helper "
						"(delete by helper or by "
						"tuple)",
						kw_names[k]);
		exp_name("helper", a.v[KW_HELPER], NULL, CTALG_EXP_HELPER_LEN);
		nlh = ctalg_exp_build_delete_helper(req, sizeof(req),
						    a.v[KW_HELPER]);
	} else {
		exp_lookup_key(&a, &key);
		nlh = ctalg_exp_build_delete(req, sizeof(req), &key);
	}
	nl = cli_nl_open();
	if (exp_request(nl, nlh, NULL, NULL) < 0)
		ret = cli_kernel_error(nl, "expect delete");
	ctalg_nl_close(nl);
	return ret;
}

/* What "flush family F" lists: the keys to delete one by one. */
struct exp_keys {
	struct ctalg_expect *v;
	size_t n, cap;
	unsigned long bad;
};

static int exp_keys_cb(const struct nlmsghdr *nlh, void *data)
{
	struct exp_keys *k = data;
	struct ctalg_expect exp;

	if (!nlh) {
		k->n = 0;
		return CTALG_CB_OK;
	}
	if (ctalg_exp_parse(nlh, &exp) < 0) {
		k->bad++;
		return CTALG_CB_OK;
	}
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		struct ctalg_expect *p = realloc(k->v, cap * sizeof(*p));

		if (!p)
			return CTALG_CB_ERROR; /* errno: ENOMEM */
		k->v = p;
		k->cap = cap;
	}
	k->v[k->n++] = exp;
	return CTALG_CB_OK;
}

static int exp_keys_dump(struct ctalg_nl *nl, uint8_t family, struct exp_keys *k)
{
	char req[CTALG_NL_MSG_SIZE];

	k->n = 0;
	return exp_dump(nl, ctalg_exp_build_dump(req, sizeof(req), family),
			exp_keys_cb, k);
}

static bool exp_keys_has_id(const struct exp_keys *k, uint32_t id)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (k->v[i].id == id)
			return true;
	return false;
}

/*
 * The kernel's flush takes every family, so one family is flushed by
 * deleting what a dump of it lists, each guarded by its id so that nothing
 * else is hit. The kernel does not report an expectation's zone: those of
 * a zone other than 0 cannot be found that way, and are reported.
 */
static int exp_flush_family(struct ctalg_nl *nl, uint8_t family)
{
	struct exp_keys before = { 0 }, after = { 0 };
	char req[CTALG_NL_MSG_SIZE];
	unsigned long left = 0;
	size_t i;
	int ret = 0;

	if (exp_keys_dump(nl, family, &before) < 0) {
		ret = cli_kernel_error(nl, "expect flush");
		goto out;
	}
	for (i = 0; i < before.n; i++) {
		struct ctalg_expect key = before.v[i];

		key.set &= CTALG_EXP_TUPLE | CTALG_EXP_ID;
		if (exp_request(nl, ctalg_exp_build_delete(req, sizeof(req), &key),
				NULL, NULL) < 0 &&
		    errno != ENOENT) {
			ret = cli_kernel_error(nl, "expect flush");
			goto out;
		}
	}
	if (exp_keys_dump(nl, family, &after) < 0) {
		ret = cli_kernel_error(nl, "expect flush");
		goto out;
	}
	for (i = 0; i < before.n; i++)
		if (exp_keys_has_id(&after, before.v[i].id))
			left++;
	if (left)
		ret = cli_fail("expect flush: %lu left, not in zone 0 (the "
			       "kernel does not report zones)",
			       left);
	else if (before.bad)
		ret = cli_fail("expect flush: %lu malformed messages from the "
			       "kernel",
			       before.bad);
out:
	free(before.v);
	free(after.v);
	return ret;
}

static int exp_flush(int argc, char **argv)
{
	char req[CTALG_NL_MSG_SIZE];
	struct exp_args a;
	struct ctalg_nl *nl;
	int ret = 0;

	exp_args_parse(argc, argv, KW(FAMILY), false, &a);
	nl = cli_nl_open();
	if (a.v[KW_FAMILY])
		ret = exp_flush_family(
		    nl, cli_parse_family("family", a.v[KW_FAMILY]));
	else if (exp_request(nl, ctalg_exp_build_flush(req, sizeof(req)), NULL,
			     NULL) < 0)
		ret = cli_kernel_error(nl, "expect flush");
	ctalg_nl_close(nl);
	return ret;
}

static void exp_help(void)
{
	printf("Usage: ctalg expect list [family F] [proto P] [helper NAME]"
	       " [timestamp] [-o json]\n"
	       "       ctalg expect watch [family F] [proto P] [helper NAME]\n"
	       "                          [event new|update|destroy[,...]]"
	       " [timestamp] [-o json]\n"
	       "       ctalg expect get TUPLE [-o json]\n"
	       "       ctalg expect add proto P master-src A master-dst A\n"
	       "                        [master-sport P master-dport P]"
	       " src A dst A [sport P] [dport P]\n"
	       "                        [expect-proto P] [mask-src A]"
	       " [mask-sport P] [class 0-3]\n"
	       "                        [flags permanent[,inactive]]"
	       " [helper NAME] [zone N] [timeout S]\n"
	       "                        [nat-dir orig|reply nat-src A"
	       " [nat-sport P]] [fn NAME]\n"
	       "       ctalg expect delete TUPLE\n"
	       "       ctalg expect delete helper NAME\n"
	       "       ctalg expect flush [family F]\n"
	       "TUPLE := proto P src A dst A [sport P] [dport P] [zone N]"
	       " [id N]\n"
	       "F := inet | inet6 | ipv4 | ipv6\n"
	       "P (protocol) := tcp | udp | udplite | sctp | dccp | icmp |"
	       " icmpv6 | gre | 0-255\n"
	       "Ports are required where the protocol has them. In add, the\n"
	       "source address must match exactly unless mask-src says"
	       " otherwise,\n"
	       "and any source port matches unless sport is given.\n"
	       "See ctalg(8).\n");
}

static int exp_run(int argc, char **argv)
{
	static const struct {
		const char *verb;
		int (*run)(int argc, char **argv);
	} verbs[] = {
		{ "list", exp_list },	  { "watch", exp_watch },
		{ "get", exp_get },	  { "add", exp_add },
		{ "delete", exp_delete }, { "flush", exp_flush },
	};
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (cli_is(argv[0], verbs[i].verb))
			return verbs[i].run(argc, argv);
	cli_usage_error("expect: unknown verb \"%s\" (list, watch, get, add, "
			"delete, flush)",
			argv[0]);
}

const struct cli_object cli_expect = {
	.name = "expect",
	.summary = "conntrack expectations: list, watch, get, add, delete, "
		   "flush",
	.run = exp_run,
	.help = exp_help,
};
