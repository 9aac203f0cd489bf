// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the TFTP helper, fed datagrams as ctalgd would (dgram.h). */
#include "builtin.h"
#include "dgram.h"
#include "udp_check.h"

/* 0-3 as a transcript's "@ v6 lo" chooses them. */
static const struct fuzz_dgram_conn conns[] = {
	{ AF_INET, "192.0.2.10", 40000, "198.51.100.20", 69 },
	{ AF_INET6, "2001:db8::10", 40000, "2001:db8:1::20", 69 },
	{ AF_INET, "127.0.0.1", 40000, "127.0.0.1", 69 },
	{ AF_INET6, "::1", 40000, "::1", 69 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_dgram_session(&ctalg_helper_tftp, conns,
			   sizeof(conns) / sizeof(conns[0]), tftp_req_check,
			   data, size);
	return 0;
}
