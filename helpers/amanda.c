// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Amanda helper: reads the UDP datagrams of the Amanda protocol (the
 * "bsd" and "bsdudp" authentications, port 10080) and asks for the TCP
 * streams amandad announces in a reply.
 *
 * The backup server sends a request (REQ) to amandad on the client host;
 * amandad acknowledges it, runs the service (sendbackup, amindexd,
 * amidxtaped...), and sends the service's reply in a REP datagram:
 *
 *   Amanda 3.5 REP HANDLE 000-00000001 SEQ 1700000000\n
 *   CONNECT DATA 11001 MESG 11002 INDEX 11003\n
 *   OPTIONS features=...;\n
 *
 * amandad rewrites the service's "CONNECT <tag> <handle> ..." line: each
 * handle becomes the TCP port of a socket it listens on, or -1 when it
 * opened none (no index, say). The tags are the service's: sendbackup
 * names DATA, MESG, INDEX and, in Amanda 3.4 and later, STATE and CMD;
 * amindexd names MESG; amidxtaped CTL and DATA. The backup server then
 * connects to each port on amandad's host.
 *
 * Each announced port gets an expectation: TCP from the server (the
 * datagram's receiver, exactly, any source port) to amandad's host (its
 * sender) at that port. A CONNECT line is read whole before anything is
 * asked: a malformed one asks for nothing, as the server may read it
 * differently from the helper.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "text.h"

/*
 * The longest header and CONNECT line read, counted without the line end.
 * The longest real ones are under 100 bytes (five tags and ports).
 */
#define AMANDA_LINE_MAX	   256
#define AMANDA_TAG_MAX	   16
#define AMANDA_STREAMS_MAX CTALG_EXP_PER_PACKET

static const char amanda_line_long[] = "CONNECT line longer than 256 bytes";
_Static_assert(AMANDA_LINE_MAX == 256, "amanda_line_long names the limit");

struct amanda_stream {
	const uint8_t *tag;
	size_t tag_len;
	uint16_t port; /* 0: announced as -1, no stream */
};

static bool amanda_is_upper(uint8_t c)
{
	return c >= 'A' && c <= 'Z';
}

/*
 * "Amanda <major>.<minor> <TYPE> HANDLE ... SEQ ...": true when the line
 * is such a header; *@rep tells whether TYPE is REP.
 */
static bool amanda_header(struct ctalg_cursor *line, bool *rep)
{
	uint32_t v;
	size_t n;

	if (!ctalg_cursor_starts(line, "Amanda ", 7))
		return false;
	ctalg_cursor_skip(line, 7);
	if (!text_get_dec(line, 999, 3, &v) || !ctalg_cursor_accept(line, '.') ||
	    !text_get_dec(line, 999, 3, &v) || !ctalg_cursor_accept(line, ' '))
		return false;
	n = text_span(line, amanda_is_upper);
	if (n == 0 || n > 8)
		return false;
	*rep = n == 3 && ctalg_cursor_starts(line, "REP", 3);
	ctalg_cursor_skip(line, n);
	return !ctalg_cursor_left(line) || ctalg_cursor_accept(line, ' ');
}

/* One "<tag> <port>" pair; the cursor is at the tag. */
static const char *amanda_pair(struct ctalg_cursor *c, struct amanda_stream *s)
{
	uint32_t v;

	s->tag = ctalg_cursor_ptr(c);
	s->tag_len = text_span(c, amanda_is_upper);
	if (s->tag_len == 0 || s->tag_len > AMANDA_TAG_MAX)
		return "CONNECT: a stream name is not 1-16 capital letters";
	ctalg_cursor_skip(c, s->tag_len);
	if (!ctalg_cursor_accept(c, ' '))
		return "CONNECT: a stream name is not 1-16 capital letters";
	text_skip_spaces(c);
	if (ctalg_cursor_starts(c, "-1", 2)) {
		/* amandad opened no stream for this tag. */
		ctalg_cursor_skip(c, 2);
		s->port = 0;
	} else if (text_get_dec(c, 65535, 5, &v) && v) {
		s->port = (uint16_t)v;
	} else {
		return "CONNECT: a port is not 1-65535 (or -1: no stream)";
	}
	if (ctalg_cursor_left(c) && !ctalg_cursor_accept(c, ' '))
		return "CONNECT: a port is not 1-65535 (or -1: no stream)";
	return NULL;
}

/* The line after "CONNECT ": its pairs, then one request per port. */
static const char *amanda_connect(struct ctalg_parse *p, struct ctalg_cursor *c)
{
	struct amanda_stream s[AMANDA_STREAMS_MAX];
	unsigned int n = 0, i, k;
	struct ctalg_exp_req *e;
	const char *err;

	if (ctalg_cursor_find(c, '\0') >= 0 || ctalg_cursor_find(c, '\r') >= 0)
		return "CONNECT: NUL or CR in the line";
	for (;;) {
		text_skip_spaces(c);
		if (!ctalg_cursor_left(c))
			break;
		if (n == AMANDA_STREAMS_MAX)
			return "CONNECT: more than 8 streams";
		err = amanda_pair(c, &s[n]);
		if (err)
			return err;
		for (i = 0; i < n; i++)
			if (s[i].tag_len == s[n].tag_len &&
			    !memcmp(s[i].tag, s[n].tag, s[n].tag_len))
				return "CONNECT: a stream named twice";
		n++;
	}
	if (!n)
		return "CONNECT: no streams";
	for (i = 0; i < n; i++) {
		if (!s[i].port)
			continue;
		/* Two tags on one port are one connection to expect. */
		for (k = 0; k < i && s[k].port != s[i].port; k++)
			;
		if (k < i)
			continue;
		e = ctalg_parse_expect(p, &ctalg_parse_peer(p)->src,
				       &ctalg_parse_sender(p)->src, s[i].port);
		/* At most 8 streams: one packet holds as many requests. */
		e->l4proto = IPPROTO_TCP; /* the master is UDP */
	}
	return NULL;
}

static enum ctalg_parse_result amanda_parse(struct ctalg_cursor *data,
					    struct ctalg_parse *p)
{
	const char *err = NULL, *e;
	struct ctalg_cursor line;
	bool rep = false, seen = false;

	/* Only amandad's replies announce streams. */
	if (p->dir != CTALG_DIR_REPLY)
		return CTALG_PARSE_OK;
	if (!ctalg_line_next(data, &line) || line.len > AMANDA_LINE_MAX ||
	    !amanda_header(&line, &rep)) {
		p->error =
		    "not an Amanda packet: no \"Amanda <version> <type>\" "
		    "header line of at most 256 bytes";
		return CTALG_PARSE_ERROR;
	}
	if (!rep)
		return CTALG_PARSE_OK;
	while (ctalg_cursor_left(data)) {
		/* The last line may go without its "\n". */
		if (!ctalg_line_next(data, &line)) {
			line = ctalg_cursor_rest(data);
			ctalg_cursor_skip(data, line.len);
			if (line.len && line.data[line.len - 1] == '\r')
				line.len--;
		}
		if (!ctalg_cursor_starts(&line, "CONNECT ", 8))
			continue;
		if (seen) {
			e = "a second CONNECT line";
		} else if (line.len > AMANDA_LINE_MAX) {
			e = amanda_line_long;
		} else {
			ctalg_cursor_skip(&line, 8);
			e = amanda_connect(p, &line);
		}
		seen = true;
		if (e && !err)
			err = e;
	}
	if (err) {
		p->error = err;
		return CTALG_PARSE_ERROR;
	}
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_amanda = {
	.abi = CTALG_HELPER_ABI,
	.name = "amanda",
	.description = "Amanda backup (bsd/bsdudp authentication): the "
		       "streams of a CONNECT reply",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 10080 },
	.min_port = 1024,
	.n_classes = 1,
	/*
	 * The kernel and conntrackd allow 3 (DATA, MESG, INDEX); sendbackup
	 * of Amanda 3.4 and later also announces STATE and CMD, and all of a
	 * reply's streams must be open at once.
	 */
	.classes = { { .name = "amanda", .max_expected = 5, .timeout = 180 } },
	.priv_size = 0,
	.carry_max = 0,
	.parse = amanda_parse,
};
