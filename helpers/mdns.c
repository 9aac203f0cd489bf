// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mDNS helper: one-shot multicast DNS queries (RFC 6762 5.1).
 *
 * A simple resolver asks a question by sending an ordinary DNS query from
 * an ordinary port to the mDNS group (224.0.0.251 or ff02::fb, port
 * 5353). Every responder that has the answer replies by unicast from port
 * 5353 to the query's source address and port (RFC 6762 6.7). To the
 * firewall each reply is a new connection from an unknown host; the helper
 * expects them:
 *
 *   UDP from any address, source port 5353, to the querier's address and
 *   port, PERMANENT (several responders may answer), class "mdns".
 *
 * Only a query asks for it: a DNS message with QR 0, opcode 0, rcode 0
 * and at least one question, sent in the original direction from a port
 * other than 5353 to the mDNS group on port 5353. A query from port 5353
 * is multicast DNS proper, whose answers go to the group; a response, a
 * query to a unicast address (answered on the same connection) ask for
 * nothing. Messages with another opcode or rcode are ignored, as RFC 6762
 * 18.3 and 18.11 say a responder does.
 *
 * Every message is walked whole (header, questions, records; names with
 * compression pointers bounded and loop-free, helpers/dns.h), whatever it
 * is; a malformed one is an error and asks for nothing. conntrackd's
 * helper reads none of the payload, so every packet to the group, a
 * response or noise, makes or refreshes its expectation.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "dns.h"

#define MDNS_PORT 5353

static const uint8_t mdns_group4[4] = { 224, 0, 0, 251 };
static const uint8_t mdns_group6[16] = { 0xff, 0x02, [15] = 0xfb };

/* The master goes from a port other than 5353 to the mDNS group's. */
static bool mdns_one_shot(const struct ctalg_parse *p)
{
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];
	bool group;

	if (p->conn->family == AF_INET)
		group = !memcmp(o->dst.b, mdns_group4, 4);
	else
		group = !memcmp(o->dst.b, mdns_group6, 16);
	return group && o->dport == MDNS_PORT && o->sport != MDNS_PORT &&
	       p->dir == CTALG_DIR_ORIGINAL;
}

/*
 * The questions and the records of a message whose header @h was read;
 * @c is over the whole message, positioned after the header.
 */
static const char *mdns_walk(struct ctalg_cursor *c, const struct dns_header *h)
{
	uint32_t records = (uint32_t)h->ancount + h->nscount + h->arcount, i;
	uint16_t qtype, qclass;
	const char *err;

	for (i = 0; i < h->qdcount; i++) {
		err = dns_skip_question(c, &qtype, &qclass);
		if (err)
			return err;
		if (!qtype)
			return "mDNS question of type 0";
		qclass &= DNS_CLASS_MASK;
		if (qclass != DNS_CLASS_IN && qclass != DNS_CLASS_ANY)
			return "mDNS question of a class other than IN or ANY";
	}
	for (i = 0; i < records; i++) {
		err = dns_skip_rr(c);
		if (err)
			return err;
	}
	if (ctalg_cursor_left(c))
		return "mDNS: bytes after the last record";
	return NULL;
}

static enum ctalg_parse_result mdns_parse(struct ctalg_cursor *data,
					  struct ctalg_parse *p)
{
	/* Compression pointers count from the message's first byte. */
	struct ctalg_cursor msg = ctalg_cursor_rest(data);
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	struct ctalg_exp_req *e;
	struct dns_header h;
	const char *err;

	if (!dns_get_header(&msg, &h)) {
		p->error = "mDNS: shorter than a DNS header (12 bytes)";
		return CTALG_PARSE_ERROR;
	}
	/* RFC 6762 18.3, 18.11: silently ignored by responders. */
	if (DNS_OPCODE(h.flags) || DNS_RCODE(h.flags))
		return CTALG_PARSE_OK;
	err = mdns_walk(&msg, &h);
	if (err) {
		p->error = err;
		return CTALG_PARSE_ERROR;
	}
	if ((h.flags & DNS_QR) || !h.qdcount || !mdns_one_shot(p))
		return CTALG_PARSE_OK;
	e = ctalg_parse_expect(p, &(union ctalg_addr){ 0 }, &peer->dst,
			       peer->dport);
	e->src_prefix = 0;
	e->any_sport = false;
	e->sport = MDNS_PORT;
	e->flags = CTALG_EXP_F_PERMANENT;
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_mdns = {
	.abi = CTALG_HELPER_ABI,
	.name = "mdns",
	.description = "multicast DNS (RFC 6762): one-shot queries",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { MDNS_PORT },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "mdns", .max_expected = 8, .timeout = 30 } },
	.parse = mdns_parse,
};
