/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table-driven vectors for a helper, run through stream.c (ctalgd's own
 * stream engine for TCP, one datagram per call for UDP). A vector is one
 * call of the parser: bytes, connection, direction (and for TCP resync)
 * in; the expected result (a part of the error string, or none), for TCP
 * the bytes left unconsumed, and the requests out, written as text
 * (stream_req_text()), so a failure prints a vector ready to paste.
 *
 * Each vector also runs on each of its prefixes, each in its own
 * exact-size allocation: no read past the end (the -asan build of the
 * test catches one), the SDK contract and the helper's own check hold.
 * For TCP a prefix may ask only for the whole's first requests, and the
 * vector is also cut in two at every position and fed byte by byte: the
 * same requests, error and carry as in one piece.
 */
#ifndef CTALG_TEST_HELPER_VEC_H
#define CTALG_TEST_HELPER_VEC_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "stream.h"
#include "tap.h"

#define ORIG  CTALG_DIR_ORIGINAL
#define REPLY CTALG_DIR_REPLY

#define B(s) .bytes = (s), .len = sizeof(s) - 1

/* Room for stream_req_text() of any request. */
#define HV_TEXT 256

/* A connection as the kernel reports it: client side opened it. */
struct hv_conn {
	const char *name; /* the enum constant naming it, for printing */
	uint8_t family;
	const char *client;
	uint16_t sport;
	const char *server;
	uint16_t dport;
};

struct hv_vec {
	const char *name;
	const char *bytes;
	size_t len;
	unsigned int conn; /* index into the suite's connections */
	enum ctalg_dir dir;
	bool resync;	   /* TCP */
	size_t keep;	   /* TCP: bytes left unconsumed */
	const char *error; /* part of p->error; NULL: CTALG_PARSE_OK */
	const char *exp[CTALG_EXP_PER_PACKET]; /* stream_req_text() of each */
};

struct hv_suite {
	const struct ctalg_helper *helper;
	const struct hv_conn *conns;
	unsigned int n_conns;
	const char *(*check)(const struct ctalg_parse *p, void *arg);
};

static inline unsigned int hv_want_count(const struct hv_vec *v)
{
	unsigned int n = 0;

	while (n < CTALG_EXP_PER_PACKET && v->exp[n])
		n++;
	return n;
}

static inline bool hv_tcp(const struct hv_suite *s)
{
	return s->helper->l4proto == IPPROTO_TCP;
}

static inline void hv_stream_init(const struct hv_suite *s, struct stream *st,
				  unsigned int conn)
{
	const struct hv_conn *k = &s->conns[conn];
	struct ctalg_conn c;

	if (conn >= s->n_conns ||
	    !stream_conn_make(&c, k->family, s->helper->l4proto, k->client,
			      k->sport, k->server, k->dport) ||
	    !stream_init(st, s->helper, &c))
		abort();
	st->strict_carry = hv_tcp(s); /* stream.c checks it for UDP too */
	st->check = s->check;
}

/* The first @n requests of @st are the texts @want[0 .. n-1]. */
static inline bool hv_reqs_are(const struct stream *st, const char *const *want,
			       unsigned int n)
{
	char text[HV_TEXT];
	unsigned int i;

	if (st->n_exp < n || st->exp_overflow)
		return false;
	for (i = 0; i < n; i++) {
		stream_req_text(&st->exp[i], st->conn.family, text, sizeof(text));
		if (strcmp(text, want[i]))
			return false;
	}
	return true;
}

/* What the helper did with @v, as a vector to paste once checked. */
static inline void hv_print(const struct hv_suite *s, const struct hv_vec *v,
			    const struct stream *st, const char *violation)
{
	char text[HV_TEXT];
	unsigned int i;

	if (violation)
		tap_diag("contract broken: %s", violation);
	tap_diag("the helper did this (check it before pasting):");
	tap_diag("{ \"%s\",", v->name);
	tap_diag_bytes("  B(...)", v->bytes, v->len);
	tap_diag("  .conn = %s, .dir = %s,%s", s->conns[v->conn].name,
		 v->dir == ORIG ? "ORIG" : "REPLY",
		 v->resync ? " .resync = true," : "");
	if (hv_tcp(s))
		tap_diag("  .keep = %zu,", (size_t)(v->len - st->last.consumed));
	if (st->errors)
		tap_diag("  .error = \"%s\",", st->first_error);
	if (st->n_exp)
		tap_diag("  .exp = {");
	for (i = 0; i < st->n_exp; i++) {
		stream_req_text(&st->exp[i], st->conn.family, text, sizeof(text));
		tap_diag("\t\"%s\",", text);
	}
	if (st->n_exp)
		tap_diag("  },");
	tap_diag("},");
}

/* One call with all of the vector: everything as written. */
static inline void hv_once(const struct hv_suite *s, const struct hv_vec *v)
{
	unsigned int n = hv_want_count(v);
	struct stream st;
	const char *bad;
	bool ok;

	hv_stream_init(s, &st, v->conn);
	bad = stream_feed(&st, v->dir, v->bytes, v->len, v->resync);
	ok = !bad && st.calls == (v->len ? 1u : 0u) && st.n_exp == n &&
	     hv_reqs_are(&st, v->exp, n);
	if (hv_tcp(s))
		ok = ok && st.last.consumed == v->len - v->keep;
	if (v->error)
		ok = ok && st.errors == 1 && strstr(st.first_error, v->error);
	else
		ok = ok && st.errors == 0;
	if (!tap_ok(ok, "%s", v->name))
		hv_print(s, v, &st, bad);
	stream_free(&st);
}

/*
 * Every prefix in a fresh exact-size buffer and a fresh connection: the
 * contract and the helper's check hold. A TCP prefix has only the lines
 * of the whole that are complete in it: an error only where the whole has
 * one, at most the whole's first requests.
 */
static inline void hv_prefixes(const struct hv_suite *s, const struct hv_vec *v)
{
	unsigned int n = hv_want_count(v), i;
	const char *bad = NULL;
	size_t k, at = 0;

	for (k = 0; k <= v->len && !bad; k++) {
		struct stream st;

		hv_stream_init(s, &st, v->conn);
		bad = stream_feed(&st, v->dir, v->bytes, k, v->resync);
		if (!bad && hv_tcp(s) && st.errors && !v->error)
			bad = "an error in a prefix only";
		for (i = 0; !bad && hv_tcp(s) && i < st.n_exp; i++)
			if (i >= n || !hv_reqs_are(&st, v->exp, i + 1))
				bad = "a request the whole does not make";
		at = k;
		stream_free(&st);
	}
	if (!tap_ok(!bad, "%s: every prefix", v->name)) {
		tap_diag("%s", bad);
		tap_diag_bytes("prefix", v->bytes, at);
	}
}

/*
 * TCP: cut in two at every position, and byte by byte; through the carry,
 * the same requests and carry as in one piece, or the same error.
 */
static inline void hv_cuts(const struct hv_suite *s, const struct hv_vec *v)
{
	size_t *cuts = calloc(v->len + 1, sizeof(*cuts)), k, at = 0;
	unsigned int n = hv_want_count(v);
	const char *bad = NULL;
	struct stream st;

	if (!cuts)
		abort();
	for (k = 0; k + 1 < v->len; k++)
		cuts[k] = k + 1;
	for (k = 0; k <= v->len && !bad; k++) {
		size_t one = k;

		hv_stream_init(s, &st, v->conn);
		if (k == v->len)
			bad = stream_feed_cut(&st, v->dir, v->bytes, v->len,
					      v->resync, cuts,
					      v->len ? v->len - 1 : 0);
		else
			bad = stream_feed_cut(&st, v->dir, v->bytes, v->len,
					      v->resync, &one, k ? 1 : 0);
		if (!bad && !!st.errors != !!v->error)
			bad = v->error ? "the error is gone"
				       : "an error appeared";
		if (!bad && v->error && !strstr(st.first_error, v->error))
			bad = "another error than in one piece";
		if (!bad && !v->error &&
		    (st.n_exp != n || !hv_reqs_are(&st, v->exp, n)))
			bad = "other requests than in one piece";
		if (!bad && !v->error &&
		    stream_carry(&st, v->dir, NULL) != v->keep)
			bad = "another carry than in one piece";
		at = k;
		stream_free(&st);
	}
	free(cuts);
	if (!tap_ok(!bad, "%s: cut anywhere", v->name))
		tap_diag("%s (cut at %zu%s)", bad, at,
			 at == v->len ? ": byte by byte" : "");
}

static inline void hv_run(const struct hv_suite *s, const struct hv_vec *v)
{
	hv_once(s, v);
	hv_prefixes(s, v);
	if (hv_tcp(s))
		hv_cuts(s, v);
}

static inline void hv_run_all(const struct hv_suite *s, const struct hv_vec *v,
			      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		hv_run(s, &v[i]);
}

#endif
