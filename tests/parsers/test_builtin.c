// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every built-in helper can be registered as the kernel wants it: the
 * registration the library builds from it (what `ctalg helper add NAME`
 * and ctalgd send) is valid for each family the helper serves, and keeps
 * its classes and private length.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include <ctalg/cthelper.h>

#include "builtin.h"
#include "tap.h"

static void check_family(const struct ctalg_helper *h, uint16_t family)
{
	struct ctalg_cthelper ch;
	uint32_t priv = h->priv_size, i;
	bool ok;

	if (h->l4proto == IPPROTO_TCP)
		priv += CTALG_CTHELPER_TCP_STATE;
	ok = ctalg_cthelper_from_helper(&ch, h, family) == 0 &&
	     !strcmp(ch.name, h->name) && ch.family == family &&
	     ch.l4proto == h->l4proto && ch.priv_len == priv &&
	     ch.n_policies == h->n_classes;
	for (i = 0; ok && i < ch.n_policies; i++)
		ok = !strcmp(ch.policies[i].name, h->classes[i].name) &&
		     ch.policies[i].max_expected == h->classes[i].max_expected &&
		     ch.policies[i].timeout == h->classes[i].timeout;
	tap_ok(ok,
	       "%s (%s): registers with %u bytes of private data and "
	       "its %u classes",
	       h->name, family == AF_INET ? "inet" : "inet6", priv, h->n_classes);
}

int main(void)
{
	const struct ctalg_helper *const *h;

	for (h = ctalg_builtin_helpers; *h; h++) {
		tap_ok((*h)->abi == CTALG_HELPER_ABI && (*h)->parse &&
			   ctalg_builtin_find((*h)->name, (*h)->l4proto) == *h,
		       "%s: current ABI, a parser, found by name", (*h)->name);
		if ((*h)->families & CTALG_HELPER_INET)
			check_family(*h, AF_INET);
		if ((*h)->families & CTALG_HELPER_INET6)
			check_family(*h, AF_INET6);
	}
	tap_ok(!ctalg_builtin_find("FTP", IPPROTO_TCP) &&
		   !ctalg_builtin_find("ftp", IPPROTO_UDP) &&
		   !ctalg_builtin_find("", IPPROTO_TCP),
	       "the name and the protocol must both match exactly");
	return tap_done();
}
