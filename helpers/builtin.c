// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of built-in helpers. */
#include <string.h>

#include "builtin.h"

/* One per line, sorted by name: merges of new helpers stay one-line. */
// clang-format off
const struct ctalg_helper *const ctalg_builtin_helpers[] = {
	&ctalg_helper_amanda,
	&ctalg_helper_dhcpv6,
	&ctalg_helper_ftp,
	&ctalg_helper_mdns,
	&ctalg_helper_rpc_tcp,
	&ctalg_helper_rpc_udp,
	&ctalg_helper_sane,
	&ctalg_helper_slp,
	&ctalg_helper_ssdp,
	&ctalg_helper_ssdp_tcp,
	&ctalg_helper_tftp,
	&ctalg_helper_tns,
	NULL,
};
// clang-format on

const struct ctalg_helper *ctalg_builtin_find(const char *name, uint8_t l4proto)
{
	const struct ctalg_helper *const *h;

	for (h = ctalg_builtin_helpers; *h; h++)
		if ((*h)->l4proto == l4proto && strcmp((*h)->name, name) == 0)
			return *h;
	return NULL;
}
