/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP streams for helpers: per direction, the next sequence number
 * expected, so that retransmitted bytes are dropped, and the bytes a parser
 * left unconsumed, handed back in front of the next data.
 *
 * The positions live in the first STREAM_STATE_SIZE bytes of the kernel's
 * private state (so they survive a restart of ctalgd); the carried bytes
 * live in the connection cache (lost on restart: the stream then resyncs).
 */
#ifndef CTALGD_STREAM_H
#define CTALGD_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include <ctalg/helper.h>

#include "conncache.h"

#define STREAM_STATE_SIZE 12
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

#endif
