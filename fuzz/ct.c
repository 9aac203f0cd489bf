// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the conntrack decoder. The input is a datagram of ctnetlink
 * messages (a dump, events: what nlrecord writes); each message, in its own
 * allocation, goes through ctalg_ct_parse() and ctalg_ct_event(), and what
 * parses is printed as conntrack(8) text (every option, with and without
 * label names) and as JSON, into buffers of every size (fuzz_print()).
 *
 * Beyond the sanitizers, it checks what ct.h promises: a refused message
 * leaves nothing behind and sets a documented errno; a parsed entry has its
 * original tuple with the protocol, the message's family everywhere, and
 * strings and byte arrays within their bounds; a parsed message is an event
 * of some kind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctalg/ct.h>

#include "fuzz.h"
#include "internal.h"

struct ct_print {
	const struct ctalg_ct *ct;
	enum ctalg_event ev;
	const struct ctalg_labelmap *map;
};

/* A fixed clock: the text's ages and "-o timestamp" prefix stay the same. */
static int ct_print_at(char *buf, size_t size, const void *obj, unsigned int flags)
{
	static const struct ct_clock now = {
		.sec = 1700000000,
		.tv = { .tv_sec = 1700000000, .tv_usec = 123456 },
	};
	const struct ct_print *p = obj;

	return ct_snprintf_at(buf, size, p->ct, p->ev, flags, p->map, &now);
}

/*
 * Label names as connlabel.conf gives them, in a memory file: bits in the
 * first and later 32-bit words, so the word order is exercised too.
 */
static const struct ctalg_labelmap *ct_labels(void)
{
	static const char conf[] = "# connlabel.conf\n"
				   "0 zero\n"
				   "1 one\n"
				   "3 three 3\n"
				   "31 word-end\n"
				   "32 next-word\n"
				   "127 last\n";
	static struct ctalg_labelmap *map;
	char path[64];
	int fd;

	if (map)
		return map;
	fd = memfd_create("connlabel.conf", MFD_CLOEXEC);
	if (fd < 0 || write(fd, conf, sizeof(conf) - 1) != sizeof(conf) - 1)
		fuzz_fail("cannot write the label file");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	map = ctalg_labelmap_new(path);
	close(fd);
	if (!map)
		fuzz_fail("cannot read the label file");
	return map;
}

static bool ct_str_ok(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

static void ct_check(const struct ctalg_ct *ct, enum ctalg_event ev)
{
	const struct ctalg_tuple *t[] = { &ct->orig, &ct->reply, &ct->master };
	size_t i;

	if (ct->family != AF_INET && ct->family != AF_INET6)
		fuzz_fail("ctalg_ct_parse: an entry of another family");
	if (!(ct->set & CTALG_CT_ORIG) || !(ct->orig.set & CTALG_TUPLE_PROTO))
		fuzz_fail("ctalg_ct_parse: an entry without its original "
			  "tuple and protocol");
	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i]->family != ct->family && t[i]->set)
			fuzz_fail("ctalg_ct_parse: a tuple of another family");
	if (!ct_str_ok(ct->helper, sizeof(ct->helper)) ||
	    !ct_str_ok(ct->secctx, sizeof(ct->secctx)))
		fuzz_fail("ctalg_ct_parse: a string without its NUL");
	if (ct->helper_info_len > CTALG_CT_HELPER_INFO_MAX ||
	    ct->labels_len > CTALG_CT_LABELS_MAX)
		fuzz_fail("ctalg_ct_parse: bytes beyond their array");
	if (!(ct->set & CTALG_CT_HELPER_INFO) && ct->helper_info_len)
		fuzz_fail("ctalg_ct_parse: helper data without its bit");
	if (ev == CTALG_EVENT_NONE || ev > CTALG_EVENT_DESTROY)
		fuzz_fail("ctalg_ct_event: a conntrack message is no event");
}

static void ct_one(const struct nlmsghdr *nlh, void *arg)
{
	static const unsigned int flags[] = {
		0,
		CTALG_PRINT_EXTENDED | CTALG_PRINT_ID,
		CTALG_PRINT_EXTENDED | CTALG_PRINT_ID | CTALG_PRINT_TIMESTAMP |
		    CTALG_PRINT_KTIMESTAMP,
		CTALG_PRINT_JSON,
	};
	static const struct ctalg_ct zero;
	enum ctalg_event ev = ctalg_ct_event(nlh);
	struct ctalg_ct *ct = malloc(sizeof(*ct));
	struct ct_print p = { .ct = ct };
	char line[4096];
	size_t i;

	if (!ct)
		fuzz_fail("out of memory in the harness");
	errno = 0;
	if (ctalg_ct_parse(nlh, ct) < 0) {
		if (errno != EBADMSG && errno != EPROTO && errno != EAFNOSUPPORT)
			fuzz_fail("ctalg_ct_parse: an errno it does not "
				  "document");
		if (memcmp(ct, &zero, sizeof(*ct)))
			fuzz_fail("ctalg_ct_parse: a refused message left "
				  "fields behind");
		free(ct);
		return;
	}
	ct_check(ct, ev);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		p.ev = CTALG_EVENT_NONE;
		fuzz_print(ct_print_at, &p, flags[i],
			   flags[i] & CTALG_PRINT_JSON, false);
		p.ev = ev;
		fuzz_print(ct_print_at, &p, flags[i],
			   flags[i] & CTALG_PRINT_JSON, false);
	}
	if (ct->set & CTALG_CT_LABELS) {
		p.map = ct_labels();
		fuzz_print(ct_print_at, &p, CTALG_PRINT_EXTENDED, false, false);
		p.ev = CTALG_EVENT_NONE;
		fuzz_print(ct_print_at, &p, 0, false, false);
	}
	/* The public entry point, on the real clocks. */
	if (ctalg_ct_snprintf(line, sizeof(line), ct, ev,
			      CTALG_PRINT_TIMESTAMP | CTALG_PRINT_KTIMESTAMP) < 0)
		fuzz_fail("ctalg_ct_snprintf failed");
	free(ct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nl_each(data, size, ct_one, NULL);
	return 0;
}
