/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every request of the TNS helper must be, beyond the SDK contract;
 * run after each call by test_tns.c and by the fuzz target: only from the
 * listener's bytes, plain TCP of class 0 from the exact address of the
 * client (any source port), with an IPv4 address zero-padded.
 */
#ifndef CTALG_TEST_TNS_CHECK_H
#define CTALG_TEST_TNS_CHECK_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <ctalg/helper.h>

static inline const char *tns_req_check(const struct ctalg_parse *p, void *arg)
{
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32, i, k;

	(void)arg;
	if (p->n_exp && p->dir != CTALG_DIR_REPLY)
		return "tns: a request from the client's bytes";
	for (i = 0; i < p->n_exp; i++) {
		const struct ctalg_exp_req *e = &p->exp[i];

		if (e->cls || e->l4proto != IPPROTO_TCP || e->flags || !e->dport)
			return "tns: request is not plain TCP of class 0";
		if (e->src_prefix != bits || !e->any_sport ||
		    memcmp(&e->src, &ctalg_parse_peer(p)->src, sizeof(e->src)))
			return "tns: request is not from the client's address";
		for (k = bits / 8; k < sizeof(e->dst.b); k++)
			if (e->dst.b[k])
				return "tns: bytes past an IPv4 address";
	}
	return NULL;
}

#endif
