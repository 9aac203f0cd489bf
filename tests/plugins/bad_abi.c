// SPDX-License-Identifier: GPL-2.0-or-later
/* A plugin built for another helper ABI: ctalgd must not load it. */
#include <ctalg/helper.h>

__attribute__((visibility("default")))
const uint32_t ctalg_plugin_abi = CTALG_HELPER_ABI + 1;
__attribute__((visibility("default")))
const struct ctalg_helper *const ctalg_plugin_helpers[] = { NULL };
