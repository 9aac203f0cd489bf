// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the SSDP helper over TCP (HTTP: SUBSCRIBE, event NOTIFY
 * and their answers), fed sessions as ctalgd would (fuzz.h).
 */
#include "builtin.h"
#include "fuzz.h"
#include "udp_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_helper_opts opts = {
		.strict_carry = true,
		.check = ssdp_tcp_req_check,
	};

	fuzz_helper_session(&ctalg_helper_ssdp_tcp, &opts, data, size);
	return 0;
}
