/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The expectation policy: the one place that decides whether an
 * expectation a helper asked for is created.
 */
#ifndef CTALGD_POLICY_H
#define CTALGD_POLICY_H

#include <ctalg/helper.h>

#include "cfg.h"
#include "stats.h"

/*
 * Check request @e that @p's parser made; @nth requests of its class were
 * already allowed for this packet. Returns REFUSE_NONE or the reason.
 */
enum refusal policy_check(const struct cfg_type *t, const struct ctalg_parse *p,
			  const struct ctalg_exp_req *e, unsigned int nth);

#endif
