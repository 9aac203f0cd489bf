// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: the FTP helper, fed sessions as ctalgd would (fuzz.h). */
#include "builtin.h"
#include "ftp_check.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_helper_opts opts = {
		.strict_carry = true,
		.check = ftp_req_check,
	};

	fuzz_helper_session(&ctalg_helper_ftp, &opts, data, size);
	return 0;
}
