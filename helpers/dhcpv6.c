// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DHCPv6 helper (RFC 8415): a client's messages to the servers.
 *
 * A DHCPv6 client sends its messages from its link-local address, port
 * 546, to All_DHCP_Relay_Agents_and_Servers, ff02::1:2 port 547. The
 * servers (and relay agents) on the link answer by unicast from their own
 * address, port 547, to the client's address, port 546. To a host
 * firewall each server's answer is a new connection; the helper expects
 * them:
 *
 *   UDP from any address, source port 547, to the client's address, port
 *   546, PERMANENT, class "dhcpv6".
 *
 * PERMANENT: a Solicit, a Confirm, a Rebind and an Information-request
 * are answered by every server that hears them; a Request, a Renew, a
 * Release or a Decline by one, but an expectation that the first packet
 * from any host's port 547 used up would leave the real server's answer
 * dropped. The client's address is link-local, so only hosts on the link
 * can match it at all.
 *
 * Only a client message asks for it (RFC 8415 7.3: Solicit, Request,
 * Confirm, Renew, Rebind, Release, Decline, Information-request), sent in
 * the original direction from port 546 to ff02::1:2 port 547, whose
 * options are well formed: each option's length within the message (and
 * within the option holding it, for the IA options and their addresses
 * and prefixes), the fixed lengths of the options whose length RFC 8415
 * fixes, Client and Server Identifier, Elapsed Time at most once, and the
 * identifiers a server requires or refuses (section 16) where they must
 * be. A malformed client message is an error and asks for nothing: every
 * server discards it. Server and relay messages are checked the same way
 * and ask for nothing. A message type this helper does not know (0, or
 * above 13) passes untouched and is no error: conntrackd's helper drops
 * those packets.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
#define DHCP6_RELAY_HDR	  34 /* type, hop count, link and peer address */
/* Options inside options: message, IA, address or prefix, their options. */
#define DHCP6_DEPTH_MAX 3

enum {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE,
	DHCP6_REQUEST,
	DHCP6_CONFIRM,
	DHCP6_RENEW,
	DHCP6_REBIND,
	DHCP6_REPLY,
	DHCP6_RELEASE,
	DHCP6_DECLINE,
	DHCP6_RECONFIGURE,
	DHCP6_INFORMATION_REQUEST,
	DHCP6_RELAY_FORW,
	DHCP6_RELAY_REPL,
};

enum {
	OPT_CLIENTID = 1,
	OPT_SERVERID = 2,
	OPT_IA_NA = 3,
	OPT_IA_TA = 4,
	OPT_IAADDR = 5,
	OPT_ORO = 6,
	OPT_PREFERENCE = 7,
	OPT_ELAPSED_TIME = 8,
	OPT_RELAY_MSG = 9,
	OPT_STATUS_CODE = 13,
	OPT_RAPID_COMMIT = 14,
	OPT_RECONF_ACCEPT = 20,
	OPT_IA_PD = 25,
	OPT_IAPREFIX = 26,
};

/*
 * The length rules of the options RFC 8415 section 21 fixes, and where an
 * option holds options of its own (after @fixed bytes).
 */
struct dhcp6_opt_rule {
	uint16_t code;
	uint16_t min, max;
	uint8_t holds; /* options follow the first min bytes */
};

static const struct dhcp6_opt_rule dhcp6_rules[] = {
	/* A DUID: a 2-byte type and 1 to 128 bytes (section 11.1). */
	{ OPT_CLIENTID, 3, 130, 0 },
	{ OPT_SERVERID, 3, 130, 0 },
	{ OPT_IA_NA, 12, 0xffff, 1 },  /* IAID, T1, T2 */
	{ OPT_IA_TA, 4, 0xffff, 1 },   /* IAID */
	{ OPT_IAADDR, 24, 0xffff, 1 }, /* address, two lifetimes */
	{ OPT_PREFERENCE, 1, 1, 0 },
	{ OPT_ELAPSED_TIME, 2, 2, 0 },
	{ OPT_STATUS_CODE, 2, 0xffff, 0 },
	{ OPT_RAPID_COMMIT, 0, 0, 0 },
	{ OPT_RECONF_ACCEPT, 0, 0, 0 },
	{ OPT_IA_PD, 12, 0xffff, 1 },	 /* IAID, T1, T2 */
	{ OPT_IAPREFIX, 25, 0xffff, 1 }, /* lifetimes, length, prefix */
};

#define DHCP6_N_RULES (sizeof(dhcp6_rules) / sizeof(dhcp6_rules[0]))

/* What the top level of a message holds, for the rules of section 16. */
struct dhcp6_seen {
	uint8_t clientid, serverid, elapsed, ia;
};

static const struct dhcp6_opt_rule *dhcp6_rule(uint16_t code)
{
	size_t i;

	for (i = 0; i < DHCP6_N_RULES; i++)
		if (dhcp6_rules[i].code == code)
			return &dhcp6_rules[i];
	return NULL;
}

/*
 * The options in @c, to its end; @depth counts the options holding
 * these; @seen (the message's top level only) counts what is there.
 */
static const char *dhcp6_options(struct ctalg_cursor *c, unsigned int depth,
				 struct dhcp6_seen *seen)
{
	while (ctalg_cursor_left(c)) {
		const struct dhcp6_opt_rule *r;
		struct ctalg_cursor opt = { 0 };
		uint16_t code, len;
		const char *err;

		if (!ctalg_cursor_get_be16(c, &code) ||
		    !ctalg_cursor_get_be16(c, &len))
			return "DHCPv6: an option header cut short";
		if (!ctalg_cursor_sub(c, len, &opt))
			return "DHCPv6: an option longer than what holds it";
		if (code == OPT_ORO && len % 2)
			return "DHCPv6: an Option Request of an odd length";
		r = dhcp6_rule(code);
		if (r && (len < r->min || len > r->max))
			return "DHCPv6: an option of the wrong length";
		if (seen) {
			if (code == OPT_CLIENTID && seen->clientid++)
				return "DHCPv6: two Client Identifiers";
			if (code == OPT_SERVERID && seen->serverid++)
				return "DHCPv6: two Server Identifiers";
			if (code == OPT_ELAPSED_TIME && seen->elapsed++)
				return "DHCPv6: two Elapsed Times";
			if (code == OPT_IA_NA || code == OPT_IA_TA ||
			    code == OPT_IA_PD)
				seen->ia = 1;
		}
		if (!r || !r->holds)
			continue;
		if (depth >= DHCP6_DEPTH_MAX)
			return "DHCPv6: options nested too deep";
		ctalg_cursor_skip(&opt, r->min);
		err = dhcp6_options(&opt, depth + 1, NULL);
		if (err)
			return err;
	}
	return NULL;
}

/*
 * RFC 8415 section 16: what a server discards. Every client message but
 * an Information-request carries the client's identifier; a message
 * meant for one server names it; one meant for any server must not.
 */
static const char *dhcp6_client_rules(uint8_t type, const struct dhcp6_seen *s)
{
	switch (type) {
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		if (!s->serverid)
			return "DHCPv6: a Request, Renew, Release or Decline "
			       "without a Server Identifier";
		break;
	case DHCP6_SOLICIT:
	case DHCP6_CONFIRM:
	case DHCP6_REBIND:
		if (s->serverid)
			return "DHCPv6: a Solicit, Confirm or Rebind with a "
			       "Server Identifier";
		break;
	default: /* Information-request */
		if (s->ia)
			return "DHCPv6: an Information-request with an IA "
			       "option";
		return NULL;
	}
	if (!s->clientid)
		return "DHCPv6: a client message without a Client Identifier";
	return NULL;
}

static bool dhcp6_is_client(uint8_t type)
{
	switch (type) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_CONFIRM:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
	case DHCP6_INFORMATION_REQUEST:
		return true;
	default:
		return false;
	}
}

/* From port 546 to ff02::1:2 port 547, in the original direction. */
static bool dhcp6_to_servers(const struct ctalg_parse *p)
{
	static const uint8_t all[16] = { 0xff, 0x02, [13] = 1, [15] = 2 };
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];

	return p->dir == CTALG_DIR_ORIGINAL && o->sport == DHCP6_CLIENT_PORT &&
	       o->dport == DHCP6_SERVER_PORT && !memcmp(o->dst.b, all, 16);
}

static enum ctalg_parse_result dhcp6_error(struct ctalg_parse *p, const char *e)
{
	p->error = e;
	return CTALG_PARSE_ERROR;
}

static enum ctalg_parse_result dhcp6_parse(struct ctalg_cursor *data,
					   struct ctalg_parse *p)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	struct dhcp6_seen seen = { 0 };
	struct ctalg_exp_req *e;
	const char *err;
	uint8_t type;

	if (!ctalg_cursor_get_u8(data, &type))
		return dhcp6_error(p, "DHCPv6: an empty message");
	if (!type || type > DHCP6_RELAY_REPL)
		return CTALG_PARSE_OK; /* not ours to judge */
	if (type == DHCP6_RELAY_FORW || type == DHCP6_RELAY_REPL) {
		if (!ctalg_cursor_skip(data, DHCP6_RELAY_HDR - 1))
			return dhcp6_error(p, "DHCPv6: a relay message shorter "
					      "than its header");
	} else if (!ctalg_cursor_skip(data, 3)) {
		return dhcp6_error(p, "DHCPv6: shorter than its header");
	}
	err = dhcp6_options(data, 0, &seen);
	if (!err && dhcp6_is_client(type))
		err = dhcp6_client_rules(type, &seen);
	if (err)
		return dhcp6_error(p, err);
	if (!dhcp6_is_client(type) || !dhcp6_to_servers(p))
		return CTALG_PARSE_OK;
	e = ctalg_parse_expect(p, &(union ctalg_addr){ 0 }, &peer->dst,
			       peer->dport);
	e->src_prefix = 0;
	e->any_sport = false;
	e->sport = DHCP6_SERVER_PORT;
	e->flags = CTALG_EXP_F_PERMANENT;
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_dhcpv6 = {
	.abi = CTALG_HELPER_ABI,
	.name = "dhcpv6",
	.description = "DHCPv6 (RFC 8415): client messages to the servers",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET6,
	.ports = { DHCP6_SERVER_PORT },
	.min_port = DHCP6_CLIENT_PORT,
	.n_classes = 1,
	.classes = { { .name = "dhcpv6", .max_expected = 1, .timeout = 300 } },
	.parse = dhcp6_parse,
};
