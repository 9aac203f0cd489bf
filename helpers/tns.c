// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TNS helper: reads the start of an Oracle Net (TNS) connection and
 * asks for the connection a listener redirects its client to (a shared
 * server's dispatcher, or a dedicated server on its own port).
 *
 * A TNS packet is an 8-byte header, then its body:
 *
 *   length (16 bits), packet checksum (16), type (8), flags (8),
 *   header checksum (16)
 *
 * all big-endian, the length counting the header. The client sends
 * CONNECT (1); the listener answers ACCEPT (2), REFUSE (4), RESEND (11) or
 * REDIRECT (5), whose body is
 *
 *   data length (16 bits), then the data:
 *   (ADDRESS=(PROTOCOL=TCP)(HOST=192.0.2.5)(PORT=40001))\0(DESCRIPTION=...
 *
 * the address to connect to, a NUL, and the connect data to send there
 * (the client splits at the NUL). When the data does not travel in the
 * REDIRECT (its body is only the length), it comes in the next packet, a
 * DATA (6) packet: 2 bytes of data flags, then the data.
 *
 * The helper reads the listener's packets up to the ACCEPT. After it the
 * session is set up and no redirect follows (clients read REDIRECT only
 * in answer to CONNECT), so the helper stops reading: it never needs the
 * 32-bit lengths of versions 315 and later, which apply only after an
 * ACCEPT of such a version, nor the data descriptor packets whose data
 * follows outside their length.
 *
 * The address is an Oracle Net NV list, read with bounds: keywords without
 * regard to case, values plain or quoted, at most 8 levels deep. The first
 * ADDRESS whose PROTOCOL is TCP or TCPS gives HOST and PORT. A HOST that
 * is an IPv4 or IPv6 address is asked for as written (ctalgd refuses an
 * address other than the listener's unless the Type says AnyAddress). A
 * HOST that is a name is never resolved: it is taken to be the listener's
 * own host (a dispatcher, or a dedicated server, on the same machine: the
 * case a redirect helper exists for), so the request goes to the address
 * that sent the redirect. A name of another host is then not opened,
 * exactly as an address of another host would be refused.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "text.h"

enum {
	TNS_ACCEPT = 2,
	TNS_REDIRECT = 5,
	TNS_DATA = 6,
	TNS_TYPE_MAX = 19,
};

#define TNS_HEADER 8
/*
 * The most of a REDIRECT, or of the DATA packet that carries its data,
 * held to read the address: the address part (up to the NUL) must end
 * within it. Real addresses are under 200 bytes; what follows the NUL is
 * the connect data for the new address, and is skipped.
 */
#define TNS_HOLD     2048
#define TNS_NV_DEPTH 8
#define TNS_KEY_MAX  64

/*
 * The connection's state between calls (6 bytes):
 * skip: bytes of the listener's current packet still to pass over unread;
 * len: with TNS_PENDING, the REDIRECT's data length (0: all of the DATA
 * packet's payload);
 * flags: TNS_PENDING, the last packet was a REDIRECT without its data, so
 * the next one, if a DATA packet, carries it; TNS_DONE, nothing more is
 * read (an ACCEPT came, or where a packet starts is lost).
 */
struct tns_priv {
	uint16_t skip;
	uint16_t len;
	uint8_t flags;
	uint8_t pad;
};

enum {
	TNS_PENDING = 1 << 0,
	TNS_DONE = 1 << 1,
};

/* What an ADDRESS list holds so far. */
struct tns_addr {
	bool proto, tcp, has_host, has_port;
	struct ctalg_cursor host;
	uint16_t port;
};

/* The first TCP address of the list. */
struct tns_find {
	bool found;
	struct ctalg_cursor host;
	uint16_t port;
};

static bool tns_is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool tns_is_key(uint8_t c)
{
	return text_is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static void tns_skip_space(struct ctalg_cursor *c)
{
	ctalg_cursor_skip(c, text_span(c, tns_is_space));
}

static bool tns_is(const struct ctalg_cursor *c, const char *word)
{
	size_t n = strlen(word);

	return c->len == n && ctalg_cursor_starts_nocase(c, word, n);
}

/*
 * A value up to its ")": plain (up to "(", ")" or "=", blanks at the end
 * dropped) or quoted with " or '; a backslash keeps the next byte in
 * either. Returns false when it does not end.
 */
static bool tns_value(struct ctalg_cursor *c, struct ctalg_cursor *val)
{
	const uint8_t *p = ctalg_cursor_ptr(c);
	size_t left = ctalg_cursor_left(c), i = 0, end;
	uint8_t q = 0;

	if (left && (p[0] == '"' || p[0] == '\''))
		q = p[i++];
	for (; i < left; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (q ? p[i] == q : p[i] == '(' || p[i] == ')' || p[i] == '=')
			break;
	}
	if (i >= left)
		return false;
	if (q) {
		*val = ctalg_cursor_make(p + 1, i - 1);
		ctalg_cursor_skip(c, i + 1);
		return true;
	}
	for (end = i; end && tns_is_space(p[end - 1]); end--)
		;
	*val = ctalg_cursor_make(p, end);
	ctalg_cursor_skip(c, i);
	return true;
}

/* A literal inside an ADDRESS: PROTOCOL, HOST or PORT. */
static const char *tns_addr_item(struct tns_addr *a,
				 const struct ctalg_cursor *key,
				 struct ctalg_cursor *val)
{
	uint32_t v;

	if (tns_is(key, "PROTOCOL")) {
		if (a->proto)
			return "connect data: PROTOCOL twice in an ADDRESS";
		a->proto = true;
		a->tcp = tns_is(val, "TCP") || tns_is(val, "TCPS");
	} else if (tns_is(key, "HOST")) {
		if (a->has_host)
			return "connect data: HOST twice in an ADDRESS";
		a->has_host = true;
		a->host = *val;
	} else if (tns_is(key, "PORT")) {
		if (a->has_port)
			return "connect data: PORT twice in an ADDRESS";
		if (!text_get_dec(val, 65535, 5, &v) || !v ||
		    ctalg_cursor_left(val))
			return "connect data: PORT is not 1-65535";
		a->has_port = true;
		a->port = (uint16_t)v;
	}
	return NULL;
}

/*
 * One "(KEYWORD=VALUE)" at @depth; a literal of an ADDRESS goes to
 * @parent. The first complete TCP ADDRESS goes to @f.
 */
static const char *tns_nv(struct ctalg_cursor *c, unsigned int depth,
			  struct tns_find *f, struct tns_addr *parent)
{
	struct tns_addr addr = { 0 };
	struct ctalg_cursor key, val;
	const char *err;
	uint8_t b;
	size_t n;

	if (depth > TNS_NV_DEPTH)
		return "connect data: nested deeper than 8";
	if (!ctalg_cursor_accept(c, '('))
		return "connect data: \"(\" expected";
	tns_skip_space(c);
	n = text_span(c, tns_is_key);
	if (n == 0 || n > TNS_KEY_MAX)
		return "connect data: a keyword is not 1-64 letters, digits "
		       "or _";
	ctalg_cursor_sub(c, n, &key);
	tns_skip_space(c);
	if (!ctalg_cursor_accept(c, '='))
		return "connect data: \"=\" expected after a keyword";
	tns_skip_space(c);
	if (!ctalg_cursor_peek_u8(c, &b) || b != '(') {
		if (!tns_value(c, &val))
			return "connect data: a value does not end";
		tns_skip_space(c);
		if (!ctalg_cursor_accept(c, ')'))
			return "connect data: \")\" expected after a value";
		return parent ? tns_addr_item(parent, &key, &val) : NULL;
	}
	while (ctalg_cursor_peek_u8(c, &b) && b == '(') {
		err = tns_nv(c, depth + 1, f,
			     tns_is(&key, "ADDRESS") ? &addr : NULL);
		if (err)
			return err;
		tns_skip_space(c);
	}
	if (!ctalg_cursor_accept(c, ')'))
		return "connect data: \")\" expected after a list";
	if (!tns_is(&key, "ADDRESS") || !addr.tcp)
		return NULL;
	if (!addr.has_host || !addr.has_port)
		return "connect data: a TCP ADDRESS without HOST or PORT";
	if (!f->found) {
		f->found = true;
		f->host = addr.host;
		f->port = addr.port;
	}
	return NULL;
}

/* The address part: NV lists, blanks around them, nothing else. */
static const char *tns_address(struct ctalg_cursor *c, struct tns_find *f)
{
	const char *err;
	unsigned int n = 0;

	for (;;) {
		tns_skip_space(c);
		if (!ctalg_cursor_left(c))
			break;
		err = tns_nv(c, 1, f, NULL);
		if (err)
			return err;
		n++;
	}
	if (!n)
		return "connect data: no (KEYWORD=VALUE) list";
	if (!f->found)
		return "connect data: no TCP ADDRESS";
	return NULL;
}

static bool tns_is_name(uint8_t c)
{
	return text_is_digit(c) || c == '-' || c == '_' ||
	       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool tns_is_ipv4ish(uint8_t c)
{
	return text_is_digit(c) || c == '.';
}

/*
 * A host name: labels of 1-63 letters, digits, '-' or '_' (Windows host
 * names have it) separated by dots, 253 bytes at most, a final dot
 * allowed.
 */
static bool tns_host_name(struct ctalg_cursor c)
{
	size_t n;

	if (!c.len || c.len > 254 || (c.len == 254 && c.data[253] != '.'))
		return false;
	for (;;) {
		n = text_span(&c, tns_is_name);
		if (n == 0 || n > 63)
			return false;
		ctalg_cursor_skip(&c, n);
		if (!ctalg_cursor_left(&c))
			return true;
		if (!ctalg_cursor_accept(&c, '.'))
			return false;
		if (!ctalg_cursor_left(&c))
			return true;
	}
}

/* HOST: an address as written, or a name: the listener's address. */
static const char *tns_host(const struct ctalg_parse *p, struct ctalg_cursor h,
			    union ctalg_addr *dst)
{
	const bool v6 = p->conn->family == AF_INET6;

	memset(dst, 0, sizeof(*dst));
	if (h.len >= 2 && h.data[0] == '[' && h.data[h.len - 1] == ']')
		h = ctalg_cursor_make(h.data + 1, h.len - 2);
	if (ctalg_cursor_find(&h, ':') >= 0) {
		if (!text_get_ipv6(&h, dst) || ctalg_cursor_left(&h))
			return "connect data: HOST is no valid IPv6 address";
		if (!v6)
			return "connect data: HOST is an IPv6 address on an "
			       "IPv4 connection";
		return NULL;
	}
	if (h.len && text_span(&h, tns_is_ipv4ish) == h.len) {
		if (!text_get_ipv4(&h, dst->b) || ctalg_cursor_left(&h))
			return "connect data: HOST is no valid IPv4 address";
		if (v6)
			return "connect data: HOST is an IPv4 address on an "
			       "IPv6 connection";
		return NULL;
	}
	if (!tns_host_name(h))
		return "connect data: HOST is neither an address nor a host "
		       "name";
	*dst = ctalg_parse_sender(p)->src;
	return NULL;
}

/*
 * The redirect data: @held bytes of it are here, @whole is how long it is
 * (held < whole when it goes on past the packet, or past what is held of
 * it). The address ends at the first NUL, or with the data; what follows
 * it is not needed.
 */
static const char *tns_redirect_data(struct ctalg_parse *p, const uint8_t *data,
				     size_t held, size_t whole)
{
	struct ctalg_cursor c = ctalg_cursor_make(data, held);
	struct tns_find f = { 0 };
	union ctalg_addr dst;
	const char *err;
	long nul = ctalg_cursor_find(&c, '\0');

	if (nul >= 0)
		c.len = (size_t)nul;
	else if (held < whole)
		return "REDIRECT: the address does not end in this packet "
		       "(within 2038 bytes)";
	err = tns_address(&c, &f);
	if (!err)
		err = tns_host(p, f.host, &dst);
	if (err)
		return err;
	ctalg_parse_expect(p, &ctalg_parse_peer(p)->src, &dst, f.port);
	return NULL;
}

/*
 * A REDIRECT, or the DATA packet after one, of @len bytes (at least 10);
 * @pkt holds min(len, TNS_HOLD) of them. Data longer than the packet goes
 * on in the next ones (clients read it across packets): the address must
 * end in this one.
 */
static const char *tns_redirect(struct ctalg_parse *p, struct tns_priv *st,
				struct ctalg_cursor pkt, uint8_t type,
				uint16_t len)
{
	const size_t present = (size_t)len - TNS_HEADER - 2;
	size_t held = pkt.len - TNS_HEADER - 2, want;
	uint16_t dlen = 0;

	ctalg_cursor_skip(&pkt, TNS_HEADER);
	/* A DATA packet after a REDIRECT, or another REDIRECT, ends it. */
	st->flags &= (uint8_t)~TNS_PENDING;
	if (type == TNS_DATA) {
		/* The data flags, then the data the REDIRECT announced. */
		ctalg_cursor_skip(&pkt, 2);
		want = st->len ? st->len : present;
	} else {
		ctalg_cursor_get_be16(&pkt, &dlen);
		if (!present) {
			/* The data comes in the next packet. */
			st->flags |= TNS_PENDING;
			st->len = dlen;
			return NULL;
		}
		if (!dlen)
			return "REDIRECT: data in the packet, but a data "
			       "length "
			       "of 0";
		want = dlen;
	}
	if (held > want)
		held = want;
	return tns_redirect_data(p, ctalg_cursor_ptr(&pkt), held, want);
}

static enum ctalg_parse_result tns_parse(struct ctalg_cursor *data,
					 struct ctalg_parse *p)
{
	const size_t start = data->off;
	const char *err = NULL, *e;
	struct tns_priv st;
	uint16_t len;
	uint8_t type;
	size_t need, n;

	memcpy(&st, p->priv, sizeof(st));
	/* Only the listener redirects; the client's bytes are not read. */
	if (p->dir != CTALG_DIR_REPLY) {
		p->resync = false;
		goto all;
	}
	if (p->resync) {
		/* Where the listener's packets start is lost for good. */
		st.flags |= TNS_DONE;
		p->resync = false;
	}
	while (!(st.flags & TNS_DONE) && ctalg_cursor_left(data)) {
		if (st.skip) {
			n = ctalg_cursor_left(data);
			if (n > st.skip)
				n = st.skip;
			ctalg_cursor_skip(data, n);
			st.skip = (uint16_t)(st.skip - n);
			continue;
		}
		if (ctalg_cursor_left(data) < TNS_HEADER)
			goto out; /* an incomplete header comes back whole */
		len = (uint16_t)(ctalg_cursor_ptr(data)[0] << 8 |
				 ctalg_cursor_ptr(data)[1]);
		type = ctalg_cursor_ptr(data)[4];
		if (len < TNS_HEADER || type == 0 || type > TNS_TYPE_MAX) {
			e = len < TNS_HEADER ? "packet length below its header"
					     : "unknown packet type";
			if (!err)
				err = e;
			st.flags |= TNS_DONE;
			break;
		}
		if (type == TNS_ACCEPT) {
			/* A session: no redirect can follow. */
			st.flags |= TNS_DONE;
			break;
		}
		if (type != TNS_REDIRECT &&
		    !(type == TNS_DATA && (st.flags & TNS_PENDING))) {
			/* Not read, whatever its length: never carried. */
			st.flags &= (uint8_t)~TNS_PENDING;
			st.skip = len;
			continue;
		}
		need = len < TNS_HOLD ? len : TNS_HOLD;
		if (ctalg_cursor_left(data) < need)
			goto out; /* the packet, or what is held of it, whole */
		if (len < TNS_HEADER + 2) {
			st.flags &= (uint8_t)~TNS_PENDING;
			e = type == TNS_DATA
				? "DATA packet without data flags"
				: "REDIRECT without its data length";
		} else {
			e = tns_redirect(
			    p, &st,
			    ctalg_cursor_make(ctalg_cursor_ptr(data), need),
			    type, len);
		}
		if (e && !err)
			err = e;
		st.skip = len;
	}
all:
	/* Nothing more to read in this direction: all of it is handled. */
	ctalg_cursor_skip(data, ctalg_cursor_left(data));
out:
	p->consumed = (uint32_t)(data->off - start);
	memcpy(p->priv, &st, sizeof(st));
	if (err) {
		p->error = err;
		return CTALG_PARSE_ERROR;
	}
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_tns = {
	.abi = CTALG_HELPER_ABI,
	.name = "tns",
	.description = "Oracle Net (TNS): the address of a listener's REDIRECT",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 1521 },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "tns", .max_expected = 1, .timeout = 300 } },
	.priv_size = sizeof(struct tns_priv),
	.carry_max = TNS_HOLD,
	.parse = tns_parse,
};
