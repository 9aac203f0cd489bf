/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fuzz harness for datagram (UDP) helpers: one input, one run of
 * datagrams on one connection, fed as ctalgd feeds them (each datagram
 * alone, in its own exact-size allocation, tests/parsers/stream.c), with
 * the SDK contract and the target's own check after every call.
 *
 * The input is what fuzz/mkseed.py writes from a transcript (fuzz.h):
 * byte 0 picks the connection from the target's table (modulo its size;
 * a transcript's "@ v6 lo" gives 0-3), byte 1 is the number N of segment
 * bytes, then the segment bytes and the payload. A segment byte: bit 7
 * the direction (1: reply), bits 0-5 the length (1-62; 0 up to and
 * including the next "\n"; 63 the rest). mkseed.py cuts a datagram longer
 * than 62 bytes into pieces of 62, so here a segment of length 62
 * continues into the next one of the same direction, unless that one has
 * bit 6 set (">!" in a transcript): a datagram whose length is a multiple
 * of 62 is followed by one written with "!". The rest of the payload
 * after N segments is one last datagram from the original side.
 *
 * A helper without private state must also give each datagram the same
 * result alone, in a fresh connection, as in the run.
 */
#ifndef CTALG_FUZZ_DGRAM_H
#define CTALG_FUZZ_DGRAM_H

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stream.h"

struct fuzz_dgram_conn {
	uint8_t family;
	const char *client;
	uint16_t sport;
	const char *server;
	uint16_t dport;
};

struct fuzz_dgram {
	enum ctalg_dir dir;
	const uint8_t *data;
	size_t len;
};

static inline bool fuzz_dgram_req_eq(const struct ctalg_exp_req *a,
				     const struct ctalg_exp_req *b)
{
	return a->cls == b->cls && a->l4proto == b->l4proto &&
	       a->src_prefix == b->src_prefix && a->any_sport == b->any_sport &&
	       a->flags == b->flags && a->sport == b->sport &&
	       a->dport == b->dport &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       !memcmp(&a->dst, &b->dst, sizeof(a->dst));
}

static inline size_t fuzz_dgram_cut(const uint8_t *data, size_t size,
				    struct fuzz_dgram *d)
{
	size_t nctl = data[1], off, i, n = 0, len;
	const uint8_t *ctl = data + 2;
	bool more = false; /* the last segment continues */

	if (nctl > size - 2)
		nctl = size - 2;
	off = 2 + nctl;
	for (i = 0; i < nctl && off < size; i++) {
		enum ctalg_dir dir = ctl[i] & 0x80 ? CTALG_DIR_REPLY
						   : CTALG_DIR_ORIGINAL;
		const uint8_t *nl;

		len = ctl[i] & 0x3f;
		if (len == 0) {
			nl = memchr(data + off, '\n', size - off);
			len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		} else if (len == 63 || len > size - off) {
			len = size - off;
		}
		if (more && d[n - 1].dir == dir && !(ctl[i] & 0x40)) {
			d[n - 1].len += len;
		} else {
			d[n++] = (struct fuzz_dgram){ dir, data + off, len };
		}
		more = (ctl[i] & 0x3f) == 62;
		off += len;
	}
	if (off < size)
		d[n++] = (struct fuzz_dgram){ CTALG_DIR_ORIGINAL, data + off,
					      size - off };
	return n;
}

static inline void fuzz_dgram_init(
    const struct ctalg_helper *h, const struct fuzz_dgram_conn *k,
    const char *(*check)(const struct ctalg_parse *, void *), struct stream *s)
{
	struct ctalg_conn c;

	if (!stream_conn_make(&c, k->family, h->l4proto, k->client, k->sport,
			      k->server, k->dport))
		fuzz_fail("bad connection addresses in the target");
	if (!stream_init(s, h, &c))
		fuzz_fail("out of memory in the harness");
	s->check = check;
}

static inline void fuzz_dgram_session(
    const struct ctalg_helper *h, const struct fuzz_dgram_conn *conns,
    size_t n_conns, const char *(*check)(const struct ctalg_parse *, void *),
    const uint8_t *data, size_t size)
{
	struct fuzz_dgram *d;
	struct stream *run;
	size_t n, i, k;

	if (size < 2)
		return;
	d = calloc(size, sizeof(*d));
	run = calloc(2, sizeof(*run));
	if (!d || !run)
		fuzz_fail("out of memory in the harness");
	n = fuzz_dgram_cut(data, size, d);
	fuzz_dgram_init(h, &conns[data[0] % n_conns], check, &run[0]);
	for (i = 0; i < n; i++) {
		unsigned int before = run[0].n_exp, errors = run[0].errors;
		const char *bad = stream_feed(&run[0], d[i].dir, d[i].data,
					      d[i].len, false);

		if (bad)
			fuzz_fail(bad);
		if (h->priv_size || run[0].exp_overflow)
			continue;
		/* The same datagram alone. */
		fuzz_dgram_init(h, &conns[data[0] % n_conns], check, &run[1]);
		bad = stream_feed(&run[1], d[i].dir, d[i].data, d[i].len, false);
		if (bad)
			fuzz_fail(bad);
		if ((run[1].errors != 0) != (run[0].errors != errors) ||
		    run[1].n_exp != run[0].n_exp - before ||
		    (run[1].errors &&
		     strcmp(run[1].first_error, run[0].last.error)))
			fuzz_fail("a datagram alone gives another result than "
				  "in the run");
		for (k = 0; k < run[1].n_exp; k++)
			if (!fuzz_dgram_req_eq(&run[1].exp[k],
					       &run[0].exp[before + k]))
				fuzz_fail("a datagram alone asks for other "
					  "requests than in the run");
		stream_free(&run[1]);
	}
	stream_free(&run[0]);
	free(run);
	free(d);
}

#endif
