// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctalg helper: register, list and remove user-space conntrack helpers
 * (nfnetlink_cthelper), with nfct helper's syntax and output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <ctalg/cthelper.h>
#include <ctalg/print.h>

#include "builtin.h"
#include "cli.h"
#include "output.h"

/* Longest text one helper prints as: JSON with four escaped class names. */
#define HELPER_LINE_MAX 2048

static void helper_help(void)
{
	printf("Usage: ctalg helper add NAME FAMILY PROTO [queue N]"
	       " [status enabled|disabled]\n"
	       "                        [priv-len N]"
	       " [policy CLASS max N timeout S]...\n"
	       "       ctalg helper delete NAME [FAMILY [PROTO]]\n"
	       "       ctalg helper get NAME [FAMILY [PROTO]]\n"
	       "       ctalg helper list\n"
	       "       ctalg helper flush\n"
	       "       ctalg helper disable NAME FAMILY PROTO\n"
	       "\n"
	       "FAMILY is inet or inet6, PROTO tcp or udp. Without policies\n"
	       "and priv-len, add takes them from the built-in helper NAME.\n"
	       "NAME and CLASS: 1-%d letters, digits, '.', '_' or '-'.\n"
	       "queue 0-%d, max 0-%d, timeout 0-%d seconds, priv-len 0-%d.\n"
	       "Options: -o json (JSON, policies included).\n",
	       CTALG_CTHELPER_NAME_MAX, CTALG_CTHELPER_QUEUE_MAX,
	       CTALG_CTHELPER_EXPECTED_MAX, CTALG_CTHELPER_TIMEOUT_MAX,
	       CTALG_CTHELPER_PRIV_MAX);
}

/* Helper and class names as the kernel's own helpers spell theirs. */
static const char *helper_parse_name(const char *what, const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > CTALG_CTHELPER_NAME_MAX)
		cli_usage_error("%s: \"%s\" is not 1-%d characters long", what,
				s, CTALG_CTHELPER_NAME_MAX);
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			cli_usage_error("%s: \"%s\" may only contain letters, "
					"digits, '.', '_' and '-'",
					what, s);
	}
	return s;
}

/* Helpers are TCP or UDP: the helper SDK has no other. */
static uint8_t helper_parse_proto(const char *s)
{
	if (cli_is(s, "tcp"))
		return IPPROTO_TCP;
	if (cli_is(s, "udp"))
		return IPPROTO_UDP;
	cli_usage_error("protocol: \"%s\" is not tcp or udp", s);
}

static const char *helper_family_name(int family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

static const char *helper_proto_name(int l4proto)
{
	return l4proto == IPPROTO_UDP ? "udp" : "tcp";
}

/*
 * The verb's arguments without "-o FORMAT", which may come anywhere; they
 * are kept in @pos (argv[0], the verb, excluded). Returns their number.
 */
static int helper_args(int argc, char **argv, char **pos)
{
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		if (cli_output_option(argc, argv, &i))
			continue;
		pos[n++] = argv[i];
	}
	return n;
}

static void helper_no_more(const char *verb, int n, char **pos, int used)
{
	if (n > used)
		cli_usage_error("helper %s: unexpected argument \"%s\"", verb,
				pos[used]);
}

/* NAME [FAMILY [PROTO]] of get and delete; ANY where not given. */
static void helper_parse_filter(const char *verb, int n, char **pos,
				const char **name, int *family, int *l4proto)
{
	if (n < 1)
		cli_usage_error("helper %s: missing helper name", verb);
	*name = helper_parse_name("helper name", pos[0]);
	*family = n > 1 ? cli_parse_family("family", pos[1]) : CTALG_CTHELPER_ANY;
	*l4proto = n > 2 ? helper_parse_proto(pos[2]) : CTALG_CTHELPER_ANY;
	helper_no_more(verb, n, pos, 3);
}

/* NAME FAMILY PROTO of add and disable. */
static void helper_parse_tuple(const char *verb, int n, char **pos,
			       struct ctalg_cthelper *h)
{
	if (n < 1)
		cli_usage_error("helper %s: missing helper name", verb);
	if (n < 2)
		cli_usage_error("helper %s: missing family (inet, inet6)", verb);
	if (n < 3)
		cli_usage_error("helper %s: missing protocol (tcp, udp)", verb);
	memset(h, 0, sizeof(*h));
	memcpy(h->name, helper_parse_name("helper name", pos[0]), strlen(pos[0]));
	h->family = cli_parse_family("family", pos[1]);
	h->l4proto = helper_parse_proto(pos[2]);
	h->set = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE;
}

/*
 * Say why the kernel refused, when the error number alone does not: the
 * same EINVAL comes from a kernel without nfnetlink_cthelper and from a
 * status change of a helper that does not exist; EBUSY from a clash with
 * the kernel's own helper and from a mismatched update.
 */
static void helper_hint(struct ctalg_nl *nl, int err, const char *verb,
			const char *name, int family, int l4proto)
{
	struct ctalg_cthelper cur;

	switch (err) {
	case EINVAL:
		if (ctalg_cthelper_probe(nl) == 0) {
			fprintf(stderr, "ctalg: hint: this kernel has no "
					"nfnetlink_cthelper "
					"(CONFIG_NF_CT_NETLINK_HELPER): it "
					"takes no user-space helpers\n");
		} else if (cli_is(verb, "disable") &&
			   ctalg_cthelper_get(nl, name, family, l4proto, &cur) <
			       0 &&
			   errno == ENOENT) {
			fprintf(stderr,
				"ctalg: hint: no helper \"%s\" is "
				"registered for %s %s\n",
				name, helper_family_name(family),
				helper_proto_name(l4proto));
		}
		break;
	case EBUSY:
		if (!cli_is(verb, "add")) {
			fprintf(stderr, "ctalg: hint: a rule uses the helper "
					"(iptables CT --helper, nft ct "
					"helper): remove the rule first\n");
		} else if (ctalg_cthelper_get(nl, name, family, l4proto, &cur) ==
			   0) {
			fprintf(stderr,
				"ctalg: hint: \"%s\" is registered for %s %s "
				"with another priv-len or other policies: "
				"delete it first\n",
				name, helper_family_name(family),
				helper_proto_name(l4proto));
		} else {
			fprintf(stderr,
				"ctalg: hint: the kernel has a helper "
				"\"%s\" for %s already, probably its own: "
				"unload nf_conntrack_%s or choose another "
				"name\n",
				name, helper_proto_name(l4proto), name);
		}
		break;
	case EPERM:
		fprintf(stderr,
			"ctalg: hint: helpers need CAP_NET_ADMIN in the "
			"initial user namespace\n");
		break;
	default:
		break;
	}
}

static int helper_refused(struct ctalg_nl *nl, const char *verb,
			  const char *name, int family, int l4proto)
{
	char action[128];
	int err = errno;

	if (!name)
		snprintf(action, sizeof(action), "cannot %s helpers", verb);
	else if (family == CTALG_CTHELPER_ANY)
		snprintf(action, sizeof(action), "cannot %s helper \"%s\"",
			 verb, name);
	else if (l4proto == CTALG_CTHELPER_ANY)
		snprintf(action, sizeof(action), "cannot %s helper \"%s\" (%s)",
			 verb, name, helper_family_name(family));
	else
		snprintf(action, sizeof(action),
			 "cannot %s helper \"%s\" (%s %s)", verb, name,
			 helper_family_name(family), helper_proto_name(l4proto));
	cli_kernel_error(nl, action);
	helper_hint(nl, err, verb, name, family, l4proto);
	ctalg_nl_close(nl);
	return EXIT_FAILURE;
}

static void helper_line(struct cli_lines *lines, const struct ctalg_cthelper *h)
{
	char buf[HELPER_LINE_MAX];

	ctalg_cthelper_snprintf(buf, sizeof(buf), h,
				cli.json ? CTALG_PRINT_JSON : 0);
	cli_lines_add(lines, buf);
}

static int helper_list_cb(const struct ctalg_cthelper *h, void *data)
{
	struct cli_lines *lines = data;

	if (!h)
		cli_lines_reset(lines);
	else
		helper_line(lines, h);
	return CTALG_CB_OK;
}

static int helper_list(int n, char **pos)
{
	struct cli_lines lines = { 0 };
	struct ctalg_nl *nl;

	helper_no_more("list", n, pos, 0);
	nl = cli_nl_open();
	if (ctalg_cthelper_list(nl, helper_list_cb, &lines) < 0) {
		cli_lines_reset(&lines);
		cli_lines_flush(&lines);
		return helper_refused(nl, "list", NULL, CTALG_CTHELPER_ANY,
				      CTALG_CTHELPER_ANY);
	}
	cli_lines_flush(&lines);
	ctalg_nl_close(nl);
	return 0;
}

static int helper_get(int n, char **pos)
{
	struct cli_lines lines = { 0 };
	struct ctalg_cthelper h;
	struct ctalg_nl *nl;
	const char *name;
	int family, l4proto;

	helper_parse_filter("get", n, pos, &name, &family, &l4proto);
	nl = cli_nl_open();
	if (ctalg_cthelper_get(nl, name, family, l4proto, &h) < 0)
		return helper_refused(nl, "get", name, family, l4proto);
	helper_line(&lines, &h);
	cli_lines_flush(&lines);
	ctalg_nl_close(nl);
	return 0;
}

static int helper_delete(int n, char **pos)
{
	struct ctalg_nl *nl;
	const char *name;
	int family, l4proto;

	helper_parse_filter("delete", n, pos, &name, &family, &l4proto);
	nl = cli_nl_open();
	if (ctalg_cthelper_delete(nl, name, family, l4proto) < 0)
		return helper_refused(nl, "delete", name, family, l4proto);
	ctalg_nl_close(nl);
	return 0;
}

static int helper_flush(int n, char **pos)
{
	struct ctalg_nl *nl;

	helper_no_more("flush", n, pos, 0);
	nl = cli_nl_open();
	if (ctalg_cthelper_delete(nl, NULL, CTALG_CTHELPER_ANY,
				  CTALG_CTHELPER_ANY) < 0)
		return helper_refused(nl, "flush", NULL, CTALG_CTHELPER_ANY,
				      CTALG_CTHELPER_ANY);
	ctalg_nl_close(nl);
	return 0;
}

static int helper_disable(int n, char **pos)
{
	struct ctalg_cthelper h;
	struct ctalg_nl *nl;

	helper_parse_tuple("disable", n, pos, &h);
	helper_no_more("disable", n, pos, 3);
	nl = cli_nl_open();
	if (ctalg_cthelper_set_status(nl, h.name, h.family, h.l4proto,
				      CTALG_CTHELPER_DISABLED) < 0)
		return helper_refused(nl, "disable", h.name, h.family, h.l4proto);
	ctalg_nl_close(nl);
	return 0;
}

/* policy CLASS max N timeout S */
static void helper_parse_policy(int n, char **pos, int *i,
				struct ctalg_cthelper *h)
{
	struct ctalg_cthelper_policy *p;
	const char *name;
	uint32_t k;

	name = helper_parse_name("policy", cli_value(n, pos, i));
	if (h->n_policies == CTALG_CTHELPER_POLICY_MAX)
		cli_usage_error("policy %s: at most %d policies", name,
				CTALG_CTHELPER_POLICY_MAX);
	for (k = 0; k < h->n_policies; k++)
		if (cli_is(h->policies[k].name, name))
			cli_usage_error("policy %s: given twice", name);
	p = &h->policies[h->n_policies++];
	memcpy(p->name, name, strlen(name));
	if (*i + 1 >= n || !cli_is(pos[*i + 1], "max"))
		cli_usage_error("policy %s: expected \"max N timeout S\" after "
				"the class name",
				name);
	(*i)++;
	p->max_expected = cli_parse_u32("max", cli_value(n, pos, i), 0,
					CTALG_CTHELPER_EXPECTED_MAX);
	if (*i + 1 >= n || !cli_is(pos[*i + 1], "timeout"))
		cli_usage_error("policy %s: expected \"timeout S\" after max",
				name);
	(*i)++;
	p->timeout = cli_parse_u32("timeout", cli_value(n, pos, i), 0,
				   CTALG_CTHELPER_TIMEOUT_MAX);
	h->set |= CTALG_CTHELPER_F_POLICY;
}

/*
 * What the command line left out comes from the built-in helper of that
 * name, as nfct takes it from conntrackd's; an unknown helper must be
 * described whole.
 */
static void helper_defaults(struct ctalg_cthelper *h)
{
	const struct ctalg_helper *b = ctalg_builtin_find(h->name, h->l4proto);
	struct ctalg_cthelper def;

	if (h->set & CTALG_CTHELPER_F_POLICY && h->set & CTALG_CTHELPER_F_PRIV_LEN)
		return;
	if (!b)
		cli_usage_error("helper add: \"%s\" is not a built-in %s "
				"helper: give its priv-len and at least one "
				"policy",
				h->name, helper_proto_name(h->l4proto));
	if (ctalg_cthelper_from_helper(&def, b, h->family) < 0) {
		cli_fail("the built-in helper \"%s\" is not valid: %s", h->name,
			 strerror(errno));
		exit(EXIT_FAILURE);
	}
	if (!(h->set & CTALG_CTHELPER_F_POLICY)) {
		h->n_policies = def.n_policies;
		memcpy(h->policies, def.policies, sizeof(h->policies));
		h->set |= CTALG_CTHELPER_F_POLICY;
	}
	if (!(h->set & CTALG_CTHELPER_F_PRIV_LEN)) {
		h->priv_len = def.priv_len;
		h->set |= CTALG_CTHELPER_F_PRIV_LEN;
	}
}

static int helper_add(int n, char **pos)
{
	struct ctalg_cthelper h;
	struct ctalg_nl *nl;
	const char *v;
	int i;

	helper_parse_tuple("add", n, pos, &h);
	for (i = 3; i < n; i++) {
		if (cli_is(pos[i], "queue")) {
			if (h.set & CTALG_CTHELPER_F_QUEUE)
				cli_usage_error("queue: given twice");
			h.queue = cli_parse_u32("queue", cli_value(n, pos, &i),
						0, CTALG_CTHELPER_QUEUE_MAX);
			h.set |= CTALG_CTHELPER_F_QUEUE;
		} else if (cli_is(pos[i], "status")) {
			if (h.set & CTALG_CTHELPER_F_STATUS)
				cli_usage_error("status: given twice");
			v = cli_value(n, pos, &i);
			if (cli_is(v, "enabled"))
				h.status = CTALG_CTHELPER_ENABLED;
			else if (cli_is(v, "disabled"))
				h.status = CTALG_CTHELPER_DISABLED;
			else
				cli_usage_error("status: \"%s\" is not enabled "
						"or disabled",
						v);
			h.set |= CTALG_CTHELPER_F_STATUS;
		} else if (cli_is(pos[i], "priv-len")) {
			if (h.set & CTALG_CTHELPER_F_PRIV_LEN)
				cli_usage_error("priv-len: given twice");
			h.priv_len = cli_parse_u32("priv-len",
						   cli_value(n, pos, &i), 0,
						   CTALG_CTHELPER_PRIV_MAX);
			h.set |= CTALG_CTHELPER_F_PRIV_LEN;
		} else if (cli_is(pos[i], "policy")) {
			helper_parse_policy(n, pos, &i, &h);
		} else {
			cli_usage_error("helper add: unknown argument \"%s\"",
					pos[i]);
		}
	}
	helper_defaults(&h);
	nl = cli_nl_open();
	if (ctalg_cthelper_register(nl, &h, 0) < 0)
		return helper_refused(nl, "add", h.name, h.family, h.l4proto);
	ctalg_nl_close(nl);
	return 0;
}

static int helper_run(int argc, char **argv)
{
	static const struct {
		const char *verb;
		int (*run)(int n, char **pos);
	} verbs[] = {
		{ "add", helper_add },	   { "delete", helper_delete },
		{ "get", helper_get },	   { "list", helper_list },
		{ "flush", helper_flush }, { "disable", helper_disable },
	};
	char **pos;
	size_t k;
	int n, ret;

	for (k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++)
		if (cli_is(argv[0], verbs[k].verb))
			break;
	if (k == sizeof(verbs) / sizeof(verbs[0]))
		cli_usage_error("helper: unknown verb \"%s\" (see ctalg helper "
				"--help)",
				argv[0]);
	pos = calloc((size_t)argc, sizeof(*pos));
	if (!pos)
		return cli_fail("out of memory");
	n = helper_args(argc, argv, pos);
	ret = verbs[k].run(n, pos);
	free(pos);
	return ret;
}

const struct cli_object cli_helper = {
	.name = "helper",
	.summary =
	    "user-space conntrack helpers in the kernel (as nfct helper)",
	.run = helper_run,
	.help = helper_help,
};
