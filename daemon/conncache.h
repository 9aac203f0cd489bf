/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection cache: the newest private state of each connection that
 * ctalgd has seen, and the bytes carried between segments.
 *
 * Why: every queued packet carries the kernel's copy of the private state,
 * taken when the packet was queued. When two packets of a connection wait
 * in the queue together, the second one's copy predates the verdict on the
 * first; writing it back would undo that verdict's update (conntrackd loses
 * FTP expectations this way). ctalgd is the only writer of the state, so
 * its own latest copy is always at least as new as the kernel's: it is used
 * whenever the connection is in the cache, and the kernel's copy otherwise
 * (after a restart, or once the connection was evicted).
 *
 * All memory is allocated at creation; lookups, inserts and evictions
 * allocate nothing. One cache per worker thread: a connection's packets
 * always reach the same queue, so no locking.
 */
#ifndef CTALGD_CONNCACHE_H
#define CTALGD_CONNCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <ctalg/helper.h>

#define CONN_PRIV_MAX 32
#define CONN_NO_CARRY UINT32_MAX

struct conn {
	uint32_t id;	     /* the kernel's conntrack id */
	uint32_t fp;	     /* fingerprint of the original tuple and zone */
	uint32_t prev, next; /* LRU list */
	uint32_t hnext;	     /* hash chain */
	uint32_t carry[2];   /* carry slot per direction, or CONN_NO_CARRY */
	uint32_t kpos[2];    /* the stream positions the kernel's copy holds */
	uint16_t carry_len[2];
	uint8_t loose; /* directions whose position is the kernel's */
	uint8_t priv_len;
	uint8_t priv[CONN_PRIV_MAX];
};

struct conncache {
	struct conn *conns;
	uint32_t *buckets;
	uint32_t nconns, nbuckets;
	uint32_t used, free_head;
	uint32_t lru_head, lru_tail; /* most and least recently used */
	uint8_t *carry_pool;
	uint32_t *carry_free;
	uint32_t ncarry, carry_free_n;
	uint64_t evictions, carry_exhausted;
};

/*
 * Allocate a cache for @nconns connections and @ncarry carried messages of
 * CTALG_HELPER_CARRY_MAX bytes. Returns 0 or -1 (ENOMEM).
 */
int conncache_init(struct conncache *cc, uint32_t nconns, uint32_t ncarry);
void conncache_free(struct conncache *cc);

/* A fingerprint of a connection's original tuple and zone. */
uint32_t conncache_fp(const struct ctalg_tuple *orig, uint16_t zone);

/*
 * The entry for (@id, @fp), made the most recently used; NULL when absent.
 */
struct conn *conncache_find(struct conncache *cc, uint32_t id, uint32_t fp);

/*
 * A new entry for (@id, @fp) with no state and no carry, taking the least
 * recently used one when the cache is full (counted in evictions).
 */
struct conn *conncache_add(struct conncache *cc, uint32_t id, uint32_t fp);

/* The bytes carried in direction @dir, or NULL (and *len = 0). */
const uint8_t *conncache_carry(const struct conncache *cc, const struct conn *c,
			       int dir, uint32_t *len);

/*
 * Keep @len bytes (<= CTALG_HELPER_CARRY_MAX) for direction @dir, or drop
 * what was kept when @len is 0. Returns false when no slot is free (counted
 * in carry_exhausted): the bytes are then lost.
 */
bool conncache_set_carry(struct conncache *cc, struct conn *c, int dir,
			 const uint8_t *data, uint32_t len);

#endif
