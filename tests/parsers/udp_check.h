/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every request of the tftp, mdns, slp, dhcpv6 and ssdp helpers must
 * be, beyond the SDK contract; run after each call by their tests and by
 * their fuzz targets. Each helper's check says exactly which connection
 * it may ask for, so a vector or a fuzz input that makes it ask for
 * anything else fails, whatever the bytes were.
 */
#ifndef CTALG_TEST_UDP_CHECK_H
#define CTALG_TEST_UDP_CHECK_H

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <ctalg/helper.h>

/* The shape every request must have, whatever the helper. */
static inline const char *req_sane(const struct ctalg_parse *p,
				   const struct ctalg_exp_req *e)
{
	unsigned int len = p->conn->family == AF_INET6 ? 16 : 4, i;

	for (i = 0; i < sizeof(e->src.b); i++) {
		unsigned int bit = i * 8;
		uint8_t keep = bit + 8 <= e->src_prefix ? 0xff
			       : bit >= e->src_prefix
				   ? 0
				   : (uint8_t)(0xff
					       << (8 - (e->src_prefix - bit)));

		if (e->src.b[i] & (uint8_t)~keep)
			return "source address bits past the prefix";
		if (i >= len && e->dst.b[i])
			return "bytes past the address";
	}
	if (e->any_sport && e->sport)
		return "any source port, but a source port given";
	return NULL;
}

static inline bool req_addr_is(const union ctalg_addr *a,
			       const union ctalg_addr *b,
			       const struct ctalg_parse *p)
{
	return !memcmp(a, b, p->conn->family == AF_INET6 ? 16 : 4);
}

/* A request for the sender of @p as its peer sees it, to @dport. */
static inline bool req_to_sender(const struct ctalg_parse *p,
				 const struct ctalg_exp_req *e)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);

	return req_addr_is(&e->dst, &peer->dst, p) && e->dport == peer->dport;
}

/*
 * The requests of the helpers that expect answers from any host to a
 * request sent to many (mdns, slp): one, from the original side, UDP of
 * class 0, permanent, from any address with source port @sport to the
 * requester's address and port.
 */
static inline const char *req_any_to_sender(const struct ctalg_parse *p,
					    uint16_t sport)
{
	const struct ctalg_exp_req *e = &p->exp[0];
	const char *bad;

	if (p->n_exp > 1 || p->dir != CTALG_DIR_ORIGINAL)
		return "more than one request, or one from the reply side";
	if ((bad = req_sane(p, e)))
		return bad;
	if (e->cls || e->l4proto != IPPROTO_UDP ||
	    e->flags != CTALG_EXP_F_PERMANENT)
		return "request is not permanent UDP of class 0";
	if (e->src_prefix || e->any_sport || e->sport != sport ||
	    !req_to_sender(p, e))
		return "request is not from any address and the port to the "
		       "requester";
	return NULL;
}

/*
 * tftp: one request, from the client's side only: UDP of class 0, from
 * the server's exact address (any port) to the client's address and port.
 */
static inline const char *tftp_req_check(const struct ctalg_parse *p, void *arg)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32;
	const struct ctalg_exp_req *e = &p->exp[0];
	const char *bad;

	(void)arg;
	if (!p->n_exp)
		return NULL;
	if (p->n_exp > 1 || p->dir != CTALG_DIR_ORIGINAL)
		return "tftp: a request from the server, or more than one";
	if ((bad = req_sane(p, e)))
		return bad;
	if (e->cls || e->l4proto != IPPROTO_UDP || e->flags)
		return "tftp: request is not plain UDP of class 0";
	if (e->src_prefix != bits || !e->any_sport ||
	    !req_addr_is(&e->src, &peer->src, p) || !req_to_sender(p, e))
		return "tftp: request is not server -> client's address and "
		       "port";
	return NULL;
}

/*
 * mdns: one request, for a query from the original side of a master that
 * goes from a port other than 5353 to the mDNS group's port 5353: UDP of
 * class 0, permanent, from any address with source port 5353 to the
 * querier's address and port.
 */
static inline const char *mdns_req_check(const struct ctalg_parse *p, void *arg)
{
	static const uint8_t g4[4] = { 224, 0, 0, 251 };
	static const uint8_t g6[16] = { 0xff, 0x02, [15] = 0xfb };
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];

	(void)arg;
	if (!p->n_exp)
		return NULL;
	if (memcmp(o->dst.b, p->conn->family == AF_INET6 ? g6 : g4,
		   p->conn->family == AF_INET6 ? 16 : 4) ||
	    o->dport != 5353 || o->sport == 5353)
		return "mdns: a request on a master that is no one-shot query";
	return req_any_to_sender(p, 5353);
}

/* slp: a request sent to port 427 asks for replies from port 427. */
static inline const char *slp_req_check(const struct ctalg_parse *p, void *arg)
{
	(void)arg;
	if (!p->n_exp)
		return NULL;
	if (p->conn->tuple[CTALG_DIR_ORIGINAL].dport != 427)
		return "slp: a request on a master not to port 427";
	return req_any_to_sender(p, 427);
}

/*
 * dhcpv6: a client message from port 546 to ff02::1:2 port 547 asks for
 * the servers' answers from port 547 to the client's port.
 */
static inline const char *dhcpv6_req_check(const struct ctalg_parse *p, void *arg)
{
	static const uint8_t all[16] = { 0xff, 0x02, [13] = 1, [15] = 2 };
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];

	(void)arg;
	if (!p->n_exp)
		return NULL;
	if (p->conn->family != AF_INET6 || o->sport != 546 || o->dport != 547 ||
	    memcmp(o->dst.b, all, 16))
		return "dhcpv6: a request on a master not from 546 to "
		       "ff02::1:2 port 547";
	return req_any_to_sender(p, 547);
}

/*
 * ssdp (UDP): one request per datagram. An M-SEARCH from the original
 * side to an SSDP group's port 1900, from a port of 1024 or more, asks
 * for UDP of class 1 from any address and port to the searcher, permanent
 * and helped; an answer asks for TCP of class 0 from its receiver's exact
 * address to the LOCATION, permanent and helped.
 */
static inline const char *ssdp_req_check(const struct ctalg_parse *p, void *arg)
{
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32;
	const struct ctalg_exp_req *e = &p->exp[0];
	const uint32_t flags = CTALG_EXP_F_PERMANENT | CTALG_EXP_F_HELPER;
	const char *bad;

	(void)arg;
	if (!p->n_exp)
		return NULL;
	if (p->n_exp > 1)
		return "ssdp: more than one request for a datagram";
	if ((bad = req_sane(p, e)))
		return bad;
	if (e->flags != flags || !e->any_sport)
		return "ssdp: a request not permanent and helped, or from one "
		       "port";
	if (e->l4proto == IPPROTO_UDP) {
		if (e->cls != 1 || e->src_prefix || !req_to_sender(p, e) ||
		    p->dir != CTALG_DIR_ORIGINAL || o->dport != 1900 ||
		    o->sport < 1024)
			return "ssdp: a search request that is not any -> the "
			       "searcher, class 1, on a search to port 1900";
		return NULL;
	}
	if (e->l4proto != IPPROTO_TCP || e->cls)
		return "ssdp: a LOCATION request not TCP of class 0";
	/* Exactly the receiver; any source for an IPv6 link-local one. */
	if (e->src_prefix == bits &&
	    req_addr_is(&e->src, &ctalg_parse_peer(p)->src, p))
		return NULL;
	if (e->src_prefix == 0 && bits == 128 &&
	    ctalg_parse_peer(p)->src.b[0] == 0xfe &&
	    (ctalg_parse_peer(p)->src.b[1] & 0xc0) == 0x80)
		return NULL;
	return "ssdp: a LOCATION request not from the receiver";
}

/*
 * ssdp (TCP): TCP of class 0, helped, not permanent, from the other
 * side's exact address (any port): a SUBSCRIBE's callbacks from the
 * client side, or the renewal to the sender of a 200 from the server
 * side.
 */
static inline const char *ssdp_tcp_req_check(const struct ctalg_parse *p,
					     void *arg)
{
	unsigned int bits = p->conn->family == AF_INET6 ? 128 : 32, i;
	const char *bad;

	(void)arg;
	for (i = 0; i < p->n_exp; i++) {
		const struct ctalg_exp_req *e = &p->exp[i];

		if ((bad = req_sane(p, e)))
			return bad;
		if (e->l4proto != IPPROTO_TCP || e->cls ||
		    e->flags != CTALG_EXP_F_HELPER || !e->any_sport ||
		    e->src_prefix != bits ||
		    !req_addr_is(&e->src, &ctalg_parse_peer(p)->src, p))
			return "ssdp: a request not helped TCP of class 0 from "
			       "the peer";
		if (p->dir == CTALG_DIR_REPLY && !req_to_sender(p, e))
			return "ssdp: a renewal not to the event's destination";
	}
	return NULL;
}

#endif
