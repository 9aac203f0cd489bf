// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the mDNS helper, fed datagrams as ctalgd would (dgram.h). */
#include "builtin.h"
#include "dgram.h"
#include "udp_check.h"

/* 0-3 as a transcript's "@ v6 lo" chooses them; the rest by fuzzing. */
static const struct fuzz_dgram_conn conns[] = {
	{ AF_INET, "192.0.2.10", 40000, "224.0.0.251", 5353 },
	{ AF_INET6, "fe80::10", 40000, "ff02::fb", 5353 },
	{ AF_INET, "192.0.2.20", 5353, "224.0.0.251", 5353 },
	{ AF_INET6, "2001:db8::20", 5353, "ff02::fb", 5353 },
	{ AF_INET, "192.0.2.10", 40000, "192.0.2.20", 5353 },
	{ AF_INET, "192.0.2.20", 5353, "192.0.2.10", 40000 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dgram_session(&ctalg_helper_mdns, conns,
			   sizeof(conns) / sizeof(conns[0]), mdns_req_check,
			   data, size);
	return 0;
}
