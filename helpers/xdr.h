/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading XDR (RFC 4506) through the bounded cursor, for the helpers of
 * binary RPC-style protocols. Every length read from the wire is checked
 * against a maximum the caller gives before anything is skipped, padding
 * included, and every function leaves the cursor where it was when it
 * fails, so the caller can name the field that was wrong.
 *
 * Padding: XDR rounds opaque data and strings up to a multiple of four
 * bytes. RFC 4506 says the padding bytes are zero, but the C library's
 * decoders (and so the servers that read these messages) skip them
 * unread; so do these functions, to read what the server reads.
 */
#ifndef CTALG_HELPERS_XDR_H
#define CTALG_HELPERS_XDR_H

#include <stdbool.h>
#include <stdint.h>

#include <ctalg/cursor.h>

enum xdr_result {
	XDR_OK = 0,
	XDR_SHORT, /* the field goes past the end of the data */
	XDR_LONG,  /* its length is above the caller's maximum */
	XDR_NUL,   /* a string with a NUL byte in it */
};

/* An unsigned 32-bit integer. */
static inline bool xdr_get_u32(struct ctalg_cursor *c, uint32_t *v)
{
	return ctalg_cursor_get_be32(c, v);
}

/* The bytes @len takes on the wire, padding included. */
static inline size_t xdr_padded(uint32_t len)
{
	return ((size_t)len + 3) & ~(size_t)3;
}

/*
 * Variable-length opaque data (opaque<max>): a length of at most @max,
 * then that many bytes and their padding. On XDR_OK, @body holds the bytes
 * (without padding) and the cursor is past the padding.
 */
static inline enum xdr_result xdr_get_opaque(struct ctalg_cursor *c, uint32_t max,
					     struct ctalg_cursor *body)
{
	struct ctalg_cursor t = *c;
	uint32_t len;

	if (!xdr_get_u32(&t, &len))
		return XDR_SHORT;
	if (len > max)
		return XDR_LONG;
	if (ctalg_cursor_left(&t) < xdr_padded(len))
		return XDR_SHORT;
	ctalg_cursor_sub(&t, len, body);
	ctalg_cursor_skip(&t, xdr_padded(len) - len);
	*c = t;
	return XDR_OK;
}

/*
 * A string (string<max>): opaque data that must not hold a NUL byte, since
 * the C side reads it as a C string and would stop there.
 */
static inline enum xdr_result xdr_get_string(struct ctalg_cursor *c, uint32_t max,
					     struct ctalg_cursor *str)
{
	struct ctalg_cursor t = *c;
	enum xdr_result r = xdr_get_opaque(&t, max, str);

	if (r != XDR_OK)
		return r;
	if (ctalg_cursor_find(str, '\0') >= 0)
		return XDR_NUL;
	*c = t;
	return XDR_OK;
}

/* True when the string @s is exactly @lit (@n bytes). */
static inline bool xdr_string_is(const struct ctalg_cursor *s, const char *lit,
				 size_t n)
{
	return ctalg_cursor_left(s) == n && ctalg_cursor_starts(s, lit, n);
}

#endif
