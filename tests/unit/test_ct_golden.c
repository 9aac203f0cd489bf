// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack messages recorded from this kernel (tests/data/ct-record.sh)
 * and what conntrack(8) 1.4.7 printed for the same state: ctalg must print
 * the same lines, byte for byte, for the dump (plain, "-o extended,id,
 * ktimestamp", "-o labels") and for the events. Then hostile messages:
 * table-driven malformed vectors, every truncation and random corruption of
 * the recorded messages, each copied into its own allocation so a sanitizer
 * sees any over-read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctalg/ct.h>
#include <ctalg/cursor.h>

#include "internal.h"
#include "tap.h"

struct blob {
	char *data;
	size_t len;
};

static struct blob slurp(const char *name)
{
	const char *dir = getenv("SRCDIR");
	struct blob b = { NULL, 0 };
	char path[1024];
	size_t cap = 0, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/%s", dir ? dir : ".", name);
	f = fopen(path, "rb");
	if (!f)
		return b;
	do {
		if (b.len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			b.data = realloc(b.data, cap);
			if (!b.data)
				abort();
		}
		n = fread(b.data + b.len, 1, 4096, f);
		b.len += n;
	} while (n > 0);
	fclose(f);
	b.data[b.len] = '\0';
	return b;
}

/* The recorded messages, one after another, each with its header. */
static const struct nlmsghdr *next_msg(struct ctalg_cursor *c)
{
	const struct nlmsghdr *nlh;
	uint32_t len;

	if (ctalg_cursor_left(c) < sizeof(*nlh))
		return NULL;
	nlh = (const struct nlmsghdr *)ctalg_cursor_ptr(c);
	len = nlh->nlmsg_len;
	if (len < sizeof(*nlh) || len > ctalg_cursor_left(c))
		return NULL;
	ctalg_cursor_skip(c, NLMSG_ALIGN(len) < ctalg_cursor_left(c)
				 ? NLMSG_ALIGN(len)
				 : ctalg_cursor_left(c));
	return nlh;
}

/* The next line of @text (without its newline), or NULL at the end. */
static char *next_line(char **text)
{
	char *line = *text, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*text = nl + 1;
	} else {
		*text = NULL;
	}
	return line;
}

/*
 * conntrack -E adds " progname=NAME" when it finds the process behind an
 * event; the library leaves that to its caller (ctalg watch adds it).
 */
static void strip_progname(char *line)
{
	char *p = strstr(line, " progname=");

	if (p)
		*p = '\0';
}

static void compare_file(const char *bin, const char *txt, bool events,
			 unsigned int flags, const struct ctalg_labelmap *map,
			 const struct ct_clock *now, const char *what)
{
	struct blob msgs = slurp(bin), lines = slurp(txt);
	struct ctalg_cursor c;
	const struct nlmsghdr *nlh;
	char *text = lines.data, *want, got[8192];
	unsigned int n = 0, bad = 0;

	if (!msgs.data || !lines.data) {
		tap_ok(false, "%s: cannot read %s or %s", what, bin, txt);
		goto out;
	}
	c = ctalg_cursor_make(msgs.data, msgs.len);
	while ((nlh = next_msg(&c))) {
		enum ctalg_event ev = events ? ctalg_ct_event(nlh)
					     : CTALG_EVENT_NONE;
		struct ctalg_ct ct;

		n++;
		want = next_line(&text);
		if (!want) {
			tap_diag("%s: no line for message %u", what, n);
			bad++;
			break;
		}
		if (events)
			strip_progname(want);
		if (ctalg_ct_parse(nlh, &ct) < 0) {
			tap_diag("%s: message %u refused: %s", what, n,
				 strerror(errno));
			bad++;
			continue;
		}
		ct_snprintf_at(got, sizeof(got), &ct, ev, flags, map, now);
		if (strcmp(got, want) != 0) {
			if (bad < 3) {
				tap_diag("%s: message %u", what, n);
				tap_diag("got:  %s", got);
				tap_diag("want: %s", want);
			}
			bad++;
		}
	}
	if (next_line(&text)) {
		tap_diag("%s: more lines than messages", what);
		bad++;
	}
	tap_ok(n > 0 && bad == 0,
	       "%s: %u recorded messages print as conntrack(8)", what, n);
out:
	free(msgs.data);
	free(lines.data);
}

static void test_golden(void)
{
	struct blob now_txt = slurp("ct-dump.now");
	struct ctalg_cursor c;
	struct ct_clock now = { 0 };
	struct ctalg_labelmap *map;
	char path[1024];
	uint32_t sec;

	c = ctalg_cursor_make(now_txt.data, now_txt.len);
	if (!now_txt.data || !ctalg_cursor_get_dec(&c, UINT32_MAX, &sec)) {
		tap_ok(false,
		       "tests/data/ct-dump.now holds the time of the dump");
		free(now_txt.data);
		return;
	}
	free(now_txt.data);
	now.sec = (time_t)sec;
	compare_file("ct-dump.bin", "ct-dump.txt", false, 0, NULL, &now,
		     "conntrack -L");
	compare_file("ct-dump.bin", "ct-dump-ext.txt", false,
		     CTALG_PRINT_EXTENDED | CTALG_PRINT_ID |
			 CTALG_PRINT_KTIMESTAMP,
		     NULL, &now, "conntrack -L -o extended,id,ktimestamp");
	snprintf(path, sizeof(path), "%s/tests/data/ct-labels.conf",
		 getenv("SRCDIR") ? getenv("SRCDIR") : ".");
	map = ctalg_labelmap_new(path);
	tap_ok(map != NULL, "tests/data/ct-labels.conf names labels");
	compare_file("ct-dump.bin", "ct-dump-labels.txt", false, 0, map, &now,
		     "conntrack -L -o labels");
	ctalg_labelmap_free(map);
	/* Only DESTROY events carry timestamps, with their stop time. */
	compare_file("ct-events.bin", "ct-events.txt", true, 0, NULL, &now,
		     "conntrack -E");
	compare_file("ct-events.bin", "ct-events-ext.txt", true,
		     CTALG_PRINT_EXTENDED | CTALG_PRINT_ID |
			 CTALG_PRINT_KTIMESTAMP,
		     NULL, &now, "conntrack -E -o extended,id,ktimestamp");
}

/* What the recorded entries hold, checked field by field. */
static void test_fields(void)
{
	struct blob msgs = slurp("ct-dump.bin");
	struct ctalg_cursor c = ctalg_cursor_make(msgs.data, msgs.len);
	const struct nlmsghdr *nlh;
	unsigned int helper = 0, zone = 0, zone_orig = 0, mark = 0, labels = 0;
	unsigned int v6 = 0, counted = 0;

	while ((nlh = next_msg(&c))) {
		struct ctalg_ct ct;

		if (ctalg_ct_parse(nlh, &ct) < 0)
			continue;
		helper += ct.set & CTALG_CT_HELPER &&
			  !strcmp(ct.helper, "ftp") && ct.orig.dport == 21;
		zone += ct.set & CTALG_CT_ZONE && ct.zone == 7 &&
			ct.orig.dport == 5002;
		zone_orig += ct.orig.set & CTALG_TUPLE_ZONE &&
			     ct.orig.zone == 9 && ct.orig.dport == 5003;
		mark += ct.mark == 42 && ct.orig.dport == 5001;
		labels += ct.set & CTALG_CT_LABELS && ct.labels[0] == 1 << 5 &&
			  ct.labels[12] == 1 << 4 && ct.orig.dport == 5004;
		v6 += ct.family == AF_INET6;
		counted += (ct.set & (CTALG_CT_ORIG_PACKETS | CTALG_CT_TS_START)) ==
			   (CTALG_CT_ORIG_PACKETS | CTALG_CT_TS_START);
	}
	tap_eq_u(helper, 2, "two ftp connections carry helper ftp");
	tap_eq_u(zone, 2, "two entries are in zone 7");
	tap_eq_u(zone_orig, 2, "two entries have original zone 9");
	tap_eq_u(mark, 2, "two entries have mark 42");
	tap_eq_u(labels, 2, "two entries have labels 5 and 100");
	tap_ok(v6 >= 10, "IPv6 entries are IPv6 (%u)", v6);
	tap_ok(counted >= 30, "entries have counters and timestamps (%u)",
	       counted);
	free(msgs.data);
}

/* ---- hostile messages ---- */

struct vector {
	const char *what;
	const char *bytes; /* after the 16-byte netlink + 4-byte nfgenmsg */
	size_t len;
	uint8_t family;
	uint16_t type; /* nlmsg_type */
	int err;       /* 0: accepted */
};

#define V(s)   s, sizeof(s) - 1
#define CT_NEW (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW)
/* CTA_TUPLE_ORIG { CTA_TUPLE_IP { v4 src, v4 dst }, CTA_TUPLE_PROTO { 6 } } */
#define ORIG4                                                              \
	"\x24\x00\x01\x80"                                                 \
	"\x14\x00\x01\x80\x08\x00\x01\x00\x0a\x00\x00\x01\x08\x00\x02\x00" \
	"\x0a\x00\x00\x02"                                                 \
	"\x0c\x00\x02\x80\x05\x00\x01\x00\x06\x00\x00\x00"

static const struct vector vectors[] = {
	{ "a minimal entry", V(ORIG4), AF_INET, CT_NEW, 0 },
	{ "an unknown attribute is skipped",
	  V(ORIG4 "\x08\x00\x7f\x00\x01\x02\x03\x04"), AF_INET, CT_NEW, 0 },
	{ "no original tuple", V("\x08\x00\x03\x00\x00\x00\x00\x08"), AF_INET,
	  CT_NEW, EBADMSG },
	{ "original tuple without protocol",
	  V("\x18\x00\x01\x80\x14\x00\x01\x80\x08\x00\x01\x00\x0a\x00\x00\x01"
	    "\x08\x00\x02\x00\x0a\x00\x00\x02"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "status of 2 bytes", V(ORIG4 "\x06\x00\x03\x00\x00\x08\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "zone of 1 byte", V(ORIG4 "\x05\x00\x12\x00\x07\x00\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "IPv4 address of 3 bytes",
	  V("\x24\x00\x01\x80\x14\x00\x01\x80\x07\x00\x01\x00\x0a\x00\x00\x00"
	    "\x08\x00\x02\x00\x0a\x00\x00\x02"
	    "\x0c\x00\x02\x80\x05\x00\x01\x00\x06\x00\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "IPv4 addresses in an IPv6 message", V(ORIG4), AF_INET6, CT_NEW,
	  EBADMSG },
	{ "attribute longer than the message", V(ORIG4 "\x40\x00\x03\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "nest longer than its parent",
	  V("\x24\x00\x01\x80\x30\x00\x01\x80\x08\x00\x01\x00\x0a\x00\x00\x01"
	    "\x08\x00\x02\x00\x0a\x00\x00\x02"
	    "\x0c\x00\x02\x80\x05\x00\x01\x00\x06\x00\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "helper name",
	  V(ORIG4 "\x0c\x00\x05\x80\x08\x00\x01\x00\x66\x74\x70\x00"), AF_INET,
	  CT_NEW, 0 },
	{ "helper name with its NUL in the padding",
	  V(ORIG4 "\x0c\x00\x05\x80\x07\x00\x01\x00\x66\x74\x70\x00"), AF_INET,
	  CT_NEW, EBADMSG },
	{ "helper name not terminated",
	  V(ORIG4 "\x0c\x00\x05\x80\x08\x00\x01\x00\x66\x74\x70\x70"), AF_INET,
	  CT_NEW, EBADMSG },
	{ "helper name of 16 characters",
	  V(ORIG4 "\x18\x00\x05\x80\x15\x00\x01\x00"
		  "abcdefghijklmnop\x00\x00\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "helper data of 33 bytes",
	  V(ORIG4 "\x2c\x00\x05\x80\x25\x00\x02\x00"
		  "0123456789abcdef0123456789abcdefX\x00\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "labels of 17 bytes",
	  V(ORIG4 "\x15\x00\x16\x00"
		  "0123456789abcdefX\x00\x00\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "counter of 4 bytes in a 64-bit attribute",
	  V(ORIG4 "\x0c\x00\x09\x80\x08\x00\x01\x00\x00\x00\x00\x05"), AF_INET,
	  CT_NEW, EBADMSG },
	{ "timestamp of 7 bytes",
	  V(ORIG4 "\x10\x00\x14\x80\x0b\x00\x01\x00\x00\x00\x00\x00\x00\x00\x05"
		  "\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "TCP flags of 1 byte",
	  V(ORIG4 "\x0c\x00\x04\x80\x08\x00\x01\x80\x05\x00\x04\x00\x02\x00\x00"
		  "\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "security context not terminated",
	  V(ORIG4 "\x0c\x00\x13\x80\x08\x00\x01\x00\x73\x79\x73\x75"), AF_INET,
	  CT_NEW, EBADMSG },
	{ "trailing bytes after the last attribute", V(ORIG4 "\x01\x00"),
	  AF_INET, CT_NEW, EBADMSG },
	{ "an expectation message", V(ORIG4), AF_INET,
	  NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW, EPROTO },
	{ "a conntrack GET request", V(ORIG4), AF_INET,
	  NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET, EPROTO },
	{ "family AF_BRIDGE", V(ORIG4), AF_BRIDGE, CT_NEW, EAFNOSUPPORT },
};

static void test_vectors(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct vector *v = &vectors[i];
		size_t len = 20 + v->len;
		struct nlmsghdr *nlh = calloc(1, len);
		struct nfgenmsg *nfg;
		struct ctalg_ct ct;
		int ret, err;

		nlh->nlmsg_len = (uint32_t)len;
		nlh->nlmsg_type = v->type;
		nfg = (struct nfgenmsg *)(nlh + 1);
		nfg->nfgen_family = v->family;
		memcpy((char *)nlh + 20, v->bytes, v->len);
		errno = 0;
		ret = ctalg_ct_parse(nlh, &ct);
		err = ret < 0 ? errno : 0;
		if (!tap_ok(err == v->err, "%s: %s", v->what,
			    v->err ? strerror(v->err) : "accepted")) {
			tap_diag("got %s", err ? strerror(err) : "accepted");
			tap_diag_bytes("attributes", v->bytes, v->len);
		}
		free(nlh);
	}
}

/*
 * Offsets where a top-level attribute of @nlh ends, with its padding or,
 * being then the last one, with only part of it or none (the kernel's
 * parser allows that).
 */
static bool at_attr_boundary(const struct nlmsghdr *nlh, size_t cut)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

	while (off + 4 <= nlh->nlmsg_len) {
		const struct nlattr *a = (const void *)((const char *)nlh + off);

		if (off == cut || (off + a->nla_len <= cut &&
				   cut < off + NLMSG_ALIGN(a->nla_len)))
			return true;
		off += NLMSG_ALIGN(a->nla_len);
	}
	return off == cut;
}

/*
 * Every cut of every recorded message: refused, or accepted only when it
 * falls between two top-level attributes (a shorter, valid message).
 */
static void test_truncations(void)
{
	struct blob msgs = slurp("ct-dump.bin");
	struct ctalg_cursor c = ctalg_cursor_make(msgs.data, msgs.len);
	const struct nlmsghdr *nlh;
	unsigned long cuts = 0, refused = 0, wrong = 0;

	while ((nlh = next_msg(&c))) {
		size_t len;

		for (len = 0; len < nlh->nlmsg_len; len++) {
			/* Exactly @len bytes, so an over-read is caught. */
			struct nlmsghdr *m = malloc(len ? len : 1);
			struct ctalg_ct ct;
			int ret;

			if (len < sizeof(*m)) {
				free(m);
				continue;
			}
			memcpy(m, nlh, len);
			m->nlmsg_len = (uint32_t)len;
			cuts++;
			ret = ctalg_ct_parse(m, &ct);
			if (ret < 0 && errno == EBADMSG) {
				refused++;
			} else if (ret < 0 || !at_attr_boundary(nlh, len)) {
				if (wrong++ == 0)
					tap_diag_bytes(ret < 0 ? "wrong errno"
							       : "accepted cut",
						       m, len);
			}
			free(m);
		}
	}
	tap_ok(cuts > 1000 && wrong == 0,
	       "%lu truncated messages: %lu refused with EBADMSG, the rest cut "
	       "between attributes",
	       cuts, refused);
	free(msgs.data);
}

/* Random corruption: never a crash, only the documented errors. */
static void test_corruption(void)
{
	struct blob msgs = slurp("ct-events.bin");
	struct ctalg_cursor c = ctalg_cursor_make(msgs.data, msgs.len);
	const struct nlmsghdr *nlh;
	uint32_t seed = 12345;
	unsigned long runs = 0, accepted = 0, wrong = 0;

	while ((nlh = next_msg(&c))) {
		unsigned int round;

		for (round = 0; round < 200; round++) {
			struct nlmsghdr *m = malloc(nlh->nlmsg_len);
			unsigned int flips = 1 + round % 4, k;
			struct ctalg_ct ct;
			char out[8192];

			memcpy(m, nlh, nlh->nlmsg_len);
			for (k = 0; k < flips; k++) {
				seed = seed * 1103515245 + 12345;
				/* Keep the length: the transport checks it. */
				size_t at = 4 +
					    (seed >> 8) % (nlh->nlmsg_len - 4);

				((uint8_t *)m)[at] ^= (uint8_t)(seed >> 24 | 1);
			}
			runs++;
			if (ctalg_ct_parse(m, &ct) == 0) {
				accepted++;
				/* Whatever was accepted prints. */
				if (ctalg_ct_snprintf(out, sizeof(out), &ct,
						      CTALG_EVENT_NEW,
						      CTALG_PRINT_JSON) < 0 ||
				    ctalg_ct_snprintf(out, sizeof(out), &ct,
						      CTALG_EVENT_NONE, 0) < 0)
					wrong++;
			} else if (errno != EBADMSG && errno != EPROTO &&
				   errno != EAFNOSUPPORT) {
				wrong++;
			}
			free(m);
		}
	}
	tap_ok(runs > 10000 && wrong == 0,
	       "%lu corrupted messages: %lu accepted and printed, the rest "
	       "refused with a documented error",
	       runs, accepted);
	free(msgs.data);
}

/* Printing into a short buffer follows snprintf(3). */
static void test_short_buffer(void)
{
	struct blob msgs = slurp("ct-dump.bin");
	struct ctalg_cursor c = ctalg_cursor_make(msgs.data, msgs.len);
	const struct nlmsghdr *nlh = next_msg(&c);
	struct ctalg_ct ct;
	char full[4096], cut[32];
	int n, m;

	if (!nlh || ctalg_ct_parse(nlh, &ct) < 0) {
		tap_ok(false, "a recorded entry parses");
		free(msgs.data);
		return;
	}
	n = ctalg_ct_snprintf(full, sizeof(full), &ct, CTALG_EVENT_NONE, 0);
	m = ctalg_ct_snprintf(cut, sizeof(cut), &ct, CTALG_EVENT_NONE, 0);
	tap_ok(n == m && (size_t)n > sizeof(cut) &&
		   strncmp(full, cut, sizeof(cut) - 1) == 0 &&
		   cut[sizeof(cut) - 1] == '\0',
	       "a short buffer gets the start of the line and the full length");
	tap_eq_u(ctalg_ct_snprintf(NULL, 0, &ct, CTALG_EVENT_NONE, 0), n,
		 "a NULL buffer of size 0 gets the length");
	errno = 0;
	tap_ok(ctalg_ct_snprintf(NULL, 10, &ct, 0, 0) < 0 && errno == EINVAL,
	       "a NULL buffer of non-zero size is EINVAL");
	free(msgs.data);
}

int main(void)
{
	/* conntrack(8) ran with TZ=UTC for the [start=...] times. */
	setenv("TZ", "UTC", 1);
	tzset();
	test_golden();
	test_fields();
	test_vectors();
	test_truncations();
	test_corruption();
	test_short_buffer();
	return tap_done();
}
