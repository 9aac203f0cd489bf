// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The FTP helper: reads the control connection (RFC 959) and asks for an
 * expectation for each data connection announced in it:
 *
 *   client: PORT h1,h2,h3,h4,p1,p2          (RFC 959, IPv4)
 *           EPRT |1|192.0.2.1|5282|         (RFC 2428, IPv4)
 *           EPRT |2|2001:db8::1|5282|       (RFC 2428, IPv6)
 *   server: 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2).
 *           229 Entering Extended Passive Mode (|||6446|)
 *
 * The data connection comes from the other side of the control connection
 * (its exact address, any source port) to the announced address and port.
 * A 229 reply names no address: the data connection goes to the server's
 * own address, the source of the reply.
 *
 * The helper asks for the address as written; ctalgd refuses and counts a
 * request whose address is not the announcing side's. What the helper
 * itself refuses, with CTALG_PARSE_ERROR, is what is malformed: a number
 * out of range or with too many digits, a port of 0, a missing field, NUL
 * or a bare CR in a line, a line of interest longer than FTP_LINE_MAX.
 *
 * The rules, and where they differ from the kernel's nf_conntrack_ftp,
 * are in doc/helper-guide.md.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "builtin.h"
#include "text.h"

/*
 * The longest line the helper parses, counted up to the "\n". The longest
 * legitimate one is an EPRT with a full IPv6 address (under 70 bytes); a
 * 227 reply carries free text, so leave room, as RFC 5321 does for SMTP
 * command lines. An incomplete line of interest is carried up to this
 * length; a longer one is an error. Other lines are skipped at any length
 * and never carried.
 */
#define FTP_LINE_MAX 512

static const char ftp_too_long[] = "line of interest longer than 512 bytes";
_Static_assert(FTP_LINE_MAX == 512, "ftp_too_long names FTP_LINE_MAX");

/*
 * The connection's state between calls, one byte of flags:
 *
 * FTP_SKIP(dir): the data is inside a line whose start the helper did not
 * read (after a resync, or a line not of interest consumed before its
 * end), so bytes are discarded up to the next "\n". Nothing of such a
 * line is carried, so this must be remembered.
 *
 * FTP_TAKEN: a multiline 227 or 229 reply is going on and one of its first
 * lines gave the address already (RFC 1123: the numbers are the first in
 * the reply); its last line gives none. A reply may span segments.
 */
struct ftp_priv {
	uint8_t flags;
};

#define FTP_SKIP(dir) ((uint8_t)(1u << (dir)))
#define FTP_TAKEN     ((uint8_t)(1u << 2))

enum ftp_kind {
	FTP_NONE,  /* not a line the helper parses */
	FTP_MAYBE, /* too short to tell: may become one */
	FTP_PORT,
	FTP_EPRT,
	FTP_227,
	FTP_229,
};

struct ftp_pattern {
	const char *text; /* matched without regard to case */
	uint8_t len;
	uint8_t kind;
	bool final; /* a reply's last line, not a "227-" continuation */
};

/* Commands only from the client, replies only from the server. */
static const struct ftp_pattern ftp_patterns[2][4] = {
	[CTALG_DIR_ORIGINAL] = {
		{ "PORT ", 5, FTP_PORT, true },
		{ "EPRT ", 5, FTP_EPRT, true },
	},
	[CTALG_DIR_REPLY] = {
		{ "227 ", 4, FTP_227, true },
		{ "227-", 4, FTP_227, false },
		{ "229 ", 4, FTP_229, true },
		{ "229-", 4, FTP_229, false },
	},
};

static enum ftp_kind ftp_classify(const struct ctalg_cursor *c,
				  enum ctalg_dir dir,
				  const struct ftp_pattern **pat)
{
	const struct ftp_pattern *f, *end = ftp_patterns[dir] + 4;
	size_t left = ctalg_cursor_left(c);

	for (f = ftp_patterns[dir]; f < end && f->text; f++) {
		if (left < f->len) {
			if (ctalg_cursor_starts_nocase(c, f->text, left))
				return FTP_MAYBE;
		} else if (ctalg_cursor_starts_nocase(c, f->text, f->len)) {
			*pat = f;
			return f->kind;
		}
	}
	return FTP_NONE;
}

/*
 * Ask for TCP from the other side of the control connection to
 * @dst:@port. A packet holds at most CTALG_EXP_PER_PACKET requests; past
 * that the oldest goes, as the kernel would evict it anyway for any class
 * maximum up to that number (FTP's is 1).
 */
static void ftp_expect(struct ctalg_parse *p, const union ctalg_addr *dst,
		       uint16_t port)
{
	if (p->n_exp >= CTALG_EXP_PER_PACKET) {
		memmove(&p->exp[0], &p->exp[1],
			sizeof(p->exp[0]) * (CTALG_EXP_PER_PACKET - 1));
		p->n_exp = CTALG_EXP_PER_PACKET - 1;
	}
	ctalg_parse_expect(p, &ctalg_parse_peer(p)->src, dst, port);
}

/*
 * RFC 959 "h1,h2,h3,h4,p1,p2": six numbers of 0-255; with @spaces, blanks
 * may follow each comma (seen in 227 replies, never allowed in PORT).
 */
static bool ftp_get_host_port(struct ctalg_cursor *c, bool spaces,
			      union ctalg_addr *dst, uint16_t *port)
{
	uint32_t v[6];
	int i;

	for (i = 0; i < 6; i++) {
		if (i) {
			if (!ctalg_cursor_accept(c, ','))
				return false;
			if (spaces)
				text_skip_spaces(c);
		}
		if (!text_get_dec(c, 255, 3, &v[i]))
			return false;
	}
	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < 4; i++)
		dst->b[i] = (uint8_t)v[i];
	*port = (uint16_t)(v[4] << 8 | v[5]);
	return true;
}

/* RFC 2428: any of ASCII 33-126; the kernel also refuses digits. */
static bool ftp_delim_ok(uint8_t d)
{
	return d >= 33 && d <= 126 && !text_is_digit(d);
}

/* A port of 1 to 65535 in at most 5 digits, then the delimiter @d. */
static bool ftp_get_port_delim(struct ctalg_cursor *c, uint8_t d, uint16_t *port)
{
	uint32_t v;

	if (!text_get_dec(c, 65535, 5, &v) || v == 0 ||
	    !ctalg_cursor_accept(c, d))
		return false;
	*port = (uint16_t)v;
	return true;
}

static const char *ftp_port(struct ctalg_parse *p, struct ctalg_cursor *c)
{
	union ctalg_addr dst;
	uint16_t port;

	if (p->conn->family != AF_INET)
		return "PORT on an IPv6 connection (RFC 2428: EPRT)";
	text_skip_spaces(c);
	if (!ftp_get_host_port(c, false, &dst, &port))
		return "PORT: not 6 numbers of 0-255 separated by commas";
	text_skip_spaces(c);
	if (ctalg_cursor_left(c))
		return "PORT: unexpected bytes after the numbers";
	if (!port)
		return "PORT: port 0";
	ftp_expect(p, &dst, port);
	return NULL;
}

static const char *ftp_eprt(struct ctalg_parse *p, struct ctalg_cursor *c)
{
	union ctalg_addr dst = { 0 };
	struct ctalg_cursor addr;
	uint8_t d, proto;
	uint16_t port;
	long end;
	bool ok;

	text_skip_spaces(c);
	if (!ctalg_cursor_get_u8(c, &d) || !ftp_delim_ok(d))
		return "EPRT: the delimiter is not a printable non-digit";
	if (!ctalg_cursor_get_u8(c, &proto) || (proto != '1' && proto != '2') ||
	    !ctalg_cursor_accept(c, d))
		return "EPRT: the protocol is not 1 (IPv4) or 2 (IPv6)";
	if ((proto == '1') != (p->conn->family == AF_INET))
		return "EPRT: the protocol is not the connection's family";
	end = ctalg_cursor_find(c, d);
	if (end < 0)
		return "EPRT: no delimiter after the address";
	ctalg_cursor_sub(c, (size_t)end, &addr);
	ctalg_cursor_skip(c, 1);
	if (proto == '1')
		ok = text_get_ipv4(&addr, dst.b);
	else
		ok = text_get_ipv6(&addr, &dst);
	if (!ok || ctalg_cursor_left(&addr))
		return proto == '1' ? "EPRT: malformed IPv4 address"
				    : "EPRT: malformed IPv6 address";
	if (!ftp_get_port_delim(c, d, &port))
		return "EPRT: the port is not 1-65535 followed by the "
		       "delimiter";
	text_skip_spaces(c);
	if (ctalg_cursor_left(c))
		return "EPRT: unexpected bytes after the last delimiter";
	ftp_expect(p, &dst, port);
	return NULL;
}

/*
 * RFC 1123 4.1.2.6: the text of a 227 reply is not standardised, and the
 * numbers begin at its first digit; servers write "(h1,...,p2).", without
 * parentheses, after "=", or with blanks after the commas. What follows
 * the sixth number is text.
 */
static const char *ftp_227(struct ctalg_parse *p, struct ctalg_cursor *c)
{
	union ctalg_addr dst;
	uint8_t b, prev = ' ';
	uint16_t port;

	if (p->conn->family != AF_INET)
		return "227 reply on an IPv6 connection (RFC 2428: 229)";
	while (ctalg_cursor_peek_u8(c, &b) && !text_is_digit(b)) {
		prev = b;
		ctalg_cursor_skip(c, 1);
	}
	if (!ctalg_cursor_left(c))
		return "227 reply without an address";
	if (prev == '-' || prev == '+')
		return "227 reply: signed number in the address";
	if (!ftp_get_host_port(c, true, &dst, &port))
		return "227 reply: not 6 numbers of 0-255 separated by commas";
	if (!port)
		return "227 reply: port 0";
	ftp_expect(p, &dst, port);
	return NULL;
}

/*
 * RFC 2428: "229 text (<d><d><d><port><d>)", the delimiter any of ASCII
 * 33-126 but a digit, address and protocol left empty: the server's own
 * address is meant.
 */
static const char *ftp_229(struct ctalg_parse *p, struct ctalg_cursor *c)
{
	long open = ctalg_cursor_find(c, '(');
	uint16_t port;
	uint8_t d;

	if (open < 0)
		return "229 reply without (|||port|)";
	ctalg_cursor_skip(c, (size_t)open + 1);
	if (!ctalg_cursor_get_u8(c, &d) || !ftp_delim_ok(d) ||
	    !ctalg_cursor_accept(c, d) || !ctalg_cursor_accept(c, d) ||
	    !ftp_get_port_delim(c, d, &port) || !ctalg_cursor_accept(c, ')'))
		return "229 reply: not (|||port|) with a port of 1-65535";
	ftp_expect(p, &ctalg_parse_sender(p)->src, port);
	return NULL;
}

/*
 * One complete line, without its line end; @raw is its length up to the
 * "\n"; @flags the connection's (struct ftp_priv). Returns what was wrong
 * with the line, or NULL.
 */
static const char *ftp_line(struct ctalg_parse *p, struct ctalg_cursor *line,
			    size_t raw, uint8_t *flags)
{
	const struct ftp_pattern *pat = NULL;
	const char *err;

	switch (ftp_classify(line, p->dir, &pat)) {
	case FTP_NONE:
	case FTP_MAYBE:
		return NULL;
	default:
		break;
	}
	if (raw > FTP_LINE_MAX)
		return ftp_too_long;
	if (ctalg_cursor_find(line, '\0') >= 0)
		return "NUL byte in a line";
	/* ctalg_line_next() took the CR of the line end; another is bare. */
	if (ctalg_cursor_find(line, '\r') >= 0)
		return "CR without LF in a line";
	ctalg_cursor_skip(line, pat->len);
	if (pat->kind == FTP_PORT)
		return ftp_port(p, line);
	if (pat->kind == FTP_EPRT)
		return ftp_eprt(p, line);
	/*
	 * A multiline reply ("227-" ... "227 "): its first address counts.
	 * The first lines are free text, so one without an address is no
	 * error; the last line is one only when no line had an address.
	 */
	if (*flags & FTP_TAKEN) {
		if (pat->final)
			*flags &= (uint8_t)~FTP_TAKEN;
		return NULL;
	}
	err = pat->kind == FTP_227 ? ftp_227(p, line) : ftp_229(p, line);
	if (pat->final)
		return err;
	if (!err)
		*flags |= FTP_TAKEN;
	return NULL;
}

static enum ctalg_parse_result ftp_parse(struct ctalg_cursor *data,
					 struct ctalg_parse *p)
{
	const uint8_t skip = FTP_SKIP(p->dir);
	const size_t start = data->off;
	struct ftp_priv *st = p->priv;
	const char *err = NULL, *e;

	if (p->resync) {
		/* The skip flag takes over from here, in the private state. */
		st->flags |= skip;
		p->resync = false;
		/* Lost bytes may have held the end of a multiline reply. */
		if (p->dir == CTALG_DIR_REPLY)
			st->flags &= (uint8_t)~FTP_TAKEN;
	}
	for (;;) {
		const struct ftp_pattern *pat;
		struct ctalg_cursor line, rest;
		size_t at = data->off;
		enum ftp_kind kind;
		long nl;

		if (st->flags & skip) {
			nl = ctalg_cursor_find(data, '\n');
			if (nl < 0)
				break;
			ctalg_cursor_skip(data, (size_t)nl + 1);
			st->flags &= (uint8_t)~skip;
			continue;
		}
		if (ctalg_line_next(data, &line)) {
			e = ftp_line(p, &line, data->off - at - 1, &st->flags);
			if (e) {
				p->n_errors++;
				if (!err)
					err = e;
			}
			continue;
		}
		/*
		 * An incomplete line: leave it to come back whole only when
		 * it may be one the helper parses, and not too long for it.
		 */
		rest = ctalg_cursor_rest(data);
		kind = ftp_classify(&rest, p->dir, &pat);
		if (kind != FTP_NONE && ctalg_cursor_left(data) <= FTP_LINE_MAX)
			goto out;
		if (kind != FTP_NONE) {
			p->n_errors++;
			if (!err)
				err = ftp_too_long;
		}
		st->flags |= skip;
		break;
	}
	/* Skipping: what is left is the start of a line not read. */
	ctalg_cursor_skip(data, ctalg_cursor_left(data));
out:
	p->consumed = (uint32_t)(data->off - start);
	if (err) {
		p->error = err;
		return CTALG_PARSE_ERROR;
	}
	return CTALG_PARSE_OK;
}

const struct ctalg_helper ctalg_helper_ftp = {
	.abi = CTALG_HELPER_ABI,
	.name = "ftp",
	.description = "FTP (RFC 959, 2428): PORT, EPRT, 227 and 229",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 21 },
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { .name = "ftp", .max_expected = 1, .timeout = 300 } },
	.priv_size = sizeof(struct ftp_priv),
	.carry_max = FTP_LINE_MAX,
	.parse = ftp_parse,
};
