// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A plugin whose helpers the kernel or ctalgd would refuse: ctalgd loads
 * none of them, and says why. One good helper beside them is loaded.
 */
#include <netinet/in.h>

#include <ctalg/helper.h>

static enum ctalg_parse_result nop(struct ctalg_cursor *d, struct ctalg_parse *p)
{
	return CTALG_PARSE_OK;
}

#define HELPER(var, nm, l4, ncls, priv, fn)      \
	static const struct ctalg_helper var = { \
		.abi = CTALG_HELPER_ABI,         \
		.name = nm,                      \
		.l4proto = l4,                   \
		.families = CTALG_HELPER_INET,   \
		.n_classes = ncls,               \
		.classes = { { "c", 1, 30 } },   \
		.priv_size = priv,               \
		.parse = fn,                     \
	}

HELPER(long_name, "a-name-too-long-x", IPPROTO_UDP, 1, 0, nop);
HELPER(no_classes, "noclass", IPPROTO_UDP, 0, 0, nop);
HELPER(big_state, "bigstate", IPPROTO_UDP, 1, 21, nop);
HELPER(no_parse, "noparse", IPPROTO_UDP, 1, 0, NULL);
HELPER(sctp, "sctp", IPPROTO_SCTP, 1, 0, nop);
HELPER(good, "good", IPPROTO_UDP, 1, 0, nop);

CTALG_PLUGIN(&long_name, &no_classes, &big_state, &no_parse, &sctp, &good);
