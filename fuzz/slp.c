// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the SLP helper, fed datagrams as ctalgd would (dgram.h). */
#include "builtin.h"
#include "dgram.h"
#include "udp_check.h"

/* 0-3 as a transcript's "@ v6 lo" chooses them; the rest by fuzzing. */
static const struct fuzz_dgram_conn conns[] = {
	{ AF_INET, "192.0.2.10", 40000, "239.255.255.253", 427 },
	{ AF_INET6, "fe80::10", 40000, "ff02::116", 427 },
	{ AF_INET, "192.0.2.10", 40000, "192.0.2.255", 427 },
	{ AF_INET6, "2001:db8::10", 40000, "ff05::1:1000", 427 },
	{ AF_INET, "192.0.2.10", 40000, "255.255.255.255", 427 },
	{ AF_INET, "192.0.2.20", 427, "192.0.2.10", 40000 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dgram_session(&ctalg_helper_slp, conns,
			   sizeof(conns) / sizeof(conns[0]), slp_req_check,
			   data, size);
	return 0;
}
