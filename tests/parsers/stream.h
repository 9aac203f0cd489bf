/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A helper fed the data of one connection through ctalgd's own stream
 * engine (daemon/stream.c) and connection cache, for parser tests and fuzz
 * targets: a test can cut a session into segments anywhere and check what
 * the helper asks for.
 *
 * TCP: sequence numbers are kept per direction, so the engine carries what
 * the parser did not consume and hands it back, and a gap (lost bytes)
 * makes it drop the carry and resync, exactly as in the daemon. UDP: each
 * datagram alone. Every call's data, and the carry joined to it, is in its
 * own malloc'd buffer of exactly its size, so AddressSanitizer sees a read
 * past the end; bytes past the helper's private state are checked to stay
 * untouched.
 *
 * stream_feed() also checks the parts of the SDK contract that hold for
 * every helper, and returns a description of the first broken one.
 */
#ifndef CTALG_TEST_STREAM_H
#define CTALG_TEST_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ctalg/helper.h>

#include "conncache.h"

/* Requests kept per stream; more set exp_overflow. */
#define STREAM_EXP_MAX 64

struct stream {
	const struct ctalg_helper *helper;
	struct ctalg_conn conn;
	struct conncache cache; /* one connection, the daemon's cache */
	struct conn *c;
	void *priv;	 /* the helper's state, in c->priv */
	uint32_t seq[2]; /* next sequence number of each direction */
	/*
	 * Set by the caller: the helper never leaves more than carry_max
	 * unconsumed (it handles its own over-long messages), and a check of
	 * the helper's own rules run after every call (NULL or what is wrong).
	 */
	bool strict_carry;
	const char *(*check)(const struct ctalg_parse *p, void *arg);
	void *check_arg;

	/* Results so far. */
	unsigned int calls;
	unsigned int errors; /* calls that returned CTALG_PARSE_ERROR */
	unsigned int drops;  /* carries dropped for being over carry_max */
	bool full;	     /* a call returned CTALG_EXP_PER_PACKET requests */
	const char *first_error;
	unsigned int exp_before_error; /* requests before the first error */
	unsigned int n_exp;
	bool exp_overflow;
	struct ctalg_exp_req exp[STREAM_EXP_MAX];
	struct ctalg_parse last; /* the last call's parse state */
};

/*
 * A connection of @family from @client:@sport to @server:@dport (address
 * text, ports in host order) as the kernel reports it without NAT. Returns
 * false when an address does not parse.
 */
bool stream_conn_make(struct ctalg_conn *conn, uint8_t family, uint8_t l4proto,
		      const char *client, uint16_t sport, const char *server,
		      uint16_t dport);

/* Start a stream of @helper on @conn. Returns false when out of memory. */
bool stream_init(struct stream *s, const struct ctalg_helper *helper,
		 const struct ctalg_conn *conn);
void stream_free(struct stream *s);

/*
 * Feed @len bytes of direction @dir. With @gap, bytes before these were
 * lost (the carry goes, resync is set). Returns NULL, or what the helper
 * did that the SDK does not allow.
 */
const char *stream_feed(struct stream *s, enum ctalg_dir dir, const void *data,
			size_t len, bool gap);

/* The bytes carried in direction @dir (their count; *@data may be NULL). */
uint32_t stream_carry(const struct stream *s, enum ctalg_dir dir,
		      const uint8_t **data);

/* True when both streams' first @n requests are the same, in order. */
bool stream_same_requests(const struct stream *a, const struct stream *b,
			  unsigned int n);

/*
 * One request as "UDP from 198.51.100.20/32 port * to 192.0.2.10 port
 * 40000 class 0 permanent helper"; a source of prefix 0 is "any".
 */
void stream_req_text(const struct ctalg_exp_req *e, uint8_t family, char *buf,
		     size_t size);

/*
 * stream_feed() of @len bytes cut at the @n offsets @cuts (sorted, inside
 * the data): one call per piece, @gap on the first only. Returns the
 * first complaint, or NULL.
 */
const char *stream_feed_cut(struct stream *s, enum ctalg_dir dir,
			    const void *data, size_t len, bool gap,
			    const size_t *cuts, size_t n);

#endif
