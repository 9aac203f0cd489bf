/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading numbers and addresses written as text in a protocol line, for
 * the helpers of text protocols (FTP, and later IRC, SIP, RTSP...). Every
 * function reads through the bounded cursor, bounds the number of digits
 * as well as the value, and leaves the cursor where it was when it fails,
 * so a caller can try another form.
 */
#ifndef CTALG_HELPERS_TEXT_H
#define CTALG_HELPERS_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ctalg/cursor.h>
#include <ctalg/tuple.h>

static inline bool text_is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static inline bool text_is_xdigit(uint8_t c)
{
	return text_is_digit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Length of the run of bytes at the cursor for which @is holds. */
static inline size_t text_span(const struct ctalg_cursor *c, bool (*is)(uint8_t))
{
	const uint8_t *p = ctalg_cursor_ptr(c);
	size_t n = 0, left = ctalg_cursor_left(c);

	while (n < left && is(p[n]))
		n++;
	return n;
}

/* Move past any spaces (SP only: a tab is not blank in these protocols). */
static inline void text_skip_spaces(struct ctalg_cursor *c)
{
	while (ctalg_cursor_accept(c, ' '))
		;
}

/*
 * An unsigned decimal number of 1 to @digits digits (leading zeros count),
 * at most @max. The whole run of digits must fit: "2555" with @digits 3
 * fails rather than reading "255" and leaving "5". No sign is accepted.
 */
static inline bool text_get_dec(struct ctalg_cursor *c, uint32_t max,
				size_t digits, uint32_t *v)
{
	size_t n = text_span(c, text_is_digit);

	if (n == 0 || n > digits)
		return false;
	return ctalg_cursor_get_dec(c, max, v);
}

/* A dotted quad "a.b.c.d", each part 0-255 in 1 to 3 digits. */
static inline bool text_get_ipv4(struct ctalg_cursor *c, uint8_t out[4])
{
	struct ctalg_cursor t = *c;
	uint32_t v;
	int i;

	for (i = 0; i < 4; i++) {
		if (i && !ctalg_cursor_accept(&t, '.'))
			return false;
		if (!text_get_dec(&t, 255, 3, &v))
			return false;
		out[i] = (uint8_t)v;
	}
	*c = t;
	return true;
}

/* One group of an IPv6 address: 1 to 4 hexadecimal digits. */
static inline bool text_get_ipv6_group(struct ctalg_cursor *c, uint32_t *v)
{
	size_t n = text_span(c, text_is_xdigit);

	if (n == 0 || n > 4)
		return false;
	return ctalg_cursor_get_hex(c, 0xffff, v);
}

/*
 * An IPv6 address in the text form of RFC 4291 section 2.2: eight groups
 * of 1 to 4 hexadecimal digits, one "::" standing for one or more groups of
 * zeros, and a dotted quad in place of the last two groups. No zone
 * ("%eth0") and no brackets. The cursor stops after the address; the
 * caller decides what may follow.
 */
static inline bool text_get_ipv6(struct ctalg_cursor *c, union ctalg_addr *a)
{
	struct ctalg_cursor t = *c;
	uint8_t b[16];
	int n = 0, gap = -1; /* bytes filled; where "::" stands */
	uint8_t next;
	uint32_t v;

	if (ctalg_cursor_starts(&t, "::", 2)) {
		ctalg_cursor_skip(&t, 2);
		gap = 0;
		if (!ctalg_cursor_peek_u8(&t, &next) || !text_is_xdigit(next))
			goto done;
	}
	for (;;) {
		if (n <= 12 && text_get_ipv4(&t, b + n)) {
			n += 4;
			break; /* a dotted quad ends the address */
		}
		if (!text_get_ipv6_group(&t, &v))
			return false;
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
		if (n == 16 || !ctalg_cursor_accept(&t, ':'))
			break;
		if (ctalg_cursor_accept(&t, ':')) {
			if (gap >= 0)
				return false; /* a second "::" */
			gap = n;
			if (!ctalg_cursor_peek_u8(&t, &next) ||
			    !text_is_xdigit(next))
				break;
		}
	}
done:
	if (gap >= 0) {
		if (n == 16)
			return false; /* "::" must stand for at least one group */
		memmove(b + gap + (16 - n), b + gap, (size_t)(n - gap));
		memset(b + gap, 0, (size_t)(16 - n));
	} else if (n != 16) {
		return false;
	}
	memcpy(a->b, b, sizeof(b));
	*c = t;
	return true;
}

#endif
