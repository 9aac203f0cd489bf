/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading HTTP/1.x messages (RFC 9112) and http:// URLs (RFC 3986) for
 * the helpers of protocols built on them (SSDP and GENA; later RTSP or
 * SIP, which share the syntax): start lines, header fields with obsolete
 * line folding, and the authority of a URL. Every read goes through the
 * bounded cursor; nothing is copied. The functions that can fail return
 * NULL or a static string saying what was wrong, and leave the caller's
 * cursor alone when they fail.
 */
#ifndef CTALG_HELPERS_HTTP_H
#define CTALG_HELPERS_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include <ctalg/cursor.h>
#include <ctalg/tuple.h>

#include "text.h"

#define HTTP_DEFAULT_PORT 80

/* RFC 9110 5.6.2: the characters of a token (a method, a field name). */
static inline bool http_is_tchar(uint8_t c)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if (text_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && memchr(extra, c, sizeof(extra) - 1);
}

/* Blanks inside a field value: SP, HTAB, and the CR LF of a fold. */
static inline bool http_is_lws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline bool http_is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Strip blanks (and folds) from both ends of @v. */
static inline void http_trim(struct ctalg_cursor *v)
{
	const uint8_t *p;
	size_t n, s;

	if (!ctalg_cursor_left(v))
		return; /* no arithmetic on the NULL of an empty cursor */
	p = ctalg_cursor_ptr(v);
	n = ctalg_cursor_left(v);
	s = text_span(v, http_is_lws);

	while (n > s && http_is_lws(p[n - 1]))
		n--;
	*v = ctalg_cursor_make(p + s, n - s);
}

/* @v (trimmed) is exactly @word, without regard to case. */
static inline bool http_value_is(const struct ctalg_cursor *v, const char *word,
				 size_t len)
{
	struct ctalg_cursor t = *v;

	http_trim(&t);
	return ctalg_cursor_left(&t) == len &&
	       ctalg_cursor_starts_nocase(&t, word, len);
}

/*
 * "HTTP/1.0" or "HTTP/1.1" at the cursor, moving past it; @minor gets
 * the minor version.
 */
static inline bool http_get_version(struct ctalg_cursor *c, uint8_t *minor)
{
	uint8_t d;

	if (!ctalg_cursor_starts(c, "HTTP/1.", 7))
		return false;
	ctalg_cursor_skip(c, 7);
	if (!ctalg_cursor_get_u8(c, &d) || (d != '0' && d != '1'))
		return false;
	*minor = (uint8_t)(d - '0');
	return true;
}

/*
 * A request line without its line end: method SP request-target SP
 * HTTP-version (RFC 9112 3). The method is a token of at most 32
 * characters; the target has no blank and no control character.
 */
static inline bool http_request_line(const struct ctalg_cursor *line,
				     struct ctalg_cursor *method,
				     struct ctalg_cursor *target)
{
	struct ctalg_cursor c = *line;
	size_t n = text_span(&c, http_is_tchar);
	uint8_t minor, b;

	if (n == 0 || n > 32)
		return false;
	ctalg_cursor_sub(&c, n, method);
	if (!ctalg_cursor_accept(&c, ' '))
		return false;
	*target = ctalg_cursor_rest(&c);
	for (n = 0; ctalg_cursor_peek_u8(&c, &b) && b > ' ' && b != 0x7f; n++)
		ctalg_cursor_skip(&c, 1);
	if (n == 0)
		return false;
	target->len = n;
	return ctalg_cursor_accept(&c, ' ') && http_get_version(&c, &minor) &&
	       !ctalg_cursor_left(&c);
}

/*
 * A status line without its line end: HTTP-version SP 3DIGIT, then SP
 * and a reason phrase (possibly empty, or missing as some servers send
 * it) of no control character but HTAB.
 */
static inline bool http_status_line(const struct ctalg_cursor *line,
				    uint16_t *code)
{
	struct ctalg_cursor c = *line;
	uint32_t v;
	uint8_t minor, b;

	if (!http_get_version(&c, &minor) || !ctalg_cursor_accept(&c, ' ') ||
	    text_span(&c, text_is_digit) != 3 ||
	    !ctalg_cursor_get_dec(&c, 999, &v) || v < 100)
		return false;
	if (ctalg_cursor_left(&c) && !ctalg_cursor_accept(&c, ' '))
		return false;
	while (ctalg_cursor_get_u8(&c, &b))
		if ((b < ' ' && b != '\t') || b == 0x7f)
			return false;
	*code = (uint16_t)v;
	return true;
}

/* A header field: its name, and its value from after the colon to the
 * end of its last line (folds included, line end excluded). */
struct http_field {
	struct ctalg_cursor name, value;
};

/*
 * The next line of @c without its line end (CRLF or LF alone), moving
 * past it; false when no complete line is left. A CR elsewhere than
 * before the LF stays in the line, for the caller to refuse.
 */
static inline bool http_line(struct ctalg_cursor *c, struct ctalg_cursor *line)
{
	long nl = ctalg_cursor_find(c, '\n');
	size_t len;

	if (nl < 0)
		return false;
	len = (size_t)nl;
	ctalg_cursor_sub(c, len, line);
	ctalg_cursor_skip(c, 1);
	if (len && line->data[len - 1] == '\r')
		line->len--;
	return true;
}

/* A field line's value bytes: HTAB, SP, visible characters, obs-text. */
static inline bool http_value_ok(const struct ctalg_cursor *v)
{
	const uint8_t *p = ctalg_cursor_ptr(v);
	size_t i;

	for (i = 0; i < ctalg_cursor_left(v); i++)
		if ((p[i] < ' ' && p[i] != '\t') || p[i] == 0x7f)
			return false;
	return true;
}

/*
 * The next header field of the block @c (the lines after the start
 * line). *@end is set when the block's empty line is reached, or @c is
 * empty (a datagram may end without it); the cursor is then past the
 * empty line. A field is name ":" value on one line, continued by lines
 * that start with SP or HTAB (obsolete folding, RFC 9112 5.2). No blank
 * between the name and the colon (RFC 9112 5.1), no control character
 * but HTAB in a line, no continuation without a field.
 */
static inline const char *http_field_next(struct ctalg_cursor *c,
					  struct http_field *f, bool *end)
{
	struct ctalg_cursor t = *c, line = { 0 }, next = { 0 };
	size_t n;
	uint8_t b;

	*end = false;
	if (!ctalg_cursor_left(&t)) {
		*end = true;
		return NULL;
	}
	if (!http_line(&t, &line)) {
		line = ctalg_cursor_rest(&t); /* the last line of a datagram */
		ctalg_cursor_skip(&t, ctalg_cursor_left(&t));
	}
	if (!ctalg_cursor_left(&line)) {
		*c = t;
		*end = true;
		return NULL;
	}
	if (!http_value_ok(&line))
		return "HTTP: a control character in a header line";
	if (ctalg_cursor_peek_u8(&line, &b) && http_is_blank(b))
		return "HTTP: a continuation line without a field";
	n = text_span(&line, http_is_tchar);
	if (!n)
		return "HTTP: a header line without a field name";
	ctalg_cursor_sub(&line, n, &f->name);
	if (!ctalg_cursor_accept(&line, ':'))
		return "HTTP: a field name not followed by a colon";
	f->value = ctalg_cursor_rest(&line);
	/* Folded lines: the value runs on to the end of the last one. */
	for (;;) {
		struct ctalg_cursor u = t;

		if (!ctalg_cursor_peek_u8(&u, &b) || !http_is_blank(b))
			break;
		if (!http_line(&u, &next)) {
			next = ctalg_cursor_rest(&u);
			ctalg_cursor_skip(&u, ctalg_cursor_left(&u));
		}
		if (!http_value_ok(&next))
			return "HTTP: a control character in a header line";
		f->value.len = (size_t)(ctalg_cursor_ptr(&next) - f->value.data) +
			       ctalg_cursor_left(&next);
		t = u;
	}
	*c = t;
	return NULL;
}

/* The host of a URL. */
enum http_host {
	HTTP_HOST_V4,
	HTTP_HOST_V6,
	HTTP_HOST_NAME, /* a registered name: never resolved */
};

struct http_url {
	enum http_host kind;
	union ctalg_addr addr; /* HTTP_HOST_V4, HTTP_HOST_V6 */
	uint16_t port;
};

static inline bool http_is_ldh(uint8_t c)
{
	return text_is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

static inline bool http_is_unreserved(uint8_t c)
{
	return http_is_ldh(c) || c == '.' || c == '_' || c == '~';
}

/* A host name: dot-separated labels of 1-63 letters, digits, hyphens. */
static inline bool http_host_name_ok(const struct ctalg_cursor *h)
{
	struct ctalg_cursor c = *h;
	size_t n, total = ctalg_cursor_left(h);

	if (!total || total > 253)
		return false;
	for (;;) {
		const uint8_t *p = ctalg_cursor_ptr(&c);

		n = text_span(&c, http_is_ldh);
		if (!n || n > 63 || p[0] == '-' || p[n - 1] == '-')
			return false;
		ctalg_cursor_skip(&c, n);
		if (!ctalg_cursor_left(&c))
			return true;
		if (!ctalg_cursor_accept(&c, '.'))
			return false;
		if (!ctalg_cursor_left(&c))
			return true; /* a trailing dot: fully qualified */
	}
}

static inline bool http_is_dot_digit(uint8_t c)
{
	return c == '.' || text_is_digit(c);
}

/*
 * An http:// URL, all of @u (no blank in it): the scheme in any case,
 * then the authority up to "/", "?", "#" or the end: no user
 * information; a host that is an IPv4 dotted quad, an IPv6 address in
 * brackets (a zone, RFC 6874 "%25eth0", is allowed and dropped: it means
 * nothing to another host), or a host name (a host of digits and dots
 * only must be a dotted quad); an optional port of 1-65535 (empty: 80).
 */
static inline const char *http_url_parse(const struct ctalg_cursor *u,
					 struct http_url *out)
{
	struct ctalg_cursor c = *u, auth = { 0 }, host = { 0 };
	size_t n;
	uint32_t port = HTTP_DEFAULT_PORT;
	uint8_t b;

	if (!ctalg_cursor_starts_nocase(&c, "http://", 7))
		return "URL: not http://";
	ctalg_cursor_skip(&c, 7);
	for (n = 0; n < ctalg_cursor_left(&c); n++) {
		b = c.data[c.off + n];
		if (b == '/' || b == '?' || b == '#')
			break;
	}
	ctalg_cursor_sub(&c, n, &auth);
	if (ctalg_cursor_find(&auth, '@') >= 0)
		return "URL: user information in the authority";
	memset(out, 0, sizeof(*out));
	if (ctalg_cursor_accept(&auth, '[')) {
		long close = ctalg_cursor_find(&auth, ']');

		if (close < 0)
			return "URL: an IPv6 address without its ]";
		ctalg_cursor_sub(&auth, (size_t)close, &host);
		ctalg_cursor_skip(&auth, 1);
		if (!text_get_ipv6(&host, &out->addr))
			return "URL: a malformed IPv6 address";
		if (ctalg_cursor_starts(&host, "%25", 3)) {
			ctalg_cursor_skip(&host, 3);
			n = text_span(&host, http_is_unreserved);
			if (!n || n > 32)
				return "URL: a malformed IPv6 zone";
			ctalg_cursor_skip(&host, n);
		}
		if (ctalg_cursor_left(&host))
			return "URL: a malformed IPv6 address";
		out->kind = HTTP_HOST_V6;
	} else {
		long colon = ctalg_cursor_find(&auth, ':');

		ctalg_cursor_sub(
		    &auth, colon < 0 ? ctalg_cursor_left(&auth) : (size_t)colon,
		    &host);
		if (!ctalg_cursor_left(&host))
			return "URL: no host";
		if (text_span(&host, http_is_dot_digit) ==
		    ctalg_cursor_left(&host)) {
			if (!text_get_ipv4(&host, out->addr.b) ||
			    ctalg_cursor_left(&host))
				return "URL: a malformed IPv4 address";
			out->kind = HTTP_HOST_V4;
		} else {
			if (!http_host_name_ok(&host))
				return "URL: a malformed host name";
			out->kind = HTTP_HOST_NAME;
		}
	}
	if (ctalg_cursor_accept(&auth, ':') && ctalg_cursor_left(&auth) &&
	    (text_span(&auth, text_is_digit) != ctalg_cursor_left(&auth) ||
	     !text_get_dec(&auth, 65535, 5, &port) || !port))
		return "URL: the port is not 1-65535";
	if (ctalg_cursor_left(&auth))
		return "URL: unexpected bytes after the host";
	out->port = (uint16_t)port;
	return NULL;
}

#endif
