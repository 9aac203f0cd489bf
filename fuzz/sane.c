// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the SANE helper, fed sessions as ctalgd would (fuzz.h). */
#include "builtin.h"
#include "fuzz.h"
#include "sane_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_helper_opts opts = {
		.strict_carry = true,
		.check = sane_req_check,
	};

	fuzz_helper_session(&ctalg_helper_sane, &opts, data, size);
	return 0;
}
