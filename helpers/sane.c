// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SANE helper: reads the control connection of the saned network
 * protocol (SANE standard, chapter "Network Protocol") and asks for the
 * data connection a scan opens.
 *
 * Every value on the wire is a word of 4 bytes, big-endian. The client
 * sends a request (a procedure number, then its arguments); the server
 * answers it. SANE_NET_START (7, then the device handle) starts a scan;
 * its reply is
 *
 *   status (SANE_STATUS_GOOD = 0), port, byte order (0x1234 or 0x4321),
 *   resource (a string: a length word, then as many bytes; 0 = none)
 *
 * and the client then connects to the server's address at that port to
 * read the image. A reply naming a resource is not the answer yet: saned
 * asks the client to authorize (SANE_NET_AUTHORIZE, 9), answers that
 * with one word, and then sends the START reply again.
 *
 * Where a request starts: saned and the net backend take turns. The
 * client writes one request and reads the whole reply before it writes
 * the next (sanei_w_call), and saned answers a request only once it has
 * read all of it. So a request starts at the first client byte after
 * server bytes, and the reply at the first server byte after client bytes.
 * The helper reads the first word of each client turn (the procedure) and,
 * after a START, the first words of the server's next turn; everything
 * else is skipped unread. It does not decode the arguments: the option
 * values of SANE_NET_CONTROL_OPTION and the option descriptors the server
 * returns have encodings that depend on types and on the protocol version,
 * and none of it matters for the expectation. Turns also recover what a
 * byte-accurate decoder cannot: after lost bytes (a resync), the next
 * turn starts a message again.
 *
 * The state is read a byte at a time into the private state, so nothing is
 * carried between calls and a message cut anywhere gives the same result.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"

enum {
	SANE_NET_START = 7,
	SANE_NET_AUTHORIZE = 9,
	SANE_NET_EXIT = 10, /* the highest procedure number */
};

#define SANE_ORDER_LITTLE 0x1234
#define SANE_ORDER_BIG	  0x4321
/*
 * Resource names are "backend$MD5$salt" or a device name; saned's
 * authorization file allows no longer line than this.
 */
#define SANE_RESOURCE_MAX 1024

/*
 * The connection's state between calls (12 bytes):
 *
 * flags: whose turn it is (SANE_TURN_SET: a turn has begun; SANE_SERVER:
 * it is the server's), whether the rest of the turn is skipped
 * (SANE_SKIP), whether a START request waits for its reply (SANE_START)
 * and whether that reply was an authorization interlude, so the server's
 * next turn starts with the one-word AUTHORIZE reply (SANE_AUTH); the
 * START reply's byte order word was 0x1234 or 0x4321 (SANE_ORDER_OK).
 * pos: bytes of the current turn read so far (at most 20).
 * word: the word being read; port: the START reply's port word.
 */
struct sane_priv {
	uint8_t flags;
	uint8_t pos;
	uint8_t pad[2];
	uint32_t word;
	uint32_t port;
};

enum {
	SANE_TURN_SET = 1 << 0,
	SANE_SERVER = 1 << 1,
	SANE_SKIP = 1 << 2,
	SANE_START = 1 << 3,
	SANE_AUTH = 1 << 4,
	SANE_ORDER_OK = 1 << 5,
};

/* The first word of a client turn: the procedure number. */
static const char *sane_request(struct sane_priv *st)
{
	st->flags |= SANE_SKIP;
	if (st->word > SANE_NET_EXIT) {
		st->flags &= (uint8_t) ~(SANE_START | SANE_AUTH);
		return "request: procedure number above 10 (SANE_NET_EXIT)";
	}
	if (st->word == SANE_NET_START) {
		st->flags |= SANE_START;
		st->flags &= (uint8_t)~SANE_AUTH;
	} else if (st->word != SANE_NET_AUTHORIZE || !(st->flags & SANE_AUTH)) {
		/* Any other request ends the wait for a START reply. */
		st->flags &= (uint8_t) ~(SANE_START | SANE_AUTH);
	}
	return NULL;
}

/*
 * Word @field of a START reply (0 status, 1 port, 2 byte order,
 * 3 resource length) is complete in st->word.
 */
static const char *sane_reply_word(struct ctalg_parse *p, struct sane_priv *st,
				   unsigned int field)
{
	const uint32_t w = st->word;

	switch (field) {
	case 0:
		if (w != 0) {
			/* saned refused to start: nothing to expect. */
			st->flags &= (uint8_t) ~(SANE_START | SANE_AUTH);
			st->flags |= SANE_SKIP;
		}
		return NULL;
	case 1:
		st->port = w;
		return NULL;
	case 2:
		if (w == SANE_ORDER_LITTLE || w == SANE_ORDER_BIG)
			st->flags |= SANE_ORDER_OK;
		else
			st->flags &= (uint8_t)~SANE_ORDER_OK;
		return NULL;
	default:
		break;
	}
	st->flags |= SANE_SKIP;
	if (w > SANE_RESOURCE_MAX) {
		st->flags &= (uint8_t) ~(SANE_START | SANE_AUTH);
		return "START reply: resource name longer than 1024 bytes";
	}
	if (w) {
		/* An authorization interlude: the real reply comes later. */
		st->flags |= SANE_AUTH;
		return NULL;
	}
	st->flags &= (uint8_t) ~(SANE_START | SANE_AUTH);
	if (st->port == 0 || st->port > 65535)
		return "START reply: port 0 or above 65535";
	if (!(st->flags & SANE_ORDER_OK))
		return "START reply: byte order word is neither 0x1234 nor "
		       "0x4321";
	/* One server turn per call, so one request at most: never NULL. */
	ctalg_parse_expect(p, &ctalg_parse_peer(p)->src,
			   &ctalg_parse_sender(p)->src, (uint16_t)st->port);
	return NULL;
}

/* One byte of the current turn; returns what was wrong, or NULL. */
static const char *sane_byte(struct ctalg_parse *p, struct sane_priv *st,
			     uint8_t b)
{
	unsigned int base;

	st->word = st->word << 8 | b;
	st->pos++;
	if (p->dir == CTALG_DIR_ORIGINAL)
		return st->pos == 4 ? sane_request(st) : NULL;
	/* After an interlude the AUTHORIZE reply word comes first. */
	base = st->flags & SANE_AUTH ? 4 : 0;
	if (st->pos <= base || (st->pos - base) % 4)
		return NULL;
	return sane_reply_word(p, st, (st->pos - base) / 4 - 1);
}

static enum ctalg_parse_result sane_parse(struct ctalg_cursor *data,
					  struct ctalg_parse *p)
{
	const bool server = p->dir == CTALG_DIR_REPLY;
	const size_t start = data->off;
	const char *err = NULL, *e;
	struct sane_priv st;
	uint8_t b;

	memcpy(&st, p->priv, sizeof(st));
	if (!(st.flags & SANE_TURN_SET) || !!(st.flags & SANE_SERVER) != server) {
		/* The other side spoke: this side's turn begins here. */
		st.flags = (uint8_t)((st.flags & (SANE_START | SANE_AUTH)) |
				     SANE_TURN_SET | (server ? SANE_SERVER : 0));
		st.pos = 0;
		st.word = 0;
		/* A server turn only matters as the answer to a START. */
		if (server && !(st.flags & SANE_START))
			st.flags |= SANE_SKIP;
	}
	if (p->resync) {
		/*
		 * Bytes of this turn were lost: it may have begun anywhere.
		 * Skip it; the next turn of the other side starts afresh.
		 * The lost bytes may have held a START or its reply.
		 */
		st.flags |= SANE_SKIP;
		st.flags &= (uint8_t) ~(SANE_START | SANE_AUTH);
		p->resync = false;
	}
	while (!(st.flags & SANE_SKIP) && ctalg_cursor_get_u8(data, &b)) {
		e = sane_byte(p, &st, b);
		if (e && !err)
			err = e;
	}
	/* The rest of the turn is not read; nothing is ever carried. */
	p->consumed = (uint32_t)(data->len - start);
	memcpy(p->priv, &st, sizeof(st));
	if (err) {
		p->error = err;
		return CTALG_PARSE_ERROR;
	}
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_sane = {
	.abi = CTALG_HELPER_ABI,
	.name = "sane",
	.description = "SANE network scanning (saned): the SANE_NET_START "
		       "data port",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 6566 },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "sane", .max_expected = 1, .timeout = 300 } },
	.priv_size = sizeof(struct sane_priv),
	.carry_max = 0,
	.parse = sane_parse,
};
