/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table-driven cases for a helper, fed through ctalgd's own stream engine
 * (stream.c). A case is a session: segments (or datagrams) from the client
 * and the server, some after lost bytes, and what the helper must make of
 * them: the requests (destination, port, source), the first error (a part
 * of its text; none: every call returns CTALG_PARSE_OK) and, for TCP, the
 * bytes carried in the last segment's direction at the end.
 *
 * Each case runs
 *   - as given, comparing all of that;
 *   - on every prefix of the session, each call's data in an exact-size
 *     buffer: the SDK contract holds and nothing is read past the end (the
 *     -asan build of the test catches it); for TCP also no request the
 *     whole does not make, in the same order, and no error where the whole
 *     has none (a datagram cut short is another datagram: only the
 *     contract is checked for UDP);
 *   - TCP: with each segment cut in two at every position, and byte by
 *     byte: the same requests, the same first error, the same carry.
 * A failing case prints what the helper did, as a case ready to paste
 * once checked.
 */
#ifndef CTALG_TEST_VECRUN_H
#define CTALG_TEST_VECRUN_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "stream.h"
#include "tap.h"

#define VR_SEGS 48
#define VR_EXP	8

/* The connections, with the helper's first port as the server's. */
enum vr_conn {
	VR_V4,	 /* 192.0.2.10:40000 -> 198.51.100.20 */
	VR_V6,	 /* [2001:db8::10]:40000 -> [2001:db8:1::20] */
	VR_V4LO, /* 127.0.0.1 for both */
	VR_V6LO, /* ::1 for both */
};

#define VR_C4 "192.0.2.10"
#define VR_S4 "198.51.100.20"
#define VR_C6 "2001:db8::10"
#define VR_S6 "2001:db8:1::20"

struct vr_seg {
	enum ctalg_dir dir;
	bool gap; /* bytes before these were lost */
	const char *bytes;
	size_t len;
};

/* A request: TCP or UDP as the helper's check says, from src exactly. */
struct vr_want {
	const char *dst;
	uint16_t port;
	const char *src;
};

struct vr_case {
	const char *name;
	enum vr_conn conn;
	struct vr_seg seg[VR_SEGS];
	size_t keep;	   /* TCP: carried in the last segment's direction */
	const char *error; /* part of the first error; NULL: none */
	struct vr_want exp[VR_EXP];
};

/* Segments from the client and the server; G: after lost bytes. */
#define VR_C(s)                                               \
	{                                                     \
		CTALG_DIR_ORIGINAL, false, (s), sizeof(s) - 1 \
	}
#define VR_S(s)                                            \
	{                                                  \
		CTALG_DIR_REPLY, false, (s), sizeof(s) - 1 \
	}
#define VR_CG(s)                                             \
	{                                                    \
		CTALG_DIR_ORIGINAL, true, (s), sizeof(s) - 1 \
	}
#define VR_SG(s)                                          \
	{                                                 \
		CTALG_DIR_REPLY, true, (s), sizeof(s) - 1 \
	}

struct vr_helper {
	const struct ctalg_helper *h;
	/* The helper's own rules for every call (NULL: none). */
	const char *(*check)(const struct ctalg_parse *p, void *arg);
};

static const char *const vr_conn_names[] = { "VR_V4", "VR_V6", "VR_V4LO",
					     "VR_V6LO" };

static inline void vr_conn_make(const struct ctalg_helper *h, enum vr_conn k,
				struct ctalg_conn *conn)
{
	static const char *const client[] = { VR_C4, VR_C6, "127.0.0.1", "::1" };
	static const char *const server[] = { VR_S4, VR_S6, "127.0.0.1", "::1" };
	uint8_t family = k == VR_V6 || k == VR_V6LO ? AF_INET6 : AF_INET;

	if (!stream_conn_make(conn, family, h->l4proto, client[k], 40000,
			      server[k], h->ports[0] ? h->ports[0] : 1))
		abort();
}

static inline size_t vr_nseg(const struct vr_case *c)
{
	size_t n = 0;

	while (n < VR_SEGS && c->seg[n].bytes)
		n++;
	return n;
}

static inline unsigned int vr_nexp(const struct vr_case *c)
{
	unsigned int n = 0;

	while (n < VR_EXP && c->exp[n].dst)
		n++;
	return n;
}

static inline size_t vr_total(const struct vr_case *c)
{
	size_t i, n = 0;

	for (i = 0; i < vr_nseg(c); i++)
		n += c->seg[i].len;
	return n;
}

static inline bool vr_tcp(const struct vr_helper *vh)
{
	return vh->h->l4proto == IPPROTO_TCP;
}

static inline void vr_init(const struct vr_helper *vh, const struct vr_case *c,
			   struct stream *s)
{
	struct ctalg_conn conn;

	vr_conn_make(vh->h, c->conn, &conn);
	if (!stream_init(s, vh->h, &conn))
		abort();
	/* UDP has no stream: consumed means nothing there. */
	s->strict_carry = vr_tcp(vh);
	s->check = vh->check;
}

/*
 * How to feed a case: @limit bytes of it in all (the prefix), segment
 * @cut cut in two at @at, or every byte alone (@bytewise).
 */
struct vr_how {
	size_t limit;
	size_t cut;
	size_t at;
	bool bytewise;
};

static inline const char *vr_feed(const struct vr_case *c, struct stream *s,
				  const struct vr_how *how)
{
	size_t i, k, fed = 0, n = vr_nseg(c);
	const char *bad = NULL;

	for (i = 0; i < n && !bad && fed < how->limit; i++) {
		const struct vr_seg *g = &c->seg[i];
		size_t len = g->len;

		if (len > how->limit - fed)
			len = how->limit - fed;
		fed += len;
		if (how->bytewise) {
			for (k = 0; k < len && !bad; k++)
				bad = stream_feed(s, g->dir, g->bytes + k, 1,
						  k == 0 && g->gap);
		} else if (i == how->cut && how->at > 0 && how->at < len) {
			bad = stream_feed(s, g->dir, g->bytes, how->at, g->gap);
			if (!bad)
				bad = stream_feed(s, g->dir, g->bytes + how->at,
						  len - how->at, false);
		} else {
			bad = stream_feed(s, g->dir, g->bytes, len, g->gap);
		}
	}
	return bad;
}

static inline bool vr_req_is(const struct ctalg_exp_req *e,
			     const struct vr_want *w, uint8_t family)
{
	union ctalg_addr dst = { 0 }, src = { 0 };

	if (inet_pton(family, w->dst, &dst) != 1 ||
	    inet_pton(family, w->src, &src) != 1)
		return false;
	return !memcmp(&e->dst, &dst, sizeof(dst)) &&
	       !memcmp(&e->src, &src, sizeof(src)) && e->dport == w->port;
}

/* The stream's requests are exactly the case's. */
static inline bool vr_reqs_are(const struct stream *s, const struct vr_case *c)
{
	unsigned int i, n = vr_nexp(c);

	if (s->n_exp != n || s->exp_overflow)
		return false;
	for (i = 0; i < n; i++)
		if (!vr_req_is(&s->exp[i], &c->exp[i], s->conn.family))
			return false;
	return true;
}

/* Bytes as a C string literal; a hex escape never runs into a digit. */
static inline void vr_print_bytes(const char *pre, const char *bytes,
				  size_t len, const char *post)
{
	const unsigned char *p = (const unsigned char *)bytes;
	bool hex = false;
	size_t i;

	printf("#   %s\"", pre);
	for (i = 0; i < len; i++) {
		bool xd = (p[i] >= '0' && p[i] <= '9') ||
			  (p[i] >= 'a' && p[i] <= 'f') ||
			  (p[i] >= 'A' && p[i] <= 'F');

		if (p[i] == '\n' || p[i] == '\r' || p[i] == '\t') {
			printf("\\%c", p[i] == '\n'   ? 'n'
				       : p[i] == '\r' ? 'r'
						      : 't');
			hex = false;
		} else if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' &&
			   p[i] != '\\') {
			if (hex && xd)
				printf("\" \"");
			putchar(p[i]);
			hex = false;
		} else {
			printf("\\x%02x", p[i]);
			hex = true;
		}
	}
	printf("\"%s\n", post);
}

/* What the helper did with the case, as a case (check before pasting). */
static inline void vr_print(const struct vr_case *c, const struct stream *s,
			    const char *violation)
{
	static const char *const seg_macro[2][2] = { { "VR_C(", "VR_CG(" },
						     { "VR_S(", "VR_SG(" } };
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	size_t i, n = vr_nseg(c);
	const uint8_t *carry;

	if (violation)
		tap_diag("SDK contract broken: %s", violation);
	tap_diag("the helper did this (check it before pasting):");
	tap_diag("{ \"%s\", %s,", c->name, vr_conn_names[c->conn]);
	tap_diag("  {");
	for (i = 0; i < n; i++)
		vr_print_bytes(seg_macro[c->seg[i].dir][c->seg[i].gap],
			       c->seg[i].bytes, c->seg[i].len, "),");
	tap_diag("  },");
	if (n && s->helper->l4proto == IPPROTO_TCP)
		tap_diag("  .keep = %u,",
			 stream_carry(s, c->seg[n - 1].dir, &carry));
	if (s->errors)
		tap_diag("  .error = \"%s\",", s->first_error);
	for (i = 0; i < s->n_exp; i++) {
		inet_ntop(s->conn.family, &s->exp[i].dst, dst, sizeof(dst));
		inet_ntop(s->conn.family, &s->exp[i].src, src, sizeof(src));
		tap_diag("  .exp[%zu] = { \"%s\", %u, \"%s\" },", i, dst,
			 s->exp[i].dport, src);
	}
	tap_diag("},");
}

/* The first error is the case's (or there is none, as the case says). */
static inline bool vr_error_is(const struct stream *s, const struct vr_case *c)
{
	if (!c->error)
		return s->errors == 0;
	return s->errors > 0 && strstr(s->first_error, c->error);
}

static inline void vr_once(const struct vr_helper *vh, const struct vr_case *c)
{
	struct vr_how how = { .limit = vr_total(c), .cut = VR_SEGS };
	size_t n = vr_nseg(c);
	const char *bad;
	struct stream s;
	bool ok;

	vr_init(vh, c, &s);
	bad = vr_feed(c, &s, &how);
	ok = !bad && vr_reqs_are(&s, c) && vr_error_is(&s, c);
	if (vr_tcp(vh) && n)
		ok = ok && stream_carry(&s, c->seg[n - 1].dir, NULL) == c->keep;
	if (!tap_ok(ok, "%s", c->name))
		vr_print(c, &s, bad);
	stream_free(&s);
}

static inline void vr_prefixes(const struct vr_helper *vh,
			       const struct vr_case *c)
{
	size_t k, total = vr_total(c), at = 0;
	unsigned int i, want = vr_nexp(c);
	const char *bad = NULL;

	for (k = 0; k <= total && !bad; k++) {
		struct vr_how how = { .limit = k, .cut = VR_SEGS };
		struct stream s;

		vr_init(vh, c, &s);
		bad = vr_feed(c, &s, &how);
		if (!bad && vr_tcp(vh) && s.errors && !c->error)
			bad = "an error in a prefix only";
		for (i = 0; !bad && vr_tcp(vh) && i < s.n_exp; i++)
			if (i >= want ||
			    !vr_req_is(&s.exp[i], &c->exp[i], s.conn.family))
				bad = "a request the whole does not make";
		at = k;
		stream_free(&s);
	}
	if (!tap_ok(!bad, "%s: every prefix", c->name))
		tap_diag("%s (the first %zu bytes)", bad, at);
}

/* Every byte alone only: for cases too long to cut everywhere. */
static inline void vr_bytewise(const struct vr_helper *vh,
			       const struct vr_case *c)
{
	struct vr_how how = { .limit = vr_total(c),
			      .cut = VR_SEGS,
			      .bytewise = true };
	const char *bad;
	struct stream s;

	vr_init(vh, c, &s);
	bad = vr_feed(c, &s, &how);
	if (!bad && (!vr_error_is(&s, c) || (!c->error && !vr_reqs_are(&s, c))))
		bad = "another outcome than as given";
	if (!tap_ok(!bad, "%s: byte by byte", c->name))
		tap_diag("%s", bad);
	stream_free(&s);
}

static inline void vr_cuts(const struct vr_helper *vh, const struct vr_case *c)
{
	size_t n = vr_nseg(c), i, k, seg = 0, at = 0;
	const char *bad = NULL;

	/* i == n: every byte alone. */
	for (i = 0; i <= n && !bad; i++) {
		for (k = 1; !bad && (i == n ? k == 1 : k < c->seg[i].len); k++) {
			struct vr_how how = { .limit = vr_total(c),
					      .cut = i,
					      .at = k,
					      .bytewise = i == n };
			struct stream s;

			vr_init(vh, c, &s);
			bad = vr_feed(c, &s, &how);
			if (!bad && !vr_error_is(&s, c))
				bad = c->error ? "another first error, or none"
					       : "an error appeared";
			if (!bad && !c->error && !vr_reqs_are(&s, c))
				bad = "other requests than as given";
			if (!bad && !c->error && n &&
			    stream_carry(&s, c->seg[n - 1].dir, NULL) != c->keep)
				bad = "another carry than as given";
			seg = i;
			at = k;
			stream_free(&s);
		}
	}
	if (!tap_ok(!bad, "%s: cut anywhere, and byte by byte", c->name)) {
		if (seg == n)
			tap_diag("%s (byte by byte)", bad);
		else
			tap_diag("%s (segment %zu cut after %zu bytes)", bad,
				 seg, at);
	}
}

/* Free what vr_load() allocated. */
static inline void vr_unload(struct vr_case *c)
{
	size_t i, n = vr_nseg(c);

	for (i = 0; i < n; i++) {
		free((void *)(uintptr_t)c->seg[i].bytes);
		c->seg[i].bytes = NULL;
	}
}

/* One escape of a transcript line (fuzz/mkseed.py's subset); -1: bad. */
static inline int vr_unescape(const char **p)
{
	const char *s = *p;
	unsigned int v = 0;
	int i;

	*p = s + 1;
	switch (*s) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case '0':
		return 0;
	case '\\':
	case '\'':
	case '"':
		return *s;
	case 'x':
		for (i = 1; i <= 2; i++) {
			char c = s[i];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned int)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned int)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= (unsigned int)(c - 'A' + 10);
			else
				return -1;
		}
		*p = s + 3;
		return (int)v;
	default:
		return -1;
	}
}

/*
 * Read a session transcript (fuzz/seeds/NAME/FILE, the format of
 * fuzz/mkseed.py) into @c's segments and connection; the rest of @c is
 * left as it is; vr_unload() frees the bytes. Returns false, saying why, when
 * the file cannot be read or has more than VR_SEGS segments.
 */
static inline bool vr_load(const char *seeds, const char *file, struct vr_case *c)
{
	const char *src = getenv("SRCDIR");
	char path[512], line[65536];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz/seeds/%s/%s", src ? src : ".",
		 seeds, file);
	f = fopen(path, "r");
	if (!f) {
		tap_diag("cannot read %s", path);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");
		const char *p = line, *end = line + len;
		char *buf, *q;
		bool reply, gap;
		int ch;

		line[len] = '\0';
		if (line[0] == '@') {
			bool v6 = strstr(line, "v6"), lo = strstr(line, " lo");

			c->conn = v6 ? (lo ? VR_V6LO : VR_V6)
				     : (lo ? VR_V4LO : VR_V4);
			continue;
		}
		if (line[0] != '<' && line[0] != '>')
			continue;
		reply = line[0] == '<';
		gap = line[1] == '!';
		p += gap ? 3 : 2;
		buf = q = malloc(len + 1);
		if (!buf || n == VR_SEGS || p > end) {
			tap_diag("%s: too many or bad segments", path);
			free(buf);
			fclose(f);
			vr_unload(c);
			return false;
		}
		while (p < end) {
			if (*p != '\\') {
				*q++ = *p++;
				continue;
			}
			p++;
			ch = vr_unescape(&p);
			if (ch < 0) {
				tap_diag("%s: bad escape", path);
				free(buf);
				fclose(f);
				vr_unload(c);
				return false;
			}
			*q++ = (char)ch;
		}
		c->seg[n++] = (struct vr_seg){
			.dir = reply ? CTALG_DIR_REPLY : CTALG_DIR_ORIGINAL,
			.gap = gap,
			.bytes = buf,
			.len = (size_t)(q - buf),
		};
	}
	fclose(f);
	return n > 0;
}

static inline void vr_run(const struct vr_helper *vh, const struct vr_case *c)
{
	vr_once(vh, c);
	vr_prefixes(vh, c);
	if (vr_tcp(vh))
		vr_cuts(vh, c);
}

static inline void vr_run_table(const struct vr_helper *vh,
				const struct vr_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vr_run(vh, &cases[i]);
}

#endif
