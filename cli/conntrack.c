// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctalg conntrack list|watch|get: the conntrack table, printed as
 * conntrack(8) prints it (-L, -E, -G), or as JSON.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctalg/ct.h>
#include <ctalg/cursor.h>

#include "cli.h"
#include "output.h"

/* Restarts of a dump the kernel marks interrupted before giving up. */
#define CT_DUMP_RETRIES 10

struct ct_opts {
	uint8_t family; /* AF_UNSPEC: all */
	bool proto_set;
	uint8_t proto;
	const char *helper; /* NULL: any */
	unsigned int events;
	unsigned int flags; /* CTALG_PRINT_* */
	bool labels;
	struct ctalg_labelmap *labelmap;
	/* get */
	struct ctalg_tuple tuple;
	const char *src, *dst;
	int zone;
	/* while running */
	struct cli_lines lines;
	unsigned long malformed;
};

static void ct_help(void)
{
	printf("Usage: ctalg conntrack list [FILTER...] [format FORMAT[,...]]\n"
	       "       ctalg conntrack watch [FILTER...] [event EVENT[,...]]"
	       " [format FORMAT[,...]]\n"
	       "       ctalg conntrack get [family F] proto PROTO src ADDR dst "
	       "ADDR\n"
	       "                 [sport PORT dport PORT | type N code N id N]"
	       " [zone N]\n"
	       "                 [format FORMAT[,...]]\n"
	       "FILTER := family inet|inet6|ipv4|ipv6 | proto NAME|NUMBER |"
	       " helper NAME\n"
	       "EVENT  := new | update | destroy\n"
	       "FORMAT := extended | id | ktimestamp | labels | timestamp"
	       " (watch only)\n"
	       "\n"
	       "Lines are those conntrack -L, -E and -G print; add -o json for"
	       " one JSON\n"
	       "object per entry or event. See ctalg(8).\n");
}

static void ct_parse_helper(struct ct_opts *o, const char *s)
{
	if (!s[0])
		cli_usage_error("helper: the name is empty");
	if (strlen(s) > CTALG_CT_HELPER_MAX)
		cli_usage_error("helper: \"%s\" is longer than %d characters",
				s, CTALG_CT_HELPER_MAX);
	o->helper = s;
}

/*
 * A comma-separated list of words from @words, ORing @bits of each one;
 * @what names the keyword in messages, @all lists the valid words.
 */
static unsigned int ct_parse_list(const char *what, const char *s,
				  const char *const *words,
				  const unsigned int *bits, size_t n,
				  const char *all)
{
	unsigned int mask = 0;
	const char *p = s;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t i;

		for (i = 0; i < n; i++)
			if (strlen(words[i]) == len &&
			    strncmp(p, words[i], len) == 0)
				break;
		if (i == n)
			cli_usage_error("%s: \"%.*s\" is not %s", what,
					(int)len, p, all);
		mask |= bits[i];
		if (!comma)
			return mask;
		p = comma + 1;
	}
}

static void ct_parse_events(struct ct_opts *o, const char *s)
{
	static const char *const words[] = { "new", "update", "destroy" };
	static const unsigned int bits[] = { CTALG_CT_EVENTS_NEW,
					     CTALG_CT_EVENTS_UPDATE,
					     CTALG_CT_EVENTS_DESTROY };

	o->events = ct_parse_list("event", s, words, bits, 3,
				  "an event (new, update, destroy)");
}

/* "labels" is not a print flag: it asks for the label names. */
#define CT_FORMAT_LABELS (1U << 31)

static void ct_parse_format(struct ct_opts *o, const char *s, bool watch)
{
	static const char *const words[] = { "extended", "id", "ktimestamp",
					     "labels", "timestamp" };
	static const unsigned int bits[] = { CTALG_PRINT_EXTENDED, CTALG_PRINT_ID,
					     CTALG_PRINT_KTIMESTAMP,
					     CT_FORMAT_LABELS,
					     CTALG_PRINT_TIMESTAMP };
	unsigned int mask;

	/* The time of reception makes sense for events only. */
	if (watch)
		mask = ct_parse_list(
		    "format", s, words, bits, 5,
		    "a format (extended, id, ktimestamp, labels, timestamp)");
	else
		mask = ct_parse_list("format", s, words, bits, 4,
				     "a format (extended, id, ktimestamp, "
				     "labels)");
	o->labels = mask & CT_FORMAT_LABELS;
	o->flags |= mask & ~CT_FORMAT_LABELS;
}

enum ct_verb {
	CT_LIST,
	CT_WATCH,
	CT_GET,
};

/* Keywords, each taking a value and given at most once, and their verbs. */
enum ct_kw {
	KW_FORMAT,
	KW_PROTO,
	KW_FAMILY,
	KW_HELPER,
	KW_EVENT,
	KW_SRC,
	KW_DST,
	KW_SPORT,
	KW_DPORT,
	KW_TYPE,
	KW_CODE,
	KW_ID,
	KW_ZONE,
	KW_MAX,
};

#define ON_LIST	 (1U << CT_LIST)
#define ON_WATCH (1U << CT_WATCH)
#define ON_GET	 (1U << CT_GET)

static const struct {
	const char *name;
	unsigned int verbs;
} ct_kws[KW_MAX] = {
	[KW_FORMAT] = { "format", ON_LIST | ON_WATCH | ON_GET },
	[KW_PROTO] = { "proto", ON_LIST | ON_WATCH | ON_GET },
	[KW_FAMILY] = { "family", ON_LIST | ON_WATCH | ON_GET },
	[KW_HELPER] = { "helper", ON_LIST | ON_WATCH },
	[KW_EVENT] = { "event", ON_WATCH },
	[KW_SRC] = { "src", ON_GET },
	[KW_DST] = { "dst", ON_GET },
	[KW_SPORT] = { "sport", ON_GET },
	[KW_DPORT] = { "dport", ON_GET },
	[KW_TYPE] = { "type", ON_GET },
	[KW_CODE] = { "code", ON_GET },
	[KW_ID] = { "id", ON_GET },
	[KW_ZONE] = { "zone", ON_GET },
};

/* Parse a verb's arguments (argv[0] is the verb) into @o. */
static void ct_parse_args(int argc, char **argv, enum ct_verb verb,
			  struct ct_opts *o)
{
	struct ctalg_tuple *t = &o->tuple;
	bool seen[KW_MAX] = { false };
	const char *kw, *v;
	int i, k;

	for (i = 1; i < argc; i++) {
		if (cli_output_option(argc, argv, &i))
			continue;
		kw = argv[i];
		for (k = 0; k < KW_MAX; k++)
			if (ct_kws[k].verbs & 1U << verb &&
			    cli_is(kw, ct_kws[k].name))
				break;
		if (k == KW_MAX)
			cli_usage_error("conntrack %s: unknown argument \"%s\" "
					"(see ctalg conntrack --help)",
					argv[0], kw);
		if (seen[k])
			cli_usage_error("%s: given twice", kw);
		seen[k] = true;
		v = cli_value(argc, argv, &i);
		switch (k) {
		case KW_FORMAT:
			ct_parse_format(o, v, verb == CT_WATCH);
			break;
		case KW_PROTO:
			o->proto = cli_parse_l4proto(kw, v);
			o->proto_set = true;
			break;
		case KW_FAMILY:
			o->family = cli_parse_family(kw, v);
			break;
		case KW_HELPER:
			ct_parse_helper(o, v);
			break;
		case KW_EVENT:
			ct_parse_events(o, v);
			break;
		case KW_SRC:
			/* Parsed once the family is known (ct_check_get). */
			o->src = v;
			break;
		case KW_DST:
			o->dst = v;
			break;
		case KW_SPORT:
			t->sport = cli_parse_port(kw, v);
			t->set |= CTALG_TUPLE_SPORT;
			break;
		case KW_DPORT:
			t->dport = cli_parse_port(kw, v);
			t->set |= CTALG_TUPLE_DPORT;
			break;
		case KW_TYPE:
			t->icmp_type = (uint8_t)cli_parse_u32(kw, v, 0, 255);
			t->set |= CTALG_TUPLE_ICMP_TYPE;
			break;
		case KW_CODE:
			t->icmp_code = (uint8_t)cli_parse_u32(kw, v, 0, 255);
			t->set |= CTALG_TUPLE_ICMP_CODE;
			break;
		case KW_ID:
			t->icmp_id = cli_parse_port(kw, v);
			t->set |= CTALG_TUPLE_ICMP_ID;
			break;
		case KW_ZONE:
			o->zone = (int)cli_parse_u32(kw, v, 0, 65535);
			break;
		}
	}
}

/* The get verb's tuple: what the protocol needs, and nothing else. */
static void ct_check_get(struct ct_opts *o)
{
	struct ctalg_tuple *t = &o->tuple;
	bool icmp, ports;

	if (!o->proto_set)
		cli_usage_error("conntrack get: proto is required");
	if (!o->src)
		cli_usage_error("conntrack get: src is required");
	if (!o->dst)
		cli_usage_error("conntrack get: dst is required");
	/* Both addresses of the family given, or of the first one's. */
	cli_parse_addr("src", o->src, o->family, &t->src, &o->family);
	cli_parse_addr("dst", o->dst, o->family, &t->dst, NULL);
	t->set |= CTALG_TUPLE_SRC | CTALG_TUPLE_DST;
	t->family = o->family;
	t->l4proto = o->proto;
	t->set |= CTALG_TUPLE_PROTO;
	icmp = (o->proto == IPPROTO_ICMP && o->family == AF_INET) ||
	       (o->proto == IPPROTO_ICMPV6 && o->family == AF_INET6);
	if (o->proto == IPPROTO_ICMP && o->family == AF_INET6)
		cli_usage_error("proto: icmp with IPv6 addresses (use icmpv6)");
	if (o->proto == IPPROTO_ICMPV6 && o->family == AF_INET)
		cli_usage_error("proto: icmpv6 with IPv4 addresses (use icmp)");
	ports = o->proto == IPPROTO_TCP || o->proto == IPPROTO_UDP ||
		o->proto == IPPROTO_UDPLITE || o->proto == IPPROTO_SCTP ||
		o->proto == IPPROTO_DCCP || o->proto == IPPROTO_GRE;
	if (!ports && t->set & (CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT))
		cli_usage_error("%s: not a field of protocol %u",
				t->set & CTALG_TUPLE_SPORT ? "sport" : "dport",
				o->proto);
	if (!icmp && t->set & (CTALG_TUPLE_ICMP_TYPE | CTALG_TUPLE_ICMP_CODE |
			       CTALG_TUPLE_ICMP_ID))
		cli_usage_error("%s: not a field of protocol %u",
				t->set & CTALG_TUPLE_ICMP_TYPE	 ? "type"
				: t->set & CTALG_TUPLE_ICMP_CODE ? "code"
								 : "id",
				o->proto);
	if (ports && !(t->set & CTALG_TUPLE_SPORT))
		cli_usage_error("conntrack get: sport is required");
	if (ports && !(t->set & CTALG_TUPLE_DPORT))
		cli_usage_error("conntrack get: dport is required");
	if (icmp && !(t->set & CTALG_TUPLE_ICMP_TYPE))
		cli_usage_error("conntrack get: type is required");
	if (icmp && !(t->set & CTALG_TUPLE_ICMP_CODE))
		cli_usage_error("conntrack get: code is required");
	if (icmp && !(t->set & CTALG_TUPLE_ICMP_ID))
		cli_usage_error("conntrack get: id is required");
}

/* ---- the process behind an event ---- */

/* The next space-separated field of a /proc line, as a cursor. */
static bool proc_field(struct ctalg_cursor *c, struct ctalg_cursor *field)
{
	long end;

	while (ctalg_cursor_accept(c, ' ') || ctalg_cursor_accept(c, '\t'))
		;
	if (!ctalg_cursor_left(c))
		return false;
	end = ctalg_cursor_find(c, ' ');
	if (end < 0)
		end = (long)ctalg_cursor_left(c);
	return ctalg_cursor_sub(c, (size_t)end, field);
}

/* A decimal field up to UINT32_MAX; false when it is anything else. */
static bool proc_u32(struct ctalg_cursor *field, uint32_t *v)
{
	return ctalg_cursor_get_dec(field, UINT32_MAX, v) &&
	       ctalg_cursor_left(field) == 0;
}

/* The inode of the netfilter netlink socket bound to @portid, or 0. */
static unsigned long netlink_inode(uint32_t portid)
{
	unsigned long inode = 0;
	char line[512];
	FILE *f;

	f = fopen("/proc/net/netlink", "re");
	if (!f)
		return 0;
	/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
	while (!inode && fgets(line, sizeof(line), f)) {
		struct ctalg_cursor c = ctalg_cursor_make(line, strlen(line));
		struct ctalg_cursor field[10];
		uint32_t proto, pid, ino;
		int n;

		if (line[0] && line[strlen(line) - 1] == '\n')
			c.len--;
		for (n = 0; n < 10 && proc_field(&c, &field[n]); n++)
			;
		if (n == 10 && proc_u32(&field[1], &proto) &&
		    proc_u32(&field[2], &pid) && proc_u32(&field[9], &ino) &&
		    proto == NETLINK_NETFILTER && pid == portid)
			inode = ino;
	}
	fclose(f);
	return inode;
}

/* The command name of @pid into @name, from /proc/PID/stat. */
static bool pid_name(const char *pid, char *name, size_t size)
{
	char path[64], stat[512];
	struct ctalg_cursor c;
	long open, close;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(stat, 1, sizeof(stat), f);
	fclose(f);
	c = ctalg_cursor_make(stat, n);
	open = ctalg_cursor_find(&c, '(');
	if (open < 0)
		return false;
	ctalg_cursor_skip(&c, (size_t)open + 1);
	/* Up to the first ')', as conntrack(8) reads it. */
	close = ctalg_cursor_find(&c, ')');
	if (close <= 0 || (size_t)close >= size)
		return false;
	memcpy(name, ctalg_cursor_ptr(&c), (size_t)close);
	name[close] = '\0';
	return true;
}

/* True when process @pid holds the socket with inode @inode. */
static bool pid_has_socket(const char *pid, unsigned long inode)
{
	char path[64], want[40], link[64];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		char fd[64 + 256];
		ssize_t n;

		snprintf(fd, sizeof(fd), "%s/%s", path, e->d_name);
		n = readlink(fd, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = strcmp(link, want) == 0;
	}
	closedir(d);
	return found;
}

/*
 * The name of the process that owns the netfilter socket @portid, as
 * conntrack -E finds it: the process whose id is the port id first, then
 * every process. The last answer is kept.
 */
static const char *portid_name(uint32_t portid)
{
	static uint32_t last_portid;
	static unsigned long last_inode;
	static char last_name[256];
	static bool last_found;
	unsigned long inode = netlink_inode(portid);
	char pid[16];
	struct dirent *e;
	DIR *d;

	if (!inode)
		return NULL;
	if (portid == last_portid && inode == last_inode)
		return last_found ? last_name : NULL;
	last_portid = portid;
	last_inode = inode;
	last_found = false;
	snprintf(pid, sizeof(pid), "%u", portid);
	if (pid_has_socket(pid, inode)) {
		last_found = pid_name(pid, last_name, sizeof(last_name));
		return last_found ? last_name : NULL;
	}
	d = opendir("/proc");
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		struct ctalg_cursor c = ctalg_cursor_make(e->d_name,
							  strlen(e->d_name));
		uint32_t v;

		if (!proc_u32(&c, &v) || v <= 1 || v == portid)
			continue;
		if (pid_has_socket(e->d_name, inode)) {
			last_found = pid_name(e->d_name, last_name,
					      sizeof(last_name));
			break;
		}
	}
	closedir(d);
	return last_found ? last_name : NULL;
}

/* ---- printing ---- */

static bool ct_match(const struct ct_opts *o, const struct ctalg_ct *ct)
{
	if (o->family != AF_UNSPEC && ct->family != o->family)
		return false;
	if (o->proto_set && ct->orig.l4proto != o->proto)
		return false;
	if (o->helper &&
	    (!(ct->set & CTALG_CT_HELPER) || strcmp(ct->helper, o->helper) != 0))
		return false;
	return true;
}

/*
 * Print one entry into a buffer that grows for long lines (label names
 * can make a line long); returns it, or NULL when memory ran out.
 */
static char *ct_format(const struct ct_opts *o, const struct ctalg_ct *ct,
		       enum ctalg_event ev, char *stack, size_t size)
{
	unsigned int flags = o->flags | (cli.json ? CTALG_PRINT_JSON : 0);
	const struct ctalg_labelmap *map = o->labels ? o->labelmap : NULL;
	int n;
	char *p;

	n = ctalg_ct_snprintf_labels(stack, size, ct, ev, flags, map);
	if (n < 0)
		return NULL;
	if ((size_t)n < size)
		return stack;
	p = malloc((size_t)n + 1);
	if (p)
		ctalg_ct_snprintf_labels(p, (size_t)n + 1, ct, ev, flags, map);
	return p;
}

static int ct_parse_or_count(struct ct_opts *o, const struct nlmsghdr *nlh,
			     struct ctalg_ct *ct)
{
	if (ctalg_ct_parse(nlh, ct) == 0)
		return 0;
	if (errno == EPROTO)
		return -1;
	/* Skip it and go on, but say so and fail at the end. */
	o->malformed++;
	fprintf(stderr, "ctalg: skipped a conntrack message: %s\n",
		strerror(errno));
	return -1;
}

static int ct_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_opts *o = data;
	struct ctalg_ct ct;
	char buf[4096], *line;

	if (!nlh) {
		cli_lines_reset(&o->lines);
		o->malformed = 0;
		return CTALG_CB_OK;
	}
	if (ct_parse_or_count(o, nlh, &ct) < 0 || !ct_match(o, &ct))
		return CTALG_CB_OK;
	line = ct_format(o, &ct, CTALG_EVENT_NONE, buf, sizeof(buf));
	if (!line) {
		errno = ENOMEM;
		return CTALG_CB_ERROR;
	}
	cli_lines_add(&o->lines, line);
	if (line != buf)
		free(line);
	return CTALG_CB_OK;
}

static int ct_watch_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_opts *o = data;
	enum ctalg_event ev = ctalg_ct_event(nlh);
	struct ctalg_ct ct;
	char buf[4096], *line;
	const char *prog;

	if (ev == CTALG_EVENT_NONE || ct_parse_or_count(o, nlh, &ct) < 0 ||
	    !ct_match(o, &ct))
		return CTALG_CB_OK;
	line = ct_format(o, &ct, ev, buf, sizeof(buf));
	if (!line) {
		errno = ENOMEM;
		return CTALG_CB_ERROR;
	}
	/* conntrack -E adds the name of the process behind the event. */
	prog = !cli.json && ct.portid ? portid_name(ct.portid) : NULL;
	if (prog)
		printf("%s progname=%s\n", line, prog);
	else
		printf("%s\n", line);
	if (line != buf)
		free(line);
	return CTALG_CB_OK;
}

static void ct_load_labels(struct ct_opts *o)
{
	if (!o->labels)
		return;
	o->labelmap = ctalg_labelmap_new(NULL);
	/* conntrack(8) goes on without names too, saying why on stderr. */
	if (!o->labelmap)
		fprintf(stderr,
			"ctalg: /etc/xtables/connlabel.conf: %s; labels are "
			"not shown\n",
			errno ? strerror(errno) : "no valid label");
}

static int ct_list(struct ct_opts *o)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *req;
	struct ctalg_nl *nl;
	int ret = 0;

	ct_load_labels(o);
	nl = cli_nl_open();
	req = ctalg_ct_dump_request(buf, sizeof(buf), o->family);
	if (!req || ctalg_nl_dump(nl, req, ct_list_cb, o, CT_DUMP_RETRIES) < 0)
		ret = cli_kernel_error(nl, "listing conntrack entries");
	else
		cli_lines_flush(&o->lines);
	if (!ret && o->malformed)
		ret = EXIT_FAILURE;
	ctalg_nl_close(nl);
	ctalg_labelmap_free(o->labelmap);
	return ret;
}

static int ct_get(struct ct_opts *o)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *req;
	struct ctalg_nl *nl;
	int ret = 0;

	ct_check_get(o);
	ct_load_labels(o);
	nl = cli_nl_open();
	/* The filters of list do not apply: the tuple names the entry. */
	o->family = AF_UNSPEC;
	o->proto_set = false;
	req = ctalg_ct_get_request(buf, sizeof(buf), &o->tuple, o->zone);
	if (!req || ctalg_nl_request(nl, req, ct_list_cb, o) < 0)
		ret = cli_kernel_error(nl, "getting the conntrack entry");
	else
		cli_lines_flush(&o->lines);
	if (!ret && o->malformed)
		ret = EXIT_FAILURE;
	ctalg_nl_close(nl);
	ctalg_labelmap_free(o->labelmap);
	return ret;
}

static int ct_watch(struct ct_opts *o)
{
	struct ctalg_nl *nl;
	int ret;

	ct_load_labels(o);
	nl = cli_nl_open();
	if (ctalg_ct_events_join(nl, o->events) < 0) {
		ret = cli_kernel_error(nl, "subscribing to conntrack events");
		goto out;
	}
	/* Bursts of events must not overrun a default-sized buffer. */
	ctalg_nl_set_rcvbuf(nl, 8 * 1024 * 1024);
	ret = cli_watch(nl, ct_watch_cb, o);
	if (!ret && o->malformed)
		ret = EXIT_FAILURE;
out:
	ctalg_nl_close(nl);
	ctalg_labelmap_free(o->labelmap);
	return ret;
}

static int ct_run(int argc, char **argv)
{
	struct ct_opts o = { .family = AF_UNSPEC,
			     .events = CTALG_CT_EVENTS_ALL,
			     .zone = -1 };

	if (cli_is(argv[0], "list")) {
		ct_parse_args(argc, argv, CT_LIST, &o);
		return ct_list(&o);
	}
	if (cli_is(argv[0], "watch")) {
		ct_parse_args(argc, argv, CT_WATCH, &o);
		return ct_watch(&o);
	}
	if (cli_is(argv[0], "get")) {
		ct_parse_args(argc, argv, CT_GET, &o);
		return ct_get(&o);
	}
	cli_usage_error("conntrack: unknown verb \"%s\" (list, watch, get)",
			argv[0]);
}

const struct cli_object cli_conntrack = {
	.name = "conntrack",
	.summary = "list, watch and get conntrack entries",
	.run = ct_run,
	.help = ct_help,
};
