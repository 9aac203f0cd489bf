/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP streams for helpers: per direction, the next sequence number
 * expected, so that retransmitted bytes are dropped, and the bytes a parser
 * left unconsumed, handed back in front of the next data.
 *
 * The state lives in the first STREAM_STATE_SIZE bytes of the kernel's
 * private state (so it survives a restart of ctalgd): the two positions,
 * then a flag byte per direction. The carried bytes live in the connection
 * cache (lost on restart: the stream then resyncs).
 *
 * The kernel's copy is written back with a verdict, and a verdict that
 * writes nothing is the cheap one (the queue folds such verdicts into one
 * batch verdict). So the kernel's copy is updated only when something but
 * the positions changes (a flag, the helper's own state), or when an
 * expectation is made, and at the latest when a position has run
 * STREAM_LAG_MAX bytes ahead of it (see stream_stale()). A position read
 * from the kernel may therefore lag behind: the bytes in between were read
 * to a message boundary with nothing to remember, or the flags would say
 * so. The first data after such a position continues the stream (see
 * stream_load()).
 */
#ifndef CTALGD_STREAM_H
#define CTALGD_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include <ctalg/helper.h>

#include "conncache.h"

#define STREAM_STATE_SIZE 12
/* The positions: the first bytes of the state. */
#define STREAM_POS_SIZE 8
/* How far a position may run ahead of the kernel's copy. */
#define STREAM_LAG_MAX (1u << 30)
/* Scratch a worker needs: a carry plus the largest segment payload. */
#define STREAM_SCRATCH_SIZE (CTALG_HELPER_CARRY_MAX + 65536)

struct stream_seg {
	enum ctalg_dir dir;
	uint32_t seq; /* of the first payload byte */
	bool syn;
	const uint8_t *data;
	uint32_t len;
};

struct stream_stats {
	uint64_t retransmitted; /* segments wholly seen before */
	uint64_t gaps;		/* bytes missing: resynchronised */
	uint64_t overlong;	/* unconsumed rest above carry_max */
	uint64_t carry_lost;	/* carried bytes gone (restart, eviction) */
};

enum stream_result {
	STREAM_NONE,   /* nothing for the parser; state unchanged */
	STREAM_STATE,  /* state changed, nothing parsed (SYN) */
	STREAM_PARSED, /* the parser ran; state changed */
};

/*
 * Run helper @h on segment @seg of connection @c (whose priv holds the
 * stream state followed by the helper's). @p must have conn, dir and ctinfo
 * set; its priv is set here. On STREAM_PARSED, *@res is the parser's result.
 * @scratch is STREAM_SCRATCH_SIZE bytes.
 */
enum stream_result stream_run(const struct ctalg_helper *h, struct conncache *cc,
			      struct conn *c, const struct stream_seg *seg,
			      struct ctalg_parse *p, uint8_t *scratch,
			      enum ctalg_parse_result *res,
			      struct stream_stats *st);

/*
 * @c's state was just taken from the kernel's copy: its positions may lag
 * (a restart of ctalgd, or an entry evicted from the cache). The first data
 * in each direction then continues from where it starts, unless the flags
 * say the stream was not at a message boundary.
 */
void stream_load(struct conn *c);

/*
 * Whether the kernel's copy of @c's state must be written back, @before
 * being the state before the packet: anything but the positions changed,
 * or a position is STREAM_LAG_MAX ahead of the kernel's copy.
 */
bool stream_stale(const struct conn *c, const uint8_t *before);

/* The state of @c goes back to the kernel with this packet's verdict. */
void stream_synced(struct conn *c);

#endif
