// SPDX-License-Identifier: GPL-2.0-or-later
/* The connection cache: fixed arrays, hash chains and an LRU list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conncache.h"

#define NIL UINT32_MAX

int conncache_init(struct conncache *cc, uint32_t nconns, uint32_t ncarry)
{
	uint32_t i;

	memset(cc, 0, sizeof(*cc));
	if (nconns == 0 || nconns > (1u << 24)) {
		errno = EINVAL;
		return -1;
	}
	cc->nbuckets = 1;
	while (cc->nbuckets < nconns)
		cc->nbuckets <<= 1;
	cc->conns = calloc(nconns, sizeof(*cc->conns));
	cc->buckets = malloc(cc->nbuckets * sizeof(*cc->buckets));
	cc->carry_pool = malloc((size_t)ncarry * CTALG_HELPER_CARRY_MAX + 1);
	cc->carry_free = malloc(((size_t)ncarry + 1) * sizeof(uint32_t));
	if (!cc->conns || !cc->buckets || !cc->carry_pool || !cc->carry_free) {
		conncache_free(cc);
		errno = ENOMEM;
		return -1;
	}
	cc->nconns = nconns;
	for (i = 0; i < cc->nbuckets; i++)
		cc->buckets[i] = NIL;
	/* Unused entries are chained through hnext from free_head. */
	for (i = 0; i < nconns; i++)
		cc->conns[i].hnext = i + 1 < nconns ? i + 1 : NIL;
	cc->free_head = 0;
	cc->lru_head = cc->lru_tail = NIL;
	cc->ncarry = ncarry;
	for (i = 0; i < ncarry; i++)
		cc->carry_free[i] = ncarry - 1 - i;
	cc->carry_free_n = ncarry;
	return 0;
}

void conncache_free(struct conncache *cc)
{
	free(cc->conns);
	free(cc->buckets);
	free(cc->carry_pool);
	free(cc->carry_free);
	memset(cc, 0, sizeof(*cc));
}

/* One 32-bit word into the fingerprint (multiplicative, then folded). */
static uint32_t fp_mix(uint32_t h, uint32_t w)
{
	h = (h ^ w) * 0x9e3779b1u;
	return h ^ (h >> 16);
}

uint32_t conncache_fp(const struct ctalg_tuple *orig, uint16_t zone)
{
	uint32_t h = 2166136261u, w;
	unsigned int i;

	/* A word at a time: this runs for every queued packet. */
	for (i = 0; i < sizeof(orig->src.b); i += 4) {
		memcpy(&w, orig->src.b + i, 4);
		h = fp_mix(h, w);
		memcpy(&w, orig->dst.b + i, 4);
		h = fp_mix(h, w);
	}
	h = fp_mix(h, (uint32_t)orig->sport << 16 | orig->dport);
	return fp_mix(h, (uint32_t)zone << 16 | (uint32_t)orig->family << 8 |
			     orig->l4proto);
}

static uint32_t bucket(const struct conncache *cc, uint32_t id, uint32_t fp)
{
	uint32_t h = (id ^ (fp * 2654435761u)) * 2246822519u;

	return (h ^ (h >> 15)) & (cc->nbuckets - 1);
}

static void lru_unlink(struct conncache *cc, uint32_t i)
{
	struct conn *c = &cc->conns[i];

	if (c->prev != NIL)
		cc->conns[c->prev].next = c->next;
	else
		cc->lru_head = c->next;
	if (c->next != NIL)
		cc->conns[c->next].prev = c->prev;
	else
		cc->lru_tail = c->prev;
}

static void lru_push(struct conncache *cc, uint32_t i)
{
	struct conn *c = &cc->conns[i];

	c->prev = NIL;
	c->next = cc->lru_head;
	if (cc->lru_head != NIL)
		cc->conns[cc->lru_head].prev = i;
	cc->lru_head = i;
	if (cc->lru_tail == NIL)
		cc->lru_tail = i;
}

struct conn *conncache_find(struct conncache *cc, uint32_t id, uint32_t fp)
{
	uint32_t i = cc->buckets[bucket(cc, id, fp)];

	for (; i != NIL; i = cc->conns[i].hnext) {
		struct conn *c = &cc->conns[i];

		if (c->id == id && c->fp == fp) {
			if (cc->lru_head != i) {
				lru_unlink(cc, i);
				lru_push(cc, i);
			}
			return c;
		}
	}
	return NULL;
}

static void carry_release(struct conncache *cc, struct conn *c, int dir)
{
	if (c->carry[dir] != CONN_NO_CARRY)
		cc->carry_free[cc->carry_free_n++] = c->carry[dir];
	c->carry[dir] = CONN_NO_CARRY;
	c->carry_len[dir] = 0;
}

/* Take the least recently used entry out of its chain and the list. */
static uint32_t evict(struct conncache *cc)
{
	uint32_t i = cc->lru_tail, *pp;
	struct conn *c = &cc->conns[i];

	pp = &cc->buckets[bucket(cc, c->id, c->fp)];
	while (*pp != i)
		pp = &cc->conns[*pp].hnext;
	*pp = c->hnext;
	lru_unlink(cc, i);
	carry_release(cc, c, 0);
	carry_release(cc, c, 1);
	cc->evictions++;
	cc->used--;
	return i;
}

struct conn *conncache_add(struct conncache *cc, uint32_t id, uint32_t fp)
{
	uint32_t i, b;
	struct conn *c;

	if (cc->free_head != NIL) {
		i = cc->free_head;
		cc->free_head = cc->conns[i].hnext;
	} else {
		i = evict(cc);
	}
	c = &cc->conns[i];
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->fp = fp;
	c->carry[0] = c->carry[1] = CONN_NO_CARRY;
	b = bucket(cc, id, fp);
	c->hnext = cc->buckets[b];
	cc->buckets[b] = i;
	lru_push(cc, i);
	cc->used++;
	return c;
}

const uint8_t *conncache_carry(const struct conncache *cc, const struct conn *c,
			       int dir, uint32_t *len)
{
	if (c->carry[dir] == CONN_NO_CARRY) {
		*len = 0;
		return NULL;
	}
	*len = c->carry_len[dir];
	return cc->carry_pool + (size_t)c->carry[dir] * CTALG_HELPER_CARRY_MAX;
}

bool conncache_set_carry(struct conncache *cc, struct conn *c, int dir,
			 const uint8_t *data, uint32_t len)
{
	uint8_t *slot;

	if (len == 0 || len > CTALG_HELPER_CARRY_MAX) {
		carry_release(cc, c, dir);
		return len == 0;
	}
	if (c->carry[dir] == CONN_NO_CARRY) {
		if (cc->carry_free_n == 0) {
			c->carry_len[dir] = 0;
			cc->carry_exhausted++;
			return false;
		}
		c->carry[dir] = cc->carry_free[--cc->carry_free_n];
	}
	slot = cc->carry_pool + (size_t)c->carry[dir] * CTALG_HELPER_CARRY_MAX;
	/* The data may already sit in the slot (carried forward): move. */
	memmove(slot, data, len);
	c->carry_len[dir] = (uint16_t)len;
	return true;
}
