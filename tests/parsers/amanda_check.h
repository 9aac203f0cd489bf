/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every request of the Amanda helper must be, beyond the SDK
 * contract; run after each call by test_amanda.c and by the fuzz target:
 * only from amandad's replies, plain TCP of class 0 from the exact address
 * of the backup server (any source port) to amandad's host, each port once.
 */
#ifndef CTALG_TEST_AMANDA_CHECK_H
#define CTALG_TEST_AMANDA_CHECK_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <ctalg/helper.h>

static inline const char *amanda_req_check(const struct ctalg_parse *p, void *arg)
{
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32, i, k;

	(void)arg;
	if (p->n_exp && p->dir != CTALG_DIR_REPLY)
		return "amanda: a request from the server's datagram";
	for (i = 0; i < p->n_exp; i++) {
		const struct ctalg_exp_req *e = &p->exp[i];

		if (e->cls || e->l4proto != IPPROTO_TCP || e->flags || !e->dport)
			return "amanda: request is not plain TCP of class 0";
		if (e->src_prefix != bits || !e->any_sport ||
		    memcmp(&e->src, &ctalg_parse_peer(p)->src, sizeof(e->src)))
			return "amanda: request is not from the server's "
			       "address";
		if (memcmp(&e->dst, &ctalg_parse_sender(p)->src, sizeof(e->dst)))
			return "amanda: request is not to amandad's address";
		for (k = 0; k < i; k++)
			if (p->exp[k].dport == e->dport)
				return "amanda: a port asked for twice";
	}
	return NULL;
}

#endif
