/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helpers built into ctalg and ctalgd (as opposed to plugins loaded
 * from the helper directory).
 */
#ifndef CTALG_BUILTIN_H
#define CTALG_BUILTIN_H

#include <stdint.h>

#include <ctalg/helper.h>

/* Every built-in helper, NULL-terminated. */
extern const struct ctalg_helper *const ctalg_builtin_helpers[];

/*
 * The built-in helper named @name (exactly) for @l4proto (IPPROTO_TCP or
 * IPPROTO_UDP), or NULL when there is none.
 */
const struct ctalg_helper *ctalg_builtin_find(const char *name, uint8_t l4proto);

/* The helpers themselves, one line per helpers/NAME.c. */
extern const struct ctalg_helper ctalg_helper_amanda;
extern const struct ctalg_helper ctalg_helper_dhcpv6;
extern const struct ctalg_helper ctalg_helper_ftp;
extern const struct ctalg_helper ctalg_helper_mdns;
extern const struct ctalg_helper ctalg_helper_rpc_tcp, ctalg_helper_rpc_udp;
extern const struct ctalg_helper ctalg_helper_sane;
extern const struct ctalg_helper ctalg_helper_slp;
extern const struct ctalg_helper ctalg_helper_ssdp;
extern const struct ctalg_helper ctalg_helper_ssdp_tcp;
extern const struct ctalg_helper ctalg_helper_tftp;
extern const struct ctalg_helper ctalg_helper_tns;

#endif
