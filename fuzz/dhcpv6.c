// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the DHCPv6 helper, fed datagrams as ctalgd would (dgram.h). */
#include "builtin.h"
#include "dgram.h"
#include "udp_check.h"

/* 0-3 as a transcript's "@ v6 lo" chooses them (IPv6 only anyway). */
static const struct fuzz_dgram_conn conns[] = {
	{ AF_INET6, "fe80::10", 546, "ff02::1:2", 547 },
	{ AF_INET6, "fe80::20", 547, "fe80::10", 546 },
	{ AF_INET6, "fe80::1", 547, "ff02::1:2", 547 },
	{ AF_INET6, "fe80::10", 546, "2001:db8::20", 547 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dgram_session(&ctalg_helper_dhcpv6, conns,
			   sizeof(conns) / sizeof(conns[0]), dhcpv6_req_check,
			   data, size);
	return 0;
}
