// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SLP helper: Service Location Protocol version 2 (RFC 2608; IPv6 RFC
 * 3111) requests sent to many.
 *
 * A user agent looks for services by multicasting (or broadcasting) a
 * request to port 427: a service request (SrvRqst), an attribute request
 * (AttrRqst) or a service type request (SrvTypeRqst). Every service agent
 * or directory agent that can answer replies by unicast, from its port
 * 427, to the request's source address and port. The helper expects the
 * replies:
 *
 *   UDP from any address, source port 427, to the requester's address and
 *   port, PERMANENT (several agents answer), class "slp".
 *
 * Requests to many are those sent in the original direction to port 427
 * of: the SLP group 239.255.255.253, the limited broadcast
 * 255.255.255.255, an IPv6 SLP group (RFC 3111: ff0X::116, ff0X::123 and
 * the service groups ff0X::1:1000 to ff0X::1:13ff, any scope X), or, on
 * IPv4, any other address when the request sets its REQUEST MCAST flag,
 * which RFC 2608 makes the sender set when it multicasts or broadcasts:
 * a subnet's broadcast address, which the helper cannot know otherwise.
 * A request to one agent is answered on its own connection.
 *
 * Every message is parsed through the bounded cursor: the header (version
 * 2, a function it knows, the length field equal to the datagram, the
 * reserved flags zero, a language tag of 1 to 64 letters, digits and
 * hyphens), then for the three requests their fields, each a 16-bit
 * length and that many bytes, ending exactly where the extensions begin;
 * the extensions, if any, as a chain of offsets that only go forward
 * inside the message. A malformed message is an error and asks for
 * nothing. conntrackd's helper reads none of the payload: any packet
 * queued to it makes or refreshes its expectation.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "text.h"

#define SLP_PORT     427
#define SLP_HDR_LEN  14 /* up to the language tag */
#define SLP_LANG_MAX 64

enum {
	SLP_SRVRQST = 1,
	SLP_SRVRPLY,
	SLP_SRVREG,
	SLP_SRVDEREG,
	SLP_SRVACK,
	SLP_ATTRRQST,
	SLP_ATTRRPLY,
	SLP_DAADVERT,
	SLP_SRVTYPERQST,
	SLP_SRVTYPERPLY,
	SLP_SAADVERT,
};

#define SLP_F_OVERFLOW 0x8000
#define SLP_F_FRESH    0x4000
#define SLP_F_MCAST    0x2000
#define SLP_F_RESERVED 0x1fff
#define SLP_NA_ALL     0xffff /* SrvTypeRqst: every naming authority */

struct slp_header {
	uint8_t version, function;
	uint32_t length, next_ext;
	uint16_t flags, xid;
};

static bool slp_get_u24(struct ctalg_cursor *c, uint32_t *v)
{
	uint8_t hi;
	uint16_t lo;

	if (!ctalg_cursor_get_u8(c, &hi) || !ctalg_cursor_get_be16(c, &lo))
		return false;
	*v = (uint32_t)hi << 16 | lo;
	return true;
}

static bool slp_lang_char(uint8_t b)
{
	return text_is_digit(b) || (b >= 'a' && b <= 'z') ||
	       (b >= 'A' && b <= 'Z') || b == '-';
}

static const char *slp_header(struct ctalg_cursor *c, size_t size,
			      struct slp_header *h)
{
	struct ctalg_cursor lang = { 0 };
	uint16_t lang_len;

	if (!ctalg_cursor_get_u8(c, &h->version) ||
	    !ctalg_cursor_get_u8(c, &h->function) ||
	    !slp_get_u24(c, &h->length) || !ctalg_cursor_get_be16(c, &h->flags) ||
	    !slp_get_u24(c, &h->next_ext) || !ctalg_cursor_get_be16(c, &h->xid) ||
	    !ctalg_cursor_get_be16(c, &lang_len))
		return "SLP: shorter than its header";
	if (h->version != 2)
		return "SLP: not version 2";
	if (!h->function || h->function > SLP_SAADVERT)
		return "SLP: unknown function";
	if (h->length != size)
		return "SLP: the length field is not the datagram's length";
	if (h->flags & SLP_F_RESERVED)
		return "SLP: reserved flags set";
	if (!lang_len || lang_len > SLP_LANG_MAX)
		return "SLP: the language tag is not 1-64 bytes";
	if (!ctalg_cursor_sub(c, lang_len, &lang))
		return "SLP: the language tag is longer than the message";
	if (text_span(&lang, slp_lang_char) != lang_len)
		return "SLP: the language tag is not letters, digits and "
		       "hyphens";
	return NULL;
}

/* A field of the body: a 16-bit length, then that many bytes. */
static bool slp_skip_string(struct ctalg_cursor *c, size_t *len)
{
	uint16_t n;

	if (!ctalg_cursor_get_be16(c, &n) || !ctalg_cursor_skip(c, n))
		return false;
	if (len)
		*len = n;
	return true;
}

/* The body of a request, up to where the extensions begin. */
static const char *slp_request(struct ctalg_cursor *c, uint8_t function)
{
	size_t type_len;
	uint16_t na;

	switch (function) {
	case SLP_SRVRQST: /* PRList, service type, scopes, predicate, SPI */
		if (!slp_skip_string(c, NULL) || !slp_skip_string(c, &type_len) ||
		    !slp_skip_string(c, NULL) || !slp_skip_string(c, NULL) ||
		    !slp_skip_string(c, NULL))
			return "SLP SrvRqst: a field longer than the message";
		if (!type_len)
			return "SLP SrvRqst: no service type";
		break;
	case SLP_ATTRRQST: /* PRList, URL, scopes, tags, SPI */
		if (!slp_skip_string(c, NULL) || !slp_skip_string(c, &type_len) ||
		    !slp_skip_string(c, NULL) || !slp_skip_string(c, NULL) ||
		    !slp_skip_string(c, NULL))
			return "SLP AttrRqst: a field longer than the message";
		if (!type_len)
			return "SLP AttrRqst: no URL or service type";
		break;
	default: /* SrvTypeRqst: PRList, naming authority, scopes */
		if (!slp_skip_string(c, NULL) || !ctalg_cursor_get_be16(c, &na) ||
		    (na != SLP_NA_ALL && !ctalg_cursor_skip(c, na)) ||
		    !slp_skip_string(c, NULL))
			return "SLP SrvTypeRqst: a field longer than the "
			       "message";
		break;
	}
	if (ctalg_cursor_left(c))
		return "SLP: bytes after the request's last field";
	return NULL;
}

/*
 * The extensions: each an ID, the offset of the next one (0: the last)
 * and its data; every offset lies past the one before, inside the
 * message, so the chain ends.
 */
static const char *slp_extensions(const struct ctalg_cursor *msg, uint32_t at)
{
	while (at) {
		struct ctalg_cursor c = *msg;
		uint32_t next;
		uint16_t id;

		c.off = 0;
		if (!ctalg_cursor_skip(&c, at) ||
		    !ctalg_cursor_get_be16(&c, &id) || !slp_get_u24(&c, &next))
			return "SLP: an extension past the end of the message";
		if (next && next < c.off)
			return "SLP: an extension offset that does not go "
			       "forward";
		at = next;
	}
	return NULL;
}

static bool slp_v6_group(const uint8_t *a)
{
	static const uint8_t zero[10];
	uint16_t low = (uint16_t)(a[14] << 8 | a[15]);

	/* ff0X::/16, then ten zero bytes, then ::116, ::123, ::1:1000-13ff */
	if (a[0] != 0xff || (a[1] & 0xf0) || memcmp(a + 2, zero, 10))
		return false;
	if (a[12] == 0 && a[13] == 0)
		return low == 0x116 || low == 0x123;
	return a[12] == 0 && a[13] == 1 && low >= 0x1000 && low <= 0x13ff;
}

/* A request sent to many, per the file's comment. */
static bool slp_to_many(const struct ctalg_parse *p, uint16_t flags)
{
	static const uint8_t group4[4] = { 239, 255, 255, 253 };
	static const uint8_t bcast4[4] = { 255, 255, 255, 255 };
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];

	if (p->dir != CTALG_DIR_ORIGINAL || o->dport != SLP_PORT)
		return false;
	if (p->conn->family == AF_INET6)
		return slp_v6_group(o->dst.b);
	return !memcmp(o->dst.b, group4, 4) || !memcmp(o->dst.b, bcast4, 4) ||
	       (flags & SLP_F_MCAST);
}

static enum ctalg_parse_result slp_error(struct ctalg_parse *p, const char *e)
{
	p->error = e;
	return CTALG_PARSE_ERROR;
}

static enum ctalg_parse_result slp_parse(struct ctalg_cursor *data,
					 struct ctalg_parse *p)
{
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	struct ctalg_cursor msg = ctalg_cursor_rest(data), body = { 0 };
	size_t size = ctalg_cursor_left(&msg);
	struct ctalg_exp_req *e;
	struct slp_header h;
	const char *err;
	size_t end;

	err = slp_header(&msg, size, &h);
	if (err)
		return slp_error(p, err);
	end = size;
	if (h.next_ext) {
		if (h.next_ext < msg.off || h.next_ext >= size)
			return slp_error(p, "SLP: the first extension is not "
					    "inside the message");
		end = h.next_ext;
		err = slp_extensions(&msg, h.next_ext);
		if (err)
			return slp_error(p, err);
	}
	if (h.function != SLP_SRVRQST && h.function != SLP_ATTRRQST &&
	    h.function != SLP_SRVTYPERQST)
		return CTALG_PARSE_OK;
	ctalg_cursor_sub(&msg, end - msg.off, &body);
	err = slp_request(&body, h.function);
	if (err)
		return slp_error(p, err);
	if (!slp_to_many(p, h.flags))
		return CTALG_PARSE_OK;
	e = ctalg_parse_expect(p, &(union ctalg_addr){ 0 }, &peer->dst,
			       peer->dport);
	e->src_prefix = 0;
	e->any_sport = false;
	e->sport = SLP_PORT;
	e->flags = CTALG_EXP_F_PERMANENT;
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_slp = {
	.abi = CTALG_HELPER_ABI,
	.name = "slp",
	.description = "SLPv2 (RFC 2608, 3111): requests to many",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { SLP_PORT },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "slp", .max_expected = 8, .timeout = 16 } },
	.parse = slp_parse,
};
