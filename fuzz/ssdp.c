// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the SSDP helper over UDP, fed datagrams as ctalgd would. */
#include "builtin.h"
#include "dgram.h"
#include "udp_check.h"

/* 0-3 as a transcript's "@ v6 lo" chooses them; the rest by fuzzing. */
static const struct fuzz_dgram_conn conns[] = {
	/* a search to the group, and an answer's connection */
	{ AF_INET, "192.0.2.10", 40000, "239.255.255.250", 1900 },
	{ AF_INET6, "fe80::10", 40000, "ff02::c", 1900 },
	{ AF_INET, "198.51.100.20", 1900, "192.0.2.10", 40000 },
	{ AF_INET6, "2001:db8:1::20", 1900, "2001:db8::10", 40000 },
	/* a unicast search, a device's NOTIFY, an IPv6 link-local answer */
	{ AF_INET, "192.0.2.10", 40000, "198.51.100.20", 1900 },
	{ AF_INET, "198.51.100.20", 1900, "239.255.255.250", 1900 },
	{ AF_INET6, "fe80::20", 1900, "fe80::10", 40000 },
	{ AF_INET6, "2001:db8::10", 40000, "ff05::c", 1900 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dgram_session(&ctalg_helper_ssdp, conns,
			   sizeof(conns) / sizeof(conns[0]), ssdp_req_check,
			   data, size);
	return 0;
}
