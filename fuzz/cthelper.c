// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the cthelper decoder. The input is a datagram of
 * nfnetlink_cthelper messages (kernel replies, requests); each message, in
 * its own allocation, goes through ctalg_cthelper_parse(), and what parses
 * is printed as nfct's text and as JSON into buffers of every size
 * (fuzz_print()). A parsed helper with its name and tuple is built again
 * with ctalg_cthelper_build_new(), which must refuse exactly what
 * cthelper.h says it refuses (the parser keeps empty names and long
 * timeouts from other tools); what it builds must parse back the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ctalg/cthelper.h>

#include "fuzz.h"
#include "internal.h"

static int cthelper_print(char *buf, size_t size, const void *obj,
			  unsigned int flags)
{
	return ctalg_cthelper_snprintf(buf, size, obj, flags);
}

static void cthelper_check(const struct ctalg_cthelper *h)
{
	uint32_t i;

	if (h->set & ~(uint32_t)CTALG_CTHELPER_F_ALL)
		fuzz_fail("ctalg_cthelper_parse: unknown bits in .set");
	if (strnlen(h->name, sizeof(h->name)) == sizeof(h->name))
		fuzz_fail("ctalg_cthelper_parse: a name without its NUL");
	if (h->n_policies > CTALG_CTHELPER_POLICY_MAX ||
	    !(h->set & CTALG_CTHELPER_F_POLICY) != !h->n_policies)
		fuzz_fail("ctalg_cthelper_parse: a policy count out of range");
	for (i = 0; i < h->n_policies; i++) {
		const struct ctalg_cthelper_policy *p = &h->policies[i];

		if (strnlen(p->name, sizeof(p->name)) == sizeof(p->name) ||
		    p->max_expected > CTALG_CTHELPER_EXPECTED_MAX)
			fuzz_fail("ctalg_cthelper_parse: a class out of range");
	}
	if (h->priv_len > CTALG_CTHELPER_PRIV_MAX ||
	    h->queue > CTALG_CTHELPER_QUEUE_MAX ||
	    h->status > CTALG_CTHELPER_ENABLED)
		fuzz_fail("ctalg_cthelper_parse: a value out of range");
}

/* What ctalg_cthelper_build_new() refuses of what the parser keeps. */
static bool cthelper_buildable(const struct ctalg_cthelper *h)
{
	uint32_t i;

	if (!h->name[0])
		return false;
	for (i = 0; i < h->n_policies; i++)
		if (!h->policies[i].name[0] ||
		    h->policies[i].timeout > CTALG_CTHELPER_TIMEOUT_MAX)
			return false;
	return true;
}

static void cthelper_roundtrip(const struct ctalg_cthelper *h)
{
	const uint32_t need = CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE;
	struct ctalg_cthelper *back = malloc(sizeof(*back));
	char *buf = malloc(CTALG_NL_MSG_SIZE);
	struct nlmsghdr *nlh, *copy;

	if (!buf || !back)
		fuzz_fail("out of memory in the harness");
	if ((h->set & need) != need)
		goto out;
	errno = 0;
	nlh = ctalg_cthelper_build_new(buf, CTALG_NL_MSG_SIZE, h, 0);
	if (!cthelper_buildable(h)) {
		if (nlh || errno != EINVAL)
			fuzz_fail("ctalg_cthelper_build_new: an empty name or "
				  "a long timeout not refused");
		goto out;
	}
	if (!nlh)
		fuzz_fail("ctalg_cthelper_build_new: a valid helper refused");
	copy = fuzz_dup(nlh, nlh->nlmsg_len);
	if (ctalg_cthelper_parse(copy, back) < 0 ||
	    memcmp(back, h, sizeof(*back)))
		fuzz_fail("ctalg_cthelper_build_new: what was parsed does not "
			  "parse back the same");
	free(copy);
out:
	free(buf);
	free(back);
}

static void cthelper_one(const struct nlmsghdr *nlh, void *arg)
{
	struct ctalg_cthelper *h = malloc(sizeof(*h));
	static const struct ctalg_cthelper zero;

	if (!h)
		fuzz_fail("out of memory in the harness");
	errno = 0;
	if (ctalg_cthelper_parse(nlh, h) < 0) {
		if (errno != EBADMSG)
			fuzz_fail("ctalg_cthelper_parse: an errno it does not "
				  "document");
		if (memcmp(h, &zero, sizeof(*h)))
			fuzz_fail("ctalg_cthelper_parse: a refused message "
				  "left fields behind");
		free(h);
		return;
	}
	cthelper_check(h);
	fuzz_print(cthelper_print, h, 0, false, false);
	fuzz_print(cthelper_print, h, CTALG_PRINT_JSON, true, false);
	cthelper_roundtrip(h);
	free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nl_each(data, size, cthelper_one, NULL);
	return 0;
}
