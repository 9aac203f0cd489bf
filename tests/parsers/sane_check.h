/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every request of the SANE helper must be, beyond the SDK contract;
 * run after each call by test_sane.c and by the fuzz target: plain TCP of
 * class 0 from the exact address of the client (any source port) to the
 * server that sent the START reply, at most one per call.
 */
#ifndef CTALG_TEST_SANE_CHECK_H
#define CTALG_TEST_SANE_CHECK_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <ctalg/helper.h>

static inline const char *sane_req_check(const struct ctalg_parse *p, void *arg)
{
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32;
	const struct ctalg_exp_req *e = &p->exp[0];

	(void)arg;
	if (!p->n_exp)
		return NULL;
	if (p->n_exp > 1)
		return "sane: more than one request in a call";
	if (p->dir != CTALG_DIR_REPLY)
		return "sane: a request from the client's data";
	if (e->cls || e->l4proto != IPPROTO_TCP || e->flags)
		return "sane: request is not plain TCP of class 0";
	if (e->src_prefix != bits || !e->any_sport ||
	    memcmp(&e->src, &ctalg_parse_peer(p)->src, sizeof(e->src)))
		return "sane: request is not from the client's address";
	if (memcmp(&e->dst, &ctalg_parse_sender(p)->src, sizeof(e->dst)))
		return "sane: request is not to the server's address";
	return NULL;
}

#endif
