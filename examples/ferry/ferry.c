// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ferry: a helper for a made-up protocol, written the way a helper for a
 * protocol of one's own is written. doc/helper-guide.md walks through it.
 *
 * The protocol: a client connects to a server on TCP port 7070 and asks for
 * a file with "FETCH <name>"; the server answers "FERRY <port>" and waits
 * for the client to open a second TCP connection to that port, on which it
 * sends the file. A firewall that admits only what it expects must let that
 * second connection through: this helper tells it to expect it.
 *
 *	C: FETCH report.txt
 *	S: FERRY 40123
 *	(the client connects to the server's port 40123)
 *
 * Build it on its own (see the Makefile) and drop ferry.so into ctalgd's
 * helper directory; then "Type ferry inet tcp { ... }" in ctalgd.conf.
 */
#include <netinet/in.h>

#include <ctalg/helper.h>

/*
 * Private state, kept in the kernel with the connection: whether the client
 * asked for a file, so that a FERRY line nobody asked for opens nothing.
 */
struct ferry_state {
	uint8_t fetch_pending;
};

static enum ctalg_parse_result ferry_parse(struct ctalg_cursor *data,
					   struct ctalg_parse *p)
{
	struct ferry_state *st = p->priv;
	struct ctalg_cursor line;
	enum ctalg_parse_result res = CTALG_PARSE_OK;

	/* Data that may start inside a line: skip to the next line. */
	if (p->resync) {
		long nl = ctalg_cursor_find(data, '\n');

		if (nl < 0) {
			p->consumed = (uint32_t)ctalg_cursor_left(data);
			return CTALG_PARSE_OK;
		}
		ctalg_cursor_skip(data, (size_t)nl + 1);
		p->resync = false;
	}

	/* Every complete line; an incomplete one is left for later. */
	while (ctalg_line_next(data, &line)) {
		struct ctalg_exp_req *e;
		uint32_t port;

		if (p->dir == CTALG_DIR_ORIGINAL) {
			if (ctalg_cursor_starts(&line, "FETCH ", 6))
				st->fetch_pending = 1;
			continue;
		}
		if (!ctalg_cursor_starts(&line, "FERRY ", 6))
			continue;
		ctalg_cursor_skip(&line, 6);
		if (!ctalg_cursor_get_dec(&line, 65535, &port) ||
		    ctalg_cursor_left(&line) != 0 || port == 0) {
			p->error = "FERRY without a port from 1 to 65535";
			res = CTALG_PARSE_ERROR;
			continue;
		}
		if (!st->fetch_pending)
			continue;
		st->fetch_pending = 0;
		/*
		 * The client (the other side of this reply) connects to the
		 * server (the sender) on the announced port, from any port.
		 */
		e = ctalg_parse_expect(p, &ctalg_parse_peer(p)->src,
				       &ctalg_parse_sender(p)->src,
				       (uint16_t)port);
		if (e)
			e->cls = 0;
	}
	p->consumed = (uint32_t)data->off;
	return res;
}

static const struct ctalg_helper ferry = {
	.abi = CTALG_HELPER_ABI,
	.name = "ferry",
	.description = "the ferry file protocol (an example)",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 7070 },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "ferry", .max_expected = 1, .timeout = 60 } },
	.priv_size = sizeof(struct ferry_state),
	.carry_max = 256, /* "FERRY 65535\r\n" and far longer file names */
	.parse = ferry_parse,
};

CTALG_PLUGIN(&ferry);
