// SPDX-License-Identifier: GPL-2.0-or-later
/* TCP stream positions and carried bytes for stream helpers. */
#include <string.h>

#include "stream.h"

enum {
	F_KNOWN = 1 << 0, /* next_seq is valid */
	F_SKIP = 1 << 1,  /* the next data comes after a gap: resync */
	F_CARRY = 1 << 2, /* bytes are carried in the cache */
};

/* The state's byte layout is fixed (little-endian), not the host's. */
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void drop_carry(struct conncache *cc, struct conn *c, int dir, uint8_t *fl)
{
	conncache_set_carry(cc, c, dir, NULL, 0);
	*fl &= (uint8_t)~F_CARRY;
}

enum stream_result stream_run(const struct ctalg_helper *h, struct conncache *cc,
			      struct conn *c, const struct stream_seg *seg,
			      struct ctalg_parse *p, uint8_t *scratch,
			      enum ctalg_parse_result *res,
			      struct stream_stats *st)
{
	int dir = seg->dir;
	uint8_t *state = c->priv, fl = state[8 + dir], bit = (uint8_t)(1u << dir);
	uint32_t next = get32(state + 4 * dir), seq = seg->seq, len = seg->len;
	const uint8_t *data = seg->data, *carry;
	uint32_t carry_len, total, rest;
	int32_t d;

	if (seg->syn) {
		/* The first data byte follows the SYN's sequence number. */
		put32(state + 4 * dir, seq + 1);
		drop_carry(cc, c, dir, &fl);
		state[8 + dir] = F_KNOWN;
		c->loose &= (uint8_t)~bit;
		return STREAM_STATE;
	}
	if (len == 0)
		return STREAM_NONE;
	if (!(fl & F_KNOWN)) {
		/* Picked up after the SYN: where a message starts is unknown. */
		next = seq;
		fl = F_KNOWN | F_SKIP;
	}
	d = (int32_t)(seq - next);
	if (c->loose & bit) {
		/* The kernel's position may lag: see stream_load(). */
		c->loose &= (uint8_t)~bit;
		if (d > 0)
			d = 0;
	}
	if (d < 0) {
		uint32_t seen = (uint32_t)-d;

		if (seen >= len) {
			st->retransmitted++;
			return STREAM_NONE;
		}
		data += seen;
		len -= seen;
		seq = next;
	} else if (d > 0) {
		/* Bytes we never saw (reordered or lost): start afresh. */
		st->gaps++;
		drop_carry(cc, c, dir, &fl);
		fl |= F_SKIP;
	}

	carry = conncache_carry(cc, c, dir, &carry_len);
	if ((fl & F_CARRY) && !carry) {
		st->carry_lost++;
		fl = (uint8_t)((fl & ~F_CARRY) | F_SKIP);
	}
	if (carry_len) {
		memcpy(scratch, carry, carry_len);
		memcpy(scratch + carry_len, data, len);
		data = scratch;
	}
	total = carry_len + len;

	p->priv = c->priv + STREAM_STATE_SIZE;
	p->resync = fl & F_SKIP;
	p->consumed = 0;
	*res = h->parse(&(struct ctalg_cursor){ .data = data, .len = total }, p);
	fl = (uint8_t)(p->resync ? fl | F_SKIP : fl & ~F_SKIP);
	put32(state + 4 * dir, seq + len);

	rest = p->consumed < total ? total - p->consumed : 0;
	/*
	 * A parse error changes nothing here: consumed and resync still say
	 * where the parser stands, and a parser that keeps failing on the
	 * same bytes makes the carry grow past carry_max, which ends it.
	 */
	if (rest > h->carry_max || rest > CTALG_HELPER_CARRY_MAX) {
		st->overlong++;
		drop_carry(cc, c, dir, &fl);
		fl |= F_SKIP;
	} else if (rest) {
		if (conncache_set_carry(cc, c, dir, data + total - rest, rest))
			fl |= F_CARRY;
		else
			fl = (uint8_t)((fl & ~F_CARRY) | F_SKIP);
	} else {
		drop_carry(cc, c, dir, &fl);
	}
	state[8 + dir] = fl;
	return STREAM_PARSED;
}

void stream_load(struct conn *c)
{
	c->kpos[0] = get32(c->priv);
	c->kpos[1] = get32(c->priv + 4);
	c->loose = 3;
}

bool stream_stale(const struct conn *c, const uint8_t *before)
{
	return memcmp(before + STREAM_POS_SIZE, c->priv + STREAM_POS_SIZE,
		      c->priv_len - STREAM_POS_SIZE) != 0 ||
	       get32(c->priv) - c->kpos[0] >= STREAM_LAG_MAX ||
	       get32(c->priv + 4) - c->kpos[1] >= STREAM_LAG_MAX;
}

void stream_synced(struct conn *c)
{
	c->kpos[0] = get32(c->priv);
	c->kpos[1] = get32(c->priv + 4);
}
