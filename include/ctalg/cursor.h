/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bounded read cursor: the only way ctalg reads untrusted bytes.
 *
 * A cursor is a window [data, data + len) and a read offset. Every read
 * checks the bytes left first and fails without moving when there are too
 * few; nothing ever reads past the window. Numbers parsed from text take an
 * explicit maximum and check for overflow before multiplying.
 *
 * All functions are static inline: helpers call them per byte on the packet
 * path, and a helper shared object needs no symbol from libctalg to use them.
 */
#ifndef CTALG_CURSOR_H
#define CTALG_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ctalg_cursor {
	const uint8_t *data;
	size_t len;
	size_t off;
};

/* A cursor over @len bytes at @data, positioned at the start. */
static inline struct ctalg_cursor ctalg_cursor_make(const void *data, size_t len)
{
	struct ctalg_cursor c = { .data = data, .len = data ? len : 0 };

	return c;
}

/* Bytes left to read. */
static inline size_t ctalg_cursor_left(const struct ctalg_cursor *c)
{
	return c->len - c->off;
}

/* The current position, valid for ctalg_cursor_left() bytes. */
static inline const uint8_t *ctalg_cursor_ptr(const struct ctalg_cursor *c)
{
	return c->data + c->off;
}

static inline bool ctalg_cursor_skip(struct ctalg_cursor *c, size_t n)
{
	if (ctalg_cursor_left(c) < n)
		return false;
	c->off += n;
	return true;
}

static inline bool ctalg_cursor_peek_u8(const struct ctalg_cursor *c, uint8_t *v)
{
	if (ctalg_cursor_left(c) < 1)
		return false;
	*v = c->data[c->off];
	return true;
}

static inline bool ctalg_cursor_get_u8(struct ctalg_cursor *c, uint8_t *v)
{
	if (!ctalg_cursor_peek_u8(c, v))
		return false;
	c->off++;
	return true;
}

static inline bool ctalg_cursor_get_be16(struct ctalg_cursor *c, uint16_t *v)
{
	const uint8_t *p = ctalg_cursor_ptr(c);

	if (ctalg_cursor_left(c) < 2)
		return false;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	c->off += 2;
	return true;
}

static inline bool ctalg_cursor_get_be32(struct ctalg_cursor *c, uint32_t *v)
{
	const uint8_t *p = ctalg_cursor_ptr(c);

	if (ctalg_cursor_left(c) < 4)
		return false;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	     (uint32_t)p[3];
	c->off += 4;
	return true;
}

/* Copy @n bytes out to @dst. */
static inline bool ctalg_cursor_get_bytes(struct ctalg_cursor *c, void *dst,
					  size_t n)
{
	if (ctalg_cursor_left(c) < n)
		return false;
	memcpy(dst, ctalg_cursor_ptr(c), n);
	c->off += n;
	return true;
}

/* Carve the next @n bytes into @sub and move past them. */
static inline bool ctalg_cursor_sub(struct ctalg_cursor *c, size_t n,
				    struct ctalg_cursor *sub)
{
	if (ctalg_cursor_left(c) < n)
		return false;
	*sub = ctalg_cursor_make(ctalg_cursor_ptr(c), n);
	c->off += n;
	return true;
}

/* The rest of the window as a new cursor; @c is not moved. */
static inline struct ctalg_cursor ctalg_cursor_rest(const struct ctalg_cursor *c)
{
	return ctalg_cursor_make(ctalg_cursor_ptr(c), ctalg_cursor_left(c));
}

/*
 * Offset from the current position of the first @byte, or -1 when it is not
 * in the window. The cursor does not move.
 */
static inline long ctalg_cursor_find(const struct ctalg_cursor *c, uint8_t byte)
{
	const uint8_t *p = memchr(ctalg_cursor_ptr(c), byte,
				  ctalg_cursor_left(c));

	return p ? (long)(p - ctalg_cursor_ptr(c)) : -1;
}

/* True when the next bytes equal @lit (@n bytes); the cursor does not move. */
static inline bool ctalg_cursor_starts(const struct ctalg_cursor *c,
				       const char *lit, size_t n)
{
	return ctalg_cursor_left(c) >= n &&
	       memcmp(ctalg_cursor_ptr(c), lit, n) == 0;
}

/* Like ctalg_cursor_starts() but ASCII case-insensitive. */
static inline bool ctalg_cursor_starts_nocase(const struct ctalg_cursor *c,
					      const char *lit, size_t n)
{
	const uint8_t *p = ctalg_cursor_ptr(c);
	size_t i;

	if (ctalg_cursor_left(c) < n)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t a = p[i], b = (uint8_t)lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/* Consume @byte if it is next. */
static inline bool ctalg_cursor_accept(struct ctalg_cursor *c, uint8_t byte)
{
	uint8_t v;

	if (!ctalg_cursor_peek_u8(c, &v) || v != byte)
		return false;
	c->off++;
	return true;
}

/*
 * Parse an unsigned decimal number of at least one digit, at most @max.
 * Leading zeros are allowed but at most 10 digits are read, so a run of
 * zeros cannot make the parse unbounded. On failure (no digit, value above
 * @max, too many digits) the cursor does not move.
 */
static inline bool ctalg_cursor_get_dec(struct ctalg_cursor *c, uint32_t max,
					uint32_t *v)
{
	const uint8_t *p = ctalg_cursor_ptr(c);
	size_t left = ctalg_cursor_left(c), i;
	uint32_t n = 0;

	for (i = 0; i < left && p[i] >= '0' && p[i] <= '9'; i++) {
		uint32_t d = (uint32_t)(p[i] - '0');

		if (i >= 10 || d > max || n > (max - d) / 10)
			return false;
		n = n * 10 + d;
	}
	if (i == 0)
		return false;
	c->off += i;
	*v = n;
	return true;
}

/* The same for hexadecimal digits (either case), at most 8 digits. */
static inline bool ctalg_cursor_get_hex(struct ctalg_cursor *c, uint32_t max,
					uint32_t *v)
{
	const uint8_t *p = ctalg_cursor_ptr(c);
	size_t left = ctalg_cursor_left(c), i;
	uint32_t n = 0;

	for (i = 0; i < left; i++) {
		uint32_t d;

		if (p[i] >= '0' && p[i] <= '9')
			d = (uint32_t)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = (uint32_t)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = (uint32_t)(p[i] - 'A' + 10);
		else
			break;
		if (i >= 8 || d > max || n > (max - d) / 16)
			return false;
		n = n * 16 + d;
	}
	if (i == 0)
		return false;
	c->off += i;
	*v = n;
	return true;
}

#endif
