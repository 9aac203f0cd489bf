/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Counters. Each counter has one writer (the worker thread of its queue)
 * and is read by the control thread; relaxed atomic stores and loads keep
 * the reads whole without a locked instruction on the packet path.
 */
#ifndef CTALGD_STATS_H
#define CTALGD_STATS_H

#include <stdint.h>

#define STAT_ADD(field, n) \
	__atomic_store_n(&(field), (field) + (n), __ATOMIC_RELAXED)
#define STAT_INC(field) STAT_ADD(field, 1)
#define STAT_GET(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)

/* Why ctalgd refused an expectation a helper asked for. */
enum refusal {
	REFUSE_NONE = 0,
	REFUSE_ADDRESS, /* not to the side that announced it */
	REFUSE_PORT,	/* port 0, or below the port floor */
	REFUSE_CLASS,	/* no such expectation class */
	REFUSE_MAX,	/* more than the class maximum from one packet */
	REFUSE_MASK, /* a source prefix longer than the address, or unknown flags */
	REFUSE_PROTO,  /* not TCP or UDP */
	REFUSE_KERNEL, /* the kernel refused to create it */
	REFUSE_COUNT,
};

struct helper_stats {
	uint64_t packets;     /* queued to this helper */
	uint64_t bytes;	      /* of those packets */
	uint64_t parsed;      /* data handed to the parser */
	uint64_t fastpath;    /* packets of expected connections */
	uint64_t exp_sent;    /* expectations sent to the kernel */
	uint64_t exp_created; /* the kernel's EXP_NEW events for them */
	uint64_t exp_refused; /* refused by policy, all reasons */
	uint64_t refused[REFUSE_COUNT];
	uint64_t parse_errors;	/* malformed input, said the parser */
	uint64_t malformed;	/* packets whose headers did not parse */
	uint64_t retransmitted; /* segments seen before */
	uint64_t stream_gaps;	/* bytes missing from a stream */
	uint64_t overlong;	/* messages longer than carry_max */
	uint64_t carry_lost;	/* carried bytes lost */
};

/* Per queue: what the socket and the kernel report. */
struct queue_stats {
	uint64_t batches;	 /* receive calls that returned packets */
	uint64_t recv_errors;	 /* ENOBUFS and others, recovered */
	uint64_t verdict_errors; /* the kernel refused a verdict */
	uint64_t unknown;	 /* packets no configured helper claims */
};

/* The daemon's watch on the kernel's expectation events. */
struct event_stats {
	uint64_t events;   /* EXP_NEW events read */
	uint64_t overruns; /* times the event socket overran: events lost */
};

const char *refusal_name(enum refusal r);

#endif
