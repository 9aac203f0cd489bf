// SPDX-License-Identifier: GPL-2.0-or-later
/* The fuzz harness for helpers: one input, one session (see fuzz.h). */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "stream.h"

#define FUZZ_LEN_LINE 0
#define FUZZ_LEN_REST 63

struct fuzz_seg {
	enum ctalg_dir dir;
	bool gap;
	const uint8_t *data;
	size_t len;
};

void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

/* Up to and including the next "\n", or all that is left. */
static size_t fuzz_line_len(const uint8_t *p, size_t left)
{
	const uint8_t *nl = memchr(p, '\n', left);

	return nl ? (size_t)(nl - p) + 1 : left;
}

/* Cut the input into segments; @segs has room for one per byte + 1. */
static size_t fuzz_segments(const uint8_t *data, size_t size,
			    struct fuzz_seg *segs)
{
	size_t nctl = size > 1 ? data[1] : 0, i, n = 0, off, len;
	const uint8_t *ctl = data + 2;
	enum ctalg_dir dir = CTALG_DIR_REPLY;

	if (size < 2)
		return 0;
	if (nctl > size - 2)
		nctl = size - 2;
	off = 2 + nctl;
	for (i = 0; i < nctl && off < size; i++) {
		len = ctl[i] & 0x3f;
		if (len == FUZZ_LEN_LINE)
			len = fuzz_line_len(data + off, size - off);
		else if (len == FUZZ_LEN_REST || len > size - off)
			len = size - off;
		segs[n++] = (struct fuzz_seg){
			.dir = ctl[i] & 0x80 ? CTALG_DIR_REPLY
					     : CTALG_DIR_ORIGINAL,
			.gap = ctl[i] & 0x40,
			.data = data + off,
			.len = len,
		};
		off += len;
	}
	for (; off < size; off += len) {
		len = fuzz_line_len(data + off, size - off);
		segs[n++] = (struct fuzz_seg){ .dir = dir,
					       .data = data + off,
					       .len = len };
		dir = !dir;
	}
	return n;
}

static void fuzz_conn(const struct ctalg_helper *h, uint8_t config,
		      struct ctalg_conn *conn)
{
	bool v6 = (config & 1) && (h->families & CTALG_HELPER_INET6);
	bool lo = config & 2;
	const char *client, *server;

	if (!(h->families & CTALG_HELPER_INET))
		v6 = true;
	if (v6) {
		client = lo ? "::1" : "2001:db8::10";
		server = lo ? "::1" : "2001:db8:1::20";
	} else {
		client = lo ? "127.0.0.1" : "192.0.2.10";
		server = lo ? "127.0.0.1" : "198.51.100.20";
	}
	if (!stream_conn_make(conn, v6 ? AF_INET6 : AF_INET, h->l4proto, client,
			      40000, server, h->ports[0] ? h->ports[0] : 1))
		fuzz_fail("bad connection addresses in the harness");
}

static void fuzz_run(struct stream *s, const struct fuzz_seg *segs, size_t n,
		     bool bytewise)
{
	const char *bad = NULL;
	size_t i, k;

	for (i = 0; i < n && !bad; i++) {
		if (!bytewise) {
			bad = stream_feed(s, segs[i].dir, segs[i].data,
					  segs[i].len, segs[i].gap);
			continue;
		}
		for (k = 0; k < segs[i].len && !bad; k++)
			bad = stream_feed(s, segs[i].dir, segs[i].data + k, 1,
					  k == 0 && segs[i].gap);
	}
	if (bad)
		fuzz_fail(bad);
}

/*
 * Cut anywhere, a session must give the same first error and, up to it,
 * the same requests; without an error, the same requests and carry. A run
 * whose carry was dropped for length, or whose requests were cut short
 * (a full packet, the stream's own limit), proves nothing.
 */
static void fuzz_compare(const struct stream *cut, const struct stream *bytes)
{
	unsigned int i;

	if (cut->drops || bytes->drops || cut->full || bytes->full ||
	    cut->exp_overflow || bytes->exp_overflow)
		return;
	if (!cut->errors != !bytes->errors)
		fuzz_fail("an error in one run only");
	if (cut->errors) {
		if (strcmp(cut->first_error, bytes->first_error))
			fuzz_fail("another first error when fed byte by byte");
		/*
		 * Byte by byte, the failing call holds only the bad message,
		 * so what it asked for before is what came before that
		 * message; as cut, the failing call may hold more.
		 */
		if (!stream_same_requests(cut, bytes, bytes->exp_before_error))
			fuzz_fail("other requests before an error when fed "
				  "byte by byte");
		return;
	}
	if (cut->n_exp != bytes->n_exp ||
	    !stream_same_requests(cut, bytes, cut->n_exp))
		fuzz_fail("other requests when fed byte by byte");
	for (i = 0; i < 2; i++) {
		const uint8_t *a, *b;
		uint32_t na = stream_carry(cut, i, &a),
			 nb = stream_carry(bytes, i, &b);

		if (na != nb || (na && memcmp(a, b, na)))
			fuzz_fail("another carry when fed byte by byte");
	}
}

void fuzz_helper_session(const struct ctalg_helper *h,
			 const struct fuzz_helper_opts *o, const uint8_t *data,
			 size_t size)
{
	struct stream *run = calloc(2, sizeof(*run));
	struct fuzz_seg *segs = calloc(size + 1, sizeof(*segs));
	struct ctalg_conn conn;
	size_t n;
	int b;

	if (!run || !segs)
		fuzz_fail("out of memory in the harness");
	fuzz_conn(h, size ? data[0] : 0, &conn);
	n = fuzz_segments(data, size, segs);
	for (b = 0; b < 2; b++) {
		if (!stream_init(&run[b], h, &conn))
			fuzz_fail("out of memory in the harness");
		run[b].strict_carry = o->strict_carry;
		run[b].check = o->check;
		fuzz_run(&run[b], segs, n, b);
	}
	fuzz_compare(&run[0], &run[1]);
	for (b = 0; b < 2; b++)
		stream_free(&run[b]);
	free(segs);
	free(run);
}
