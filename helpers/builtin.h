/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The helpers compiled into ctalg. */
#ifndef CTALG_BUILTIN_H
#define CTALG_BUILTIN_H

#include <stdint.h>

#include <ctalg/helper.h>

extern const struct ctalg_helper *const ctalg_builtin_helpers[];

const struct ctalg_helper *ctalg_builtin_find(const char *name,
					      uint8_t l4proto);

#endif
