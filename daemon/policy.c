// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The expectation policy. A helper reports what the traffic says; whether
 * the firewall opens for it is decided here, the same way for every helper:
 *
 * - The expected connection must go to the side that announced it: the
 *   sender of the packet. A client announces where it listens (PORT, a TFTP
 *   request), a server where it listens (227, a portmapper reply, a TNS
 *   redirect to itself). An address anywhere else would let one side open
 *   the firewall towards a third host (the NAT-slipstreaming family of
 *   attacks); a Type may allow it with AnyAddress.
 * - Port 0 never; ports below the Type's floor (by default the helper's)
 *   neither, so a peer cannot open privileged services.
 * - The class must exist, and one packet may not ask for more expectations
 *   of a class than the class allows at once: the kernel would silently
 *   evict the older ones.
 * - Only TCP and UDP connections, source masks no longer than the
 *   address, and only the flags the SDK defines.
 */
#include <string.h>
#include <netinet/in.h>

#include "policy.h"

const char *refusal_name(enum refusal r)
{
	switch (r) {
	case REFUSE_NONE:
		return "none";
	case REFUSE_ADDRESS:
		return "address";
	case REFUSE_PORT:
		return "port";
	case REFUSE_CLASS:
		return "class";
	case REFUSE_MAX:
		return "max";
	case REFUSE_MASK:
		return "mask";
	case REFUSE_PROTO:
		return "protocol";
	case REFUSE_KERNEL:
		return "kernel";
	default:
		return "unknown";
	}
}

enum refusal policy_check(const struct cfg_type *t, const struct ctalg_parse *p,
			  const struct ctalg_exp_req *e, unsigned int nth)
{
	const struct ctalg_tuple *sender = ctalg_parse_sender(p);
	unsigned int alen = ctalg_addr_len(p->conn->family);

	if (e->cls >= t->n_classes)
		return REFUSE_CLASS;
	if (e->l4proto != IPPROTO_TCP && e->l4proto != IPPROTO_UDP)
		return REFUSE_PROTO;
	if (e->src_prefix > alen * 8 ||
	    (e->flags & ~(uint32_t)(CTALG_EXP_F_PERMANENT | CTALG_EXP_F_HELPER)))
		return REFUSE_MASK;
	if (e->dport == 0 || e->dport < t->port_floor)
		return REFUSE_PORT;
	if (!t->any_address && memcmp(e->dst.b, sender->src.b, alen) != 0)
		return REFUSE_ADDRESS;
	/* Last: only what would be created counts towards the maximum. */
	if (nth >= t->classes[e->cls].max_expected)
		return REFUSE_MAX;
	return REFUSE_NONE;
}
