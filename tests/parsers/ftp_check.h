/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every request of the FTP helper must be, beyond the SDK contract;
 * run after each call by test_ftp.c and by the fuzz target: plain TCP of
 * class 0, from the exact address of the side that did not announce it
 * (any source port), to a port above 0, with an IPv4 address zero-padded.
 */
#ifndef CTALG_TEST_FTP_CHECK_H
#define CTALG_TEST_FTP_CHECK_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <ctalg/helper.h>

static inline const char *ftp_req_check(const struct ctalg_parse *p, void *arg)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32, i, k;

	(void)arg;
	for (i = 0; i < p->n_exp; i++) {
		const struct ctalg_exp_req *e = &p->exp[i];

		if (e->cls || e->l4proto != IPPROTO_TCP || e->flags || !e->dport)
			return "ftp: request is not plain TCP of class 0";
		if (e->src_prefix != bits || !e->any_sport ||
		    memcmp(&e->src, &peer->src, sizeof(e->src)))
			return "ftp: request is not from the peer's address";
		for (k = bits / 8; k < sizeof(e->dst.b); k++)
			if (e->dst.b[k])
				return "ftp: bytes past an IPv4 address";
	}
	return NULL;
}

#endif
