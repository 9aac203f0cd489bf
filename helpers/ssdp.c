// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SSDP helpers (UPnP Device Architecture 1.1 and 2.0): discovery over
 * UDP, description, control and eventing over TCP. Both are named "ssdp",
 * as conntrackd's, one per protocol.
 *
 * UDP (port 1900):
 * - A control point multicasts "M-SEARCH * HTTP/1.1" to 239.255.255.250
 *   (ff02::c, ff05::c, ff08::c, ff0e::c) port 1900; every matching
 *   device answers by unicast to the searcher's address and port. The
 *   helper expects the answers: UDP from any address and port to the
 *   searcher, PERMANENT, with this helper (the answers carry LOCATION),
 *   class "ssdp-search".
 * - An answer ("HTTP/1.1 200 OK") names the device's description with
 *   LOCATION: http://HOST[:PORT]/...; the control point fetches it over
 *   TCP. The helper expects that: TCP from the answer's receiver (exact
 *   address, any port) to HOST:PORT (default 80), PERMANENT (control and
 *   subscription connections follow), with this helper (they carry
 *   SUBSCRIBE), class "ssdp". A host name is never resolved: it stands
 *   for the sender's address. A NOTIFY sent to one host is read the same
 *   way; one sent to a multicast group asks for nothing (below).
 * TCP (HTTP, carried by ctalgd's stream engine):
 * - A SUBSCRIBE with CALLBACK: <http://HOST:PORT/path> (one or more URLs)
 *   makes the device send events to the control point: TCP from the
 *   device (exact address, any port) to each callback host and port,
 *   with this helper, class "ssdp".
 * - The device sends each event as a NOTIFY on a connection of its own.
 *   When the control point accepts one ("200 OK"), the helper asks for
 *   the same expectation again, so the next event connection passes:
 *   the acceptance comes from the side the expectation goes to, which
 *   ctalgd's policy requires.
 *
 * HTTP is read as RFC 9112 frames it: a head (start line, fields,
 * obsolete folding) of at most SSDP_HEAD_MAX bytes and SSDP_FIELDS_MAX
 * fields, then a body by Content-Length or chunked transfer coding, so
 * nothing in a body is taken for a request. What cannot be framed (a
 * malformed head, lost bytes) stops the reading of that direction.
 *
 * Stricter than conntrackd's helper, which takes any datagram starting
 * "M-SEARCH" on a new connection to the group, copies header values
 * without bounds, reads a SUBSCRIBE only at the start of a segment and
 * renews on the NOTIFY itself; see doc/helpers/ssdp.md.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "http.h"

#define SSDP_PORT 1900
/* The head of a message: start line, fields and the empty line. */
#define SSDP_HEAD_MAX	2048
#define SSDP_FIELDS_MAX 64
/* The floor of the searcher's port, whatever the Type's (see below). */
#define SSDP_SEARCH_FLOOR 1024

static const char ssdp_too_long[] =
    "SSDP: a message head longer than 2048 bytes";
_Static_assert(SSDP_HEAD_MAX == 2048, "ssdp_too_long names SSDP_HEAD_MAX");

/* Classes of the UDP helper; the TCP helper has the first only. */
enum {
	SSDP_CLASS = 0,	       /* "ssdp": description, events */
	SSDP_CLASS_SEARCH = 1, /* "ssdp-search": answers to M-SEARCH */
};

/* The fields the helpers read; each at most once in a message. */
enum {
	F_LOCATION,
	F_CALLBACK,
	F_NT,
	F_NTS,
	F_SID,
	F_MAN,
	F_ST,
	F_MX,
	F_CONTENT_LENGTH,
	F_TRANSFER_ENCODING,
	F_N,
};

static const struct {
	const char *name;
	uint8_t len;
	const char *twice;
} ssdp_fields[F_N] = {
	[F_LOCATION] = { "LOCATION", 8, "SSDP: LOCATION given twice" },
	[F_CALLBACK] = { "CALLBACK", 8, "SSDP: CALLBACK given twice" },
	[F_NT] = { "NT", 2, "SSDP: NT given twice" },
	[F_NTS] = { "NTS", 3, "SSDP: NTS given twice" },
	[F_SID] = { "SID", 3, "SSDP: SID given twice" },
	[F_MAN] = { "MAN", 3, "SSDP: MAN given twice" },
	[F_ST] = { "ST", 2, "SSDP: ST given twice" },
	[F_MX] = { "MX", 2, "SSDP: MX given twice" },
	[F_CONTENT_LENGTH] = { "Content-Length", 14,
			       "HTTP: Content-Length given twice" },
	[F_TRANSFER_ENCODING] = { "Transfer-Encoding", 17,
				  "HTTP: Transfer-Encoding given twice" },
};

struct ssdp_msg {
	bool request;
	struct ctalg_cursor method, target; /* a request */
	uint16_t status;		    /* a response */
	uint16_t have;			    /* a bit per field */
	struct ctalg_cursor field[F_N];
};

#define HAS(m, f) ((m)->have & (1u << (f)))

static bool ssdp_is(const struct ctalg_cursor *c, const char *word, size_t len)
{
	return ctalg_cursor_left(c) == len && ctalg_cursor_starts(c, word, len);
}

/*
 * The length of the head at the start of @c, up to and including its
 * empty line, when it ends within @max bytes; 0 when it does not.
 */
static size_t ssdp_head_len(const struct ctalg_cursor *c, size_t max)
{
	size_t left = ctalg_cursor_left(c);
	struct ctalg_cursor t = ctalg_cursor_make(ctalg_cursor_ptr(c),
						  left < max ? left : max);
	struct ctalg_cursor line = { 0 };
	bool first = true;

	while (http_line(&t, &line)) {
		if (!first && !ctalg_cursor_left(&line))
			return t.off;
		first = false;
	}
	return 0;
}

/* A head: its start line and the fields the helpers read. */
static const char *ssdp_message(struct ctalg_cursor *head, struct ssdp_msg *m)
{
	struct ctalg_cursor line = { 0 };
	struct http_field f = { { 0 }, { 0 } };
	unsigned int n, i;
	const char *err;
	bool end;

	memset(m, 0, sizeof(*m));
	/* A field that is not there reads as empty, never as NULL. */
	for (i = 0; i < F_N; i++)
		m->field[i] = ctalg_cursor_make(head->data, 0);
	if (!http_line(head, &line)) {
		line = ctalg_cursor_rest(head);
		ctalg_cursor_skip(head, ctalg_cursor_left(head));
	}
	if (http_request_line(&line, &m->method, &m->target))
		m->request = true;
	else if (!http_status_line(&line, &m->status))
		return "HTTP: neither a request line nor a status line";
	for (n = 0;; n++) {
		err = http_field_next(head, &f, &end);
		if (err)
			return err;
		if (end)
			break;
		if (n == SSDP_FIELDS_MAX)
			return "HTTP: more than 64 header fields";
		for (i = 0; i < F_N; i++)
			if (ctalg_cursor_left(&f.name) == ssdp_fields[i].len &&
			    ctalg_cursor_starts_nocase(
				&f.name, ssdp_fields[i].name, ssdp_fields[i].len))
				break;
		if (i == F_N)
			continue;
		if (HAS(m, i))
			return ssdp_fields[i].twice;
		m->have |= (uint16_t)(1u << i);
		m->field[i] = f.value;
		http_trim(&m->field[i]);
	}
	return NULL;
}

/*
 * The next request, to @dst:@dport from exactly @src, any port; the
 * master's protocol, class "ssdp", no flags. Several messages in one
 * TCP segment may ask for more than a packet holds: the oldest goes, as
 * the kernel would evict it anyway for a class maximum up to that number.
 */
static struct ctalg_exp_req *ssdp_expect(struct ctalg_parse *p,
					 const union ctalg_addr *src,
					 const union ctalg_addr *dst,
					 uint16_t dport)
{
	if (p->n_exp >= CTALG_EXP_PER_PACKET) {
		memmove(&p->exp[0], &p->exp[1],
			sizeof(p->exp[0]) * (CTALG_EXP_PER_PACKET - 1));
		p->n_exp = CTALG_EXP_PER_PACKET - 1;
	}
	return ctalg_parse_expect(p, src, dst, dport);
}

static bool ssdp_has_lws(const struct ctalg_cursor *v)
{
	const uint8_t *p = ctalg_cursor_ptr(v);
	size_t i;

	for (i = 0; i < ctalg_cursor_left(v); i++)
		if (http_is_lws(p[i]))
			return true;
	return false;
}

/*
 * The address and port of a URL in a field, for a connection of
 * @family; a host name stands for @name_addr.
 */
static const char *ssdp_url(const struct ctalg_cursor *url, uint8_t family,
			    const union ctalg_addr *name_addr,
			    union ctalg_addr *dst, uint16_t *port)
{
	struct http_url u;
	const char *err = http_url_parse(url, &u);

	if (err)
		return err;
	if (u.kind == HTTP_HOST_NAME) {
		*dst = *name_addr;
	} else if ((u.kind == HTTP_HOST_V4) != (family == AF_INET)) {
		return u.kind == HTTP_HOST_V4
			   ? "URL: an IPv4 address on an IPv6 connection"
			   : "URL: an IPv6 address on an IPv4 connection";
	} else {
		*dst = u.addr;
	}
	*port = u.port;
	return NULL;
}

/* fe80::/10 */
static bool ssdp_link_local(const union ctalg_addr *a)
{
	return a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80;
}

/*
 * TCP to the device that sent @m, from the side that receives it: the
 * description named by LOCATION.
 */
static const char *ssdp_location(struct ctalg_parse *p, const struct ssdp_msg *m)
{
	const struct ctalg_cursor *v = &m->field[F_LOCATION];
	struct ctalg_exp_req *e;
	union ctalg_addr dst;
	uint16_t port;
	const char *err;

	if (!HAS(m, F_LOCATION) || !ctalg_cursor_left(v))
		return "SSDP: no LOCATION";
	if (ssdp_has_lws(v))
		return "SSDP: LOCATION is not one URL";
	err = ssdp_url(v, p->conn->family, &ctalg_parse_sender(p)->src, &dst,
		       &port);
	if (err)
		return err;
	e = ssdp_expect(p, &ctalg_parse_peer(p)->src, &dst, port);
	e->l4proto = IPPROTO_TCP;
	e->flags = CTALG_EXP_F_PERMANENT | CTALG_EXP_F_HELPER;
	/*
	 * An IPv6 answer to a link-local search goes to the control point's
	 * link-local address, while the URL names a routable one: the
	 * control point then connects from one of its routable addresses,
	 * not the one the helper saw.
	 */
	if (p->conn->family == AF_INET6 && ssdp_link_local(&e->src) &&
	    !ssdp_link_local(&dst)) {
		e->src_prefix = 0;
		memset(&e->src, 0, sizeof(e->src));
	}
	return NULL;
}

static bool ssdp_multicast(const struct ctalg_parse *p, const union ctalg_addr *a)
{
	return p->conn->family == AF_INET ? (a->b[0] & 0xf0) == 0xe0
					  : a->b[0] == 0xff;
}

/* 239.255.255.250, or ff0X::c for the scopes UDA names (2, 5, 8, e). */
static bool ssdp_group(const struct ctalg_parse *p, const union ctalg_addr *a)
{
	static const uint8_t g4[4] = { 239, 255, 255, 250 };
	static const uint8_t g6[16] = { 0xff, 0x02, [15] = 0x0c };

	if (p->conn->family == AF_INET)
		return !memcmp(a->b, g4, 4);
	return a->b[0] == 0xff && memchr("\x02\x05\x08\x0e", a->b[1], 4) &&
	       !memcmp(a->b + 2, g6 + 2, 14);
}

/*
 * M-SEARCH (UDA 1.3.2): MAN "ssdp:discover", a search target, and to a
 * group an MX of 1-120 seconds (UDA 1.0 allowed 120; 1.1 and 2.0 read
 * above 5 as 5).
 */
static const char *ssdp_msearch(struct ctalg_parse *p, const struct ssdp_msg *m)
{
	const struct ctalg_tuple *o = &p->conn->tuple[CTALG_DIR_ORIGINAL];
	const struct ctalg_tuple *peer = ctalg_parse_peer(p);
	struct ctalg_cursor mx = m->field[F_MX];
	struct ctalg_exp_req *e;
	bool group;
	uint32_t v;

	if (!ssdp_is(&m->target, "*", 1))
		return "SSDP: M-SEARCH for another target than *";
	if (!http_value_is(&m->field[F_MAN], "\"ssdp:discover\"", 15) &&
	    !http_value_is(&m->field[F_MAN], "ssdp:discover", 13))
		return "SSDP: M-SEARCH without MAN: \"ssdp:discover\"";
	if (!HAS(m, F_ST) || !ctalg_cursor_left(&m->field[F_ST]))
		return "SSDP: M-SEARCH without a search target (ST)";
	group = p->dir == CTALG_DIR_ORIGINAL && o->dport == SSDP_PORT &&
		ssdp_group(p, &o->dst);
	if (HAS(m, F_MX) &&
	    (!text_get_dec(&mx, 120, 3, &v) || !v || ctalg_cursor_left(&mx)))
		return "SSDP: M-SEARCH with an MX that is not 1-120";
	if (!group)
		return NULL; /* answered on the connection */
	if (!HAS(m, F_MX))
		return "SSDP: M-SEARCH to a group without MX";
	/*
	 * The answers may come from any host on the far side, for the class
	 * timeout: a spoofed search must not open a privileged port. The
	 * Type's floor stays low enough for LOCATION's port 80.
	 */
	if (o->sport < SSDP_SEARCH_FLOOR)
		return "SSDP: M-SEARCH to a group from a port below 1024";
	e = ssdp_expect(p, &(union ctalg_addr){ 0 }, &peer->dst, peer->dport);
	e->src_prefix = 0;
	e->cls = SSDP_CLASS_SEARCH;
	e->flags = CTALG_EXP_F_PERMANENT | CTALG_EXP_F_HELPER;
	return NULL;
}

/*
 * NOTIFY over UDP (UDA 1.2): NT, and NTS ssdp:alive, ssdp:update (both
 * with LOCATION) or ssdp:byebye. Sent to a multicast group it has no one
 * receiver to let through: an expectation from any address to the
 * device's port for the class timeout, on the word of one unauthenticated
 * datagram, is refused here; control points search, and the answer opens
 * the port to them alone. Sent to one host, it is read as an answer.
 */
static const char *ssdp_notify_udp(struct ctalg_parse *p,
				   const struct ssdp_msg *m)
{
	const struct ctalg_cursor *nts = &m->field[F_NTS];

	if (!ssdp_is(&m->target, "*", 1))
		return "SSDP: NOTIFY for another target than *";
	if (!HAS(m, F_NT) || !ctalg_cursor_left(&m->field[F_NT]))
		return "SSDP: NOTIFY without NT";
	if (http_value_is(nts, "ssdp:byebye", 11))
		return NULL;
	if (!http_value_is(nts, "ssdp:alive", 10) &&
	    !http_value_is(nts, "ssdp:update", 11))
		return "SSDP: NOTIFY whose NTS is not ssdp:alive, ssdp:update "
		       "or ssdp:byebye";
	if (ssdp_multicast(p, &ctalg_parse_sender(p)->dst)) {
		if (!HAS(m, F_LOCATION))
			return "SSDP: no LOCATION";
		return NULL;
	}
	return ssdp_location(p, m);
}

static enum ctalg_parse_result ssdp_error(struct ctalg_parse *p, const char *e)
{
	p->error = e;
	return CTALG_PARSE_ERROR;
}

static enum ctalg_parse_result ssdp_udp_parse(struct ctalg_cursor *data,
					      struct ctalg_parse *p)
{
	struct ctalg_cursor head = ctalg_cursor_rest(data);
	size_t len = ssdp_head_len(&head, SSDP_HEAD_MAX);
	const char *err;
	struct ssdp_msg m;

	/* A datagram may end its head without the empty line. */
	if (!len && ctalg_cursor_left(&head) > SSDP_HEAD_MAX)
		return ssdp_error(p, ssdp_too_long);
	if (len)
		head.len = len;
	err = ssdp_message(&head, &m);
	if (!err && !m.request)
		err = m.status == 200 ? ssdp_location(p, &m) : NULL;
	else if (!err && ssdp_is(&m.method, "M-SEARCH", 8))
		err = ssdp_msearch(p, &m);
	else if (!err && ssdp_is(&m.method, "NOTIFY", 6))
		err = ssdp_notify_udp(p, &m);
	return err ? ssdp_error(p, err) : CTALG_PARSE_OK;
}

/* TCP: where each direction's stream stands. */
enum ssdp_state {
	ST_START,      /* at the start of a message */
	ST_BODY,       /* in a body of left bytes */
	ST_CHUNK_SIZE, /* at a chunk-size line */
	ST_CHUNK_DATA, /* in a chunk of left bytes */
	ST_CHUNK_END,  /* at the line end after a chunk */
	ST_TRAILER,    /* at the start of a trailer line */
	ST_TRAILER_IN, /* inside a trailer line */
	ST_IGNORE,     /* unframed (to the close, or bytes lost): nothing */
};

/*
 * The connection's state between calls (12 bytes): per direction where
 * its stream stands and how many body bytes are left, and two flags.
 *
 * SSDP_NOTIFY: the device sent an event NOTIFY (original direction) that
 * the control point has not answered yet; its 200 renews.
 * SSDP_HEAD: the client sent a HEAD; the next final response has no body.
 */
struct ssdp_priv {
	uint32_t left[2];
	uint8_t state[2];
	uint8_t flags;
};

#define SSDP_NOTIFY 0x1
#define SSDP_HEAD   0x2

/* Up to SSDP_CALLBACK_MAX callback URLs make requests. */
#define SSDP_CALLBACK_MAX CTALG_EXP_PER_PACKET

/*
 * CALLBACK (UDA 4.1.2): one or more "<URL>", blanks between them. Each
 * becomes TCP from the device to the URL's host and port. A host name
 * stands for the sender, the control point.
 */
static const char *ssdp_callback(struct ctalg_parse *p,
				 const struct ctalg_cursor *value)
{
	const struct ctalg_tuple *sender = ctalg_parse_sender(p);
	struct ctalg_cursor c = *value, url = { 0 };
	unsigned int n = 0, first = p->n_exp, i;
	union ctalg_addr dst;
	struct ctalg_exp_req *e;
	const char *err;
	uint16_t port;
	long close;

	for (;;) {
		ctalg_cursor_skip(&c, text_span(&c, http_is_lws));
		if (!ctalg_cursor_left(&c))
			break;
		if (!ctalg_cursor_accept(&c, '<'))
			return "SSDP: CALLBACK is not a list of <URL>";
		close = ctalg_cursor_find(&c, '>');
		if (close < 0)
			return "SSDP: CALLBACK is not a list of <URL>";
		ctalg_cursor_sub(&c, (size_t)close, &url);
		ctalg_cursor_skip(&c, 1);
		if (ssdp_has_lws(&url) || ctalg_cursor_find(&url, '<') >= 0)
			return "SSDP: CALLBACK is not a list of <URL>";
		err = ssdp_url(&url, p->conn->family, &sender->src, &dst, &port);
		if (err)
			return err;
		if (n++ == SSDP_CALLBACK_MAX)
			return "SSDP: CALLBACK with more than 8 URLs (the "
			       "first "
			       "8 are used)";
		for (i = first; i < p->n_exp; i++)
			if (p->exp[i].dport == port &&
			    !memcmp(&p->exp[i].dst, &dst, sizeof(dst)))
				break;
		if (i < p->n_exp)
			continue; /* the same connection again */
		e = ssdp_expect(p, &ctalg_parse_peer(p)->src, &dst, port);
		e->flags = CTALG_EXP_F_HELPER;
	}
	return n ? NULL : "SSDP: CALLBACK without a URL";
}

/*
 * SUBSCRIBE (UDA 4.1.2): a subscription has CALLBACK and NT: upnp:event;
 * a renewal has SID and neither; anything else a device refuses.
 */
static const char *ssdp_subscribe(struct ctalg_parse *p, const struct ssdp_msg *m)
{
	if (HAS(m, F_SID)) {
		if (HAS(m, F_CALLBACK) || HAS(m, F_NT))
			return "SSDP: SUBSCRIBE with SID and CALLBACK or NT";
		return NULL;
	}
	if (!HAS(m, F_CALLBACK))
		return "SSDP: SUBSCRIBE without CALLBACK or SID";
	if (!http_value_is(&m->field[F_NT], "upnp:event", 10))
		return "SSDP: SUBSCRIBE whose NT is not upnp:event";
	return ssdp_callback(p, &m->field[F_CALLBACK]);
}

/*
 * The control point accepted an event: the next event connection comes
 * from the same device to the same port. The sender of this answer is
 * the control point, where the expectation goes.
 */
static void ssdp_renew(struct ctalg_parse *p)
{
	const struct ctalg_tuple *event = ctalg_parse_peer(p);
	struct ctalg_exp_req *e;

	e = ssdp_expect(p, &event->src, &event->dst, event->dport);
	e->flags = CTALG_EXP_F_HELPER;
}

/*
 * How the body after a head is framed (RFC 9112 6.3): chunked, a
 * Content-Length, none, or to the close. Fails on what a recipient must
 * refuse: both fields, a coding other than chunked last in a request, a
 * length that is not digits or above 32 bits.
 */
static const char *ssdp_framing(const struct ssdp_msg *m, bool no_body,
				uint8_t *state, uint32_t *left)
{
	struct ctalg_cursor te = m->field[F_TRANSFER_ENCODING];
	struct ctalg_cursor cl = m->field[F_CONTENT_LENGTH];
	long comma;
	uint32_t v;

	*left = 0;
	*state = ST_START;
	if (HAS(m, F_TRANSFER_ENCODING) && HAS(m, F_CONTENT_LENGTH))
		return "HTTP: both Transfer-Encoding and Content-Length";
	if (no_body)
		return NULL;
	if (HAS(m, F_TRANSFER_ENCODING)) {
		/* The last coding counts: "gzip, chunked". */
		while ((comma = ctalg_cursor_find(&te, ',')) >= 0)
			ctalg_cursor_skip(&te, (size_t)comma + 1);
		if (http_value_is(&te, "chunked", 7)) {
			*state = ST_CHUNK_SIZE;
			return NULL;
		}
		if (m->request)
			return "HTTP: a request whose last transfer coding is "
			       "not chunked";
		*state = ST_IGNORE;
		return NULL;
	}
	if (HAS(m, F_CONTENT_LENGTH)) {
		if (!text_get_dec(&cl, UINT32_MAX, 10, &v) ||
		    ctalg_cursor_left(&cl))
			return "HTTP: Content-Length is not a number of 32 "
			       "bits";
		*left = v;
		*state = v ? ST_BODY : ST_START;
		return NULL;
	}
	if (!m->request)
		*state = ST_IGNORE; /* a response without framing ends at the close */
	return NULL;
}

/*
 * One complete head on the TCP stream. Returns a syntax error (the
 * stream cannot be framed any more: the caller stops reading the
 * direction), or NULL with *@soft set to a protocol error that leaves the
 * framing intact.
 */
static const char *ssdp_tcp_message(struct ctalg_parse *p, struct ssdp_priv *st,
				    struct ctalg_cursor *head, const char **soft)
{
	const uint8_t d = (uint8_t)p->dir;
	bool no_body = false;
	struct ssdp_msg m;
	const char *err;

	err = ssdp_message(head, &m);
	if (err)
		return err;
	if (m.request != (p->dir == CTALG_DIR_ORIGINAL))
		return m.request ? "HTTP: a request from the server side"
				 : "HTTP: a response from the client side";
	if (m.request) {
		if (ssdp_is(&m.method, "SUBSCRIBE", 9)) {
			*soft = ssdp_subscribe(p, &m);
		} else if (ssdp_is(&m.method, "NOTIFY", 6)) {
			if (!http_value_is(&m.field[F_NT], "upnp:event", 10) ||
			    !http_value_is(&m.field[F_NTS], "upnp:propchange",
					   15) ||
			    !HAS(&m, F_SID))
				*soft = "SSDP: an event NOTIFY without NT: "
					"upnp:event, NTS: upnp:propchange and "
					"SID";
			else
				st->flags |= SSDP_NOTIFY;
		} else if (ssdp_is(&m.method, "HEAD", 4)) {
			st->flags |= SSDP_HEAD;
		}
	} else if (m.status >= 200) {
		if (m.status == 200 && (st->flags & SSDP_NOTIFY))
			ssdp_renew(p);
		no_body = (st->flags & SSDP_HEAD) || m.status == 204 ||
			  m.status == 304;
		st->flags &= (uint8_t) ~(SSDP_NOTIFY | SSDP_HEAD);
	} else {
		no_body = true; /* 1xx */
	}
	return ssdp_framing(&m, no_body, &st->state[d], &st->left[d]);
}

/* A chunk-size line (RFC 9112 7.1): hex digits, then extensions. */
static bool ssdp_chunk_size(struct ctalg_cursor *line, uint32_t *size)
{
	size_t n = text_span(line, text_is_xdigit);
	uint8_t b;

	if (!n || n > 8 || !ctalg_cursor_get_hex(line, UINT32_MAX, size) ||
	    !http_value_ok(line))
		return false;
	ctalg_cursor_skip(line, text_span(line, http_is_blank));
	return !ctalg_cursor_peek_u8(line, &b) || b == ';';
}

static enum ctalg_parse_result ssdp_tcp_run(struct ctalg_cursor *data,
					    struct ctalg_parse *p,
					    struct ssdp_priv *st)
{
	const uint8_t d = (uint8_t)p->dir;
	const size_t start = data->off;
	const char *err = NULL, *soft;
	struct ctalg_cursor head = { 0 }, line = { 0 };
	size_t len, n;
	uint32_t size;

	if (p->resync) {
		/* Bytes were lost: no telling a body from a message. */
		st->state[d] = ST_IGNORE;
		p->resync = false;
	}
	while (ctalg_cursor_left(data)) {
		const char *e = NULL;

		switch (st->state[d]) {
		case ST_BODY:
		case ST_CHUNK_DATA:
			n = ctalg_cursor_left(data);
			if (n > st->left[d])
				n = st->left[d];
			ctalg_cursor_skip(data, n);
			st->left[d] -= (uint32_t)n;
			if (!st->left[d])
				st->state[d] = st->state[d] == ST_BODY
						   ? ST_START
						   : ST_CHUNK_END;
			continue;
		case ST_START:
			/* Empty lines before a message (RFC 9112 2.2). */
			if (ctalg_cursor_accept(data, '\n'))
				continue;
			if (ctalg_cursor_starts(data, "\r\n", 2)) {
				ctalg_cursor_skip(data, 2);
				continue;
			}
			if (ctalg_cursor_left(data) == 1 &&
			    ctalg_cursor_starts(data, "\r", 1))
				goto out; /* may become an empty line */
			len = ssdp_head_len(data, SSDP_HEAD_MAX);
			if (!len) {
				if (ctalg_cursor_left(data) <= SSDP_HEAD_MAX)
					goto out; /* the rest comes later */
				e = ssdp_too_long;
				break;
			}
			ctalg_cursor_sub(data, len, &head);
			soft = NULL;
			e = ssdp_tcp_message(p, st, &head, &soft);
			if (!e && soft && !err)
				err = soft;
			break;
		case ST_CHUNK_SIZE:
			head = ctalg_cursor_rest(data);
			if (head.len > SSDP_HEAD_MAX)
				head.len = SSDP_HEAD_MAX;
			if (!http_line(&head, &line)) {
				if (ctalg_cursor_left(data) <= SSDP_HEAD_MAX)
					goto out;
				e = "HTTP: a chunk-size line longer than 2048 "
				    "bytes";
				break;
			}
			ctalg_cursor_skip(data, head.off);
			if (!ssdp_chunk_size(&line, &size)) {
				e = "HTTP: a malformed chunk-size line";
				break;
			}
			st->left[d] = size;
			st->state[d] = size ? ST_CHUNK_DATA : ST_TRAILER;
			continue;
		case ST_CHUNK_END:
			if (ctalg_cursor_accept(data, '\n') ||
			    (ctalg_cursor_starts(data, "\r\n", 2) &&
			     ctalg_cursor_skip(data, 2))) {
				st->state[d] = ST_CHUNK_SIZE;
				continue;
			}
			if (ctalg_cursor_left(data) == 1 &&
			    ctalg_cursor_starts(data, "\r", 1))
				goto out;
			e = "HTTP: a chunk not followed by its line end";
			break;
		case ST_TRAILER:
			if (ctalg_cursor_accept(data, '\n') ||
			    (ctalg_cursor_starts(data, "\r\n", 2) &&
			     ctalg_cursor_skip(data, 2))) {
				st->state[d] = ST_START;
				continue;
			}
			if (ctalg_cursor_left(data) == 1 &&
			    ctalg_cursor_starts(data, "\r", 1))
				goto out;
			st->state[d] = ST_TRAILER_IN;
			continue;
		case ST_TRAILER_IN: {
			long nl = ctalg_cursor_find(data, '\n');

			if (nl < 0) {
				ctalg_cursor_skip(data, ctalg_cursor_left(data));
				goto out;
			}
			ctalg_cursor_skip(data, (size_t)nl + 1);
			st->state[d] = ST_TRAILER;
			continue;
		}
		default: /* ST_IGNORE */
			ctalg_cursor_skip(data, ctalg_cursor_left(data));
			goto out;
		}
		if (e) {
			/* The stream cannot be framed from here. */
			if (!err)
				err = e;
			st->state[d] = ST_IGNORE;
		}
	}
out:
	p->consumed = (uint32_t)(data->off - start);
	return err ? ssdp_error(p, err) : CTALG_PARSE_OK;
}

/*
 * The private state sits at no particular alignment in the connection's
 * bytes: work on an aligned copy.
 */
static enum ctalg_parse_result ssdp_tcp_parse(struct ctalg_cursor *data,
					      struct ctalg_parse *p)
{
	enum ctalg_parse_result r;
	struct ssdp_priv st;

	memcpy(&st, p->priv, sizeof(st));
	r = ssdp_tcp_run(data, p, &st);
	memcpy(p->priv, &st, sizeof(st));
	return r;
}

/*
 * The UDP helper's floor is 80: a LOCATION names the device's own HTTP
 * port, often 80 (a bridge's description at http://ADDR:80/...). The
 * searcher's port, opened to any host, has its own floor of 1024 above.
 */
const struct ctalg_helper ctalg_helper_ssdp = {
	.abi = CTALG_HELPER_ABI,
	.name = "ssdp",
	.description = "SSDP (UPnP discovery): M-SEARCH and LOCATION",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { SSDP_PORT },
	.min_port = HTTP_DEFAULT_PORT,
	.n_classes = 2,
	.classes = { [SSDP_CLASS] = { .name = "ssdp",
				      .max_expected = 8,
				      .timeout = 300 },
		     [SSDP_CLASS_SEARCH] = { .name = "ssdp-search",
					     .max_expected = 8,
					     .timeout = 30 } },
	.parse = ssdp_udp_parse,
	/* The answers to a search are connections made from its expectation. */
	.flags = CTALG_HELPER_F_CHILDREN,
};

/* Callback ports are a control point's own, and high. */
const struct ctalg_helper ctalg_helper_ssdp_tcp = {
	.abi = CTALG_HELPER_ABI,
	.name = "ssdp",
	.description = "UPnP eventing over HTTP: SUBSCRIBE and NOTIFY",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.min_port = 1024,
	.n_classes = 1,
	.classes = { [SSDP_CLASS] = { .name = "ssdp",
				      .max_expected = 8,
				      .timeout = 300 } },
	.priv_size = sizeof(struct ssdp_priv),
	.carry_max = SSDP_HEAD_MAX,
	.parse = ssdp_tcp_parse,
	/* Description and eventing connections come from expectations. */
	.flags = CTALG_HELPER_F_CHILDREN,
};
