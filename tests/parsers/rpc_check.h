/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every request of the RPC helper must be, beyond the SDK contract;
 * run after each call by test_rpc.c and by the fuzz target: made from a
 * reply (the server's direction), PERMANENT, class 0, TCP or UDP, from the
 * exact address of the client (any source port), to a port above 0, with
 * an IPv4 address zero-padded.
 */
#ifndef CTALG_TEST_RPC_CHECK_H
#define CTALG_TEST_RPC_CHECK_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <ctalg/helper.h>

static inline const char *rpc_req_check(const struct ctalg_parse *p, void *arg)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32, i, k;

	(void)arg;
	for (i = 0; i < p->n_exp; i++) {
		const struct ctalg_exp_req *e = &p->exp[i];

		if (p->dir != CTALG_DIR_REPLY)
			return "rpc: request made from a client's bytes";
		if (e->cls || e->flags != CTALG_EXP_F_PERMANENT || !e->dport ||
		    (e->l4proto != IPPROTO_TCP && e->l4proto != IPPROTO_UDP))
			return "rpc: request is not PERMANENT TCP or UDP of "
			       "class 0";
		if (e->src_prefix != bits || !e->any_sport ||
		    memcmp(&e->src, &peer->src, sizeof(e->src)))
			return "rpc: request is not from the client's address";
		for (k = bits / 8; k < sizeof(e->dst.b); k++)
			if (e->dst.b[k])
				return "rpc: bytes past an IPv4 address";
	}
	return NULL;
}

#endif
