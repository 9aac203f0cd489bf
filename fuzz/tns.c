// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the TNS helper, fed sessions as ctalgd would (fuzz.h). */
#include "builtin.h"
#include "fuzz.h"
#include "tns_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_helper_opts opts = {
		.strict_carry = true,
		.check = tns_req_check,
	};

	fuzz_helper_session(&ctalg_helper_tns, &opts, data, size);
	return 0;
}
