// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TFTP helper (RFC 1350, options RFC 2347-2349 and 7440).
 *
 * A client sends a read or write request (RRQ, WRQ) to the server's port
 * 69; the server answers from a new port of its own (its "transfer
 * identifier") to the client's address and port, and the whole transfer
 * runs between those two ports. So the request asks for one expectation:
 *
 *   UDP from the server (exact address, any source port) to the client's
 *   address and source port, class "tftp".
 *
 * It is made on the master's first packet: ctalgd puts it into the
 * verdict (NFQA_EXP), which works on an unconfirmed master.
 *
 * Stricter than the kernel's nf_conntrack_tftp and conntrackd's helper,
 * which look at the opcode alone, in either direction:
 * - Requests only from the client (the original direction). In TFTP only
 *   the requesting host sends RRQ or WRQ, to the server's port 69; a
 *   "request" coming back from the server would let the server open the
 *   client's port for another port of its own. It is an error here.
 * - The request is parsed whole: filename and mode as NUL-terminated
 *   strings inside the datagram, the mode one of netascii, octet, mail
 *   (any case), then option name/value pairs, the values of the options
 *   this helper knows bounded as their RFCs say; at most 512 bytes in all
 *   (RFC 2347). A malformed request asks for nothing: a server refuses it
 *   too, so no transfer follows.
 *
 * The expectation is built from the reply tuple (the server's address,
 * and the client's address and port as the server sees them), as the
 * kernel builds it; without NAT that is the client's own address, which
 * ctalgd's policy requires.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "text.h"

enum {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6, /* RFC 2347 */
};

/* RFC 2347: "The maximum size of a request packet is 512 octets." */
#define TFTP_REQUEST_MAX 512

/*
 * The options this helper knows, with their bounds. Any other option is
 * skipped (RFC 2347: a server ignores options it does not know), but it
 * must still be a NUL-terminated name and value.
 */
struct tftp_option {
	const char *name;
	uint8_t len;
	uint8_t digits; /* the longest value, in decimal digits */
	uint32_t min, max;
	const char *bad; /* the error for a value out of bounds */
};

static const struct tftp_option tftp_options[] = {
	/* RFC 2348 */
	{ "blksize", 7, 5, 8, 65464,
	  "TFTP request: blksize is not a number of 8-65464" },
	/* RFC 2349; a file size, so only its digits are counted */
	{ "tsize", 5, 20, 0, UINT32_MAX,
	  "TFTP request: tsize is not a number of up to 20 digits" },
	/* RFC 2349 */
	{ "timeout", 7, 3, 1, 255,
	  "TFTP request: timeout is not a number of 1-255" },
	/* RFC 7440 */
	{ "windowsize", 10, 5, 1, 65535,
	  "TFTP request: windowsize is not a number of 1-65535" },
};

#define TFTP_N_OPTIONS (sizeof(tftp_options) / sizeof(tftp_options[0]))

/*
 * The next NUL-terminated string: @s covers it without the NUL, the
 * cursor moves past the NUL. False when no NUL is left.
 */
static bool tftp_get_string(struct ctalg_cursor *c, struct ctalg_cursor *s)
{
	long nul = ctalg_cursor_find(c, '\0');

	if (nul < 0)
		return false;
	ctalg_cursor_sub(c, (size_t)nul, s);
	ctalg_cursor_skip(c, 1);
	return true;
}

static bool tftp_is(const struct ctalg_cursor *s, const char *word, size_t len)
{
	return ctalg_cursor_left(s) == len &&
	       ctalg_cursor_starts_nocase(s, word, len);
}

/*
 * A known option's value: decimal digits only, the whole string, within
 * the option's bounds. tsize may exceed 32 bits (files over 4 GiB with
 * block number rollover), so for it only the digits are counted.
 */
static bool tftp_value_ok(const struct tftp_option *o, struct ctalg_cursor *v)
{
	size_t n = text_span(v, text_is_digit);
	uint32_t x;

	if (n == 0 || n != ctalg_cursor_left(v) || n > o->digits)
		return false;
	if (o->max == UINT32_MAX)
		return true;
	return text_get_dec(v, o->max, o->digits, &x) && x >= o->min;
}

/* The option name/value pairs after the mode (RFC 2347). */
static const char *tftp_options_check(struct ctalg_cursor *c)
{
	uint8_t seen = 0;
	size_t i;

	while (ctalg_cursor_left(c)) {
		struct ctalg_cursor name = { 0 }, value = { 0 };

		if (!tftp_get_string(c, &name))
			return "TFTP request: an option name without its NUL";
		if (!ctalg_cursor_left(&name))
			return "TFTP request: an empty option name";
		if (!tftp_get_string(c, &value))
			return "TFTP request: an option without a "
			       "NUL-terminated "
			       "value";
		for (i = 0; i < TFTP_N_OPTIONS; i++)
			if (tftp_is(&name, tftp_options[i].name,
				    tftp_options[i].len))
				break;
		if (i == TFTP_N_OPTIONS)
			continue;
		if (seen & (1u << i))
			return "TFTP request: an option given twice";
		seen |= (uint8_t)(1u << i);
		if (!tftp_value_ok(&tftp_options[i], &value))
			return tftp_options[i].bad;
	}
	return NULL;
}

/* RRQ or WRQ after the opcode: filename, mode, options. */
static const char *tftp_request(struct ctalg_cursor *c)
{
	struct ctalg_cursor file = { 0 }, mode = { 0 };

	if (!tftp_get_string(c, &file))
		return "TFTP request: the filename has no NUL";
	if (!ctalg_cursor_left(&file))
		return "TFTP request: an empty filename";
	if (!tftp_get_string(c, &mode))
		return "TFTP request: the mode has no NUL";
	if (!tftp_is(&mode, "octet", 5) && !tftp_is(&mode, "netascii", 8) &&
	    !tftp_is(&mode, "mail", 4))
		return "TFTP request: the mode is not netascii, octet or mail";
	return tftp_options_check(c);
}

static enum ctalg_parse_result tftp_error(struct ctalg_parse *p, const char *e)
{
	p->error = e;
	return CTALG_PARSE_ERROR;
}

static enum ctalg_parse_result tftp_parse(struct ctalg_cursor *data,
					  struct ctalg_parse *p)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	const char *err;
	uint16_t op;

	if (!ctalg_cursor_get_be16(data, &op))
		return tftp_error(p, "TFTP: shorter than an opcode");
	switch (op) {
	case TFTP_RRQ:
	case TFTP_WRQ:
		break;
	case TFTP_DATA:
	case TFTP_ACK:
	case TFTP_ERROR:
	case TFTP_OACK:
		/*
		 * A transfer normally runs between the new ports and never
		 * shows here; a server that answers from port 69 does, and
		 * these need nothing.
		 */
		return CTALG_PARSE_OK;
	default:
		return tftp_error(p, "TFTP: unknown opcode (RFC 1350, 2347: "
				     "1-6)");
	}
	if (p->dir != CTALG_DIR_ORIGINAL)
		return tftp_error(p, "TFTP: RRQ or WRQ from the server side");
	if (ctalg_cursor_left(data) + 2 > TFTP_REQUEST_MAX)
		return tftp_error(p, "TFTP request longer than 512 bytes "
				     "(RFC 2347)");
	err = tftp_request(data);
	if (err)
		return tftp_error(p, err);
	ctalg_parse_expect(p, &peer->src, &peer->dst, peer->dport);
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_tftp = {
	.abi = CTALG_HELPER_ABI,
	.name = "tftp",
	.description = "TFTP (RFC 1350, 2347-2349, 7440): RRQ and WRQ",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 69 },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "tftp", .max_expected = 1, .timeout = 300 } },
	.parse = tftp_parse,
};
