// SPDX-License-Identifier: GPL-2.0-or-later
/* ctalgd's stream model in miniature: see stream.h. */
#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "stream.h"
#include "../../daemon/stream.h"

bool stream_conn_make(struct ctalg_conn *conn, uint8_t family, uint8_t l4proto,
		      const char *client, uint16_t sport, const char *server,
		      uint16_t dport)
{
	struct ctalg_tuple *o = &conn->tuple[CTALG_DIR_ORIGINAL];
	struct ctalg_tuple *r = &conn->tuple[CTALG_DIR_REPLY];

	memset(conn, 0, sizeof(*conn));
	conn->family = family;
	conn->l4proto = l4proto;
	if (inet_pton(family, client, &o->src) != 1 ||
	    inet_pton(family, server, &o->dst) != 1)
		return false;
	o->set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO |
		 CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
	o->family = family;
	o->l4proto = l4proto;
	o->sport = sport;
	o->dport = dport;
	*r = *o;
	r->src = o->dst;
	r->dst = o->src;
	r->sport = dport;
	r->dport = sport;
	return true;
}

bool stream_init(struct stream *s, const struct ctalg_helper *helper,
		 const struct ctalg_conn *conn)
{
	const bool tcp = helper->l4proto == IPPROTO_TCP;
	enum ctalg_parse_result r;
	struct stream_stats st;
	int dir;

	memset(s, 0, sizeof(*s));
	s->helper = helper;
	s->conn = *conn;
	if (conncache_init(&s->cache, 1, 2) < 0)
		return false;
	s->c = conncache_add(&s->cache, 1, 1);
	s->c->priv_len = (uint8_t)((tcp ? STREAM_STATE_SIZE : 0) +
				   helper->priv_size);
	s->priv = helper->priv_size ? s->c->priv + (tcp ? STREAM_STATE_SIZE : 0)
				    : NULL;
	/* The handshake: each direction's stream starts at a known place. */
	for (dir = 0; tcp && dir < 2; dir++) {
		struct stream_seg syn = { .dir = dir,
					  .seq = dir ? 5000 : 1000,
					  .syn = true };
		struct ctalg_parse p = { .conn = &s->conn, .dir = dir };

		stream_run(helper, &s->cache, s->c, &syn, &p, NULL, &r, &st);
		s->seq[dir] = syn.seq + 1;
	}
	return true;
}

void stream_free(struct stream *s)
{
	conncache_free(&s->cache);
	s->c = NULL;
	s->priv = NULL;
}

uint32_t stream_carry(const struct stream *s, enum ctalg_dir dir,
		      const uint8_t **data)
{
	uint32_t len;
	const uint8_t *p = conncache_carry(&s->cache, s->c, dir, &len);

	if (data)
		*data = p;
	return len;
}

/* The SDK rules every call must keep. */
static const char *stream_check(const struct stream *s, enum ctalg_parse_result r,
				const struct ctalg_parse *p, size_t total)
{
	unsigned int bits = s->conn.family == AF_INET6 ? 128 : 32, i;
	size_t used = (s->helper->l4proto == IPPROTO_TCP ? STREAM_STATE_SIZE : 0) +
		      s->helper->priv_size;

	if (r != CTALG_PARSE_OK && r != CTALG_PARSE_ERROR)
		return "result is neither CTALG_PARSE_OK nor CTALG_PARSE_ERROR";
	if (r == CTALG_PARSE_ERROR && (!p->error || !p->error[0]))
		return "CTALG_PARSE_ERROR without an error string";
	if (p->n_exp > CTALG_EXP_PER_PACKET)
		return "more than CTALG_EXP_PER_PACKET requests";
	if (s->helper->l4proto == IPPROTO_TCP && p->consumed > total)
		return "consumed more than it was given";
	if (s->strict_carry && s->helper->l4proto == IPPROTO_TCP &&
	    r == CTALG_PARSE_OK && total - p->consumed > s->helper->carry_max)
		return "left more than carry_max unconsumed";
	for (i = (unsigned int)used; i < CONN_PRIV_MAX; i++)
		if (s->c->priv[i])
			return "wrote past its private state";
	for (i = 0; i < p->n_exp; i++) {
		const struct ctalg_exp_req *e = &p->exp[i];

		if (e->cls >= s->helper->n_classes)
			return "request for a class the helper does not have";
		if (e->src_prefix > bits)
			return "request with a source prefix longer than the "
			       "address";
		if (e->l4proto != IPPROTO_TCP && e->l4proto != IPPROTO_UDP)
			return "request for neither TCP nor UDP";
		if (e->dport == 0)
			return "request for port 0";
	}
	return NULL;
}

static void stream_keep(struct stream *s, const struct ctalg_parse *p)
{
	unsigned int i;

	if (p->n_exp == CTALG_EXP_PER_PACKET)
		s->full = true;
	for (i = 0; i < p->n_exp; i++) {
		if (s->n_exp == STREAM_EXP_MAX) {
			s->exp_overflow = true;
			return;
		}
		s->exp[s->n_exp++] = p->exp[i];
	}
}

const char *stream_feed(struct stream *s, enum ctalg_dir dir, const void *data,
			size_t len, bool gap)
{
	const bool tcp = s->helper->l4proto == IPPROTO_TCP;
	struct ctalg_parse *p = &s->last;
	enum ctalg_parse_result r = CTALG_PARSE_OK;
	struct stream_stats st = { 0 };
	uint8_t *buf, *scratch = NULL;
	uint32_t carried;
	const char *bad;
	size_t total;

	/* A gap: one byte the helper never sees, as if a segment was lost. */
	if (gap)
		s->seq[dir]++;
	if (!len)
		return NULL; /* a pure ACK: ctalgd does not call the parser */
	buf = malloc(len);
	carried = tcp ? stream_carry(s, dir, NULL) : 0;
	if (!buf || (carried && !(scratch = malloc(carried + len)))) {
		free(buf);
		return "out of memory in the test";
	}
	memcpy(buf, data, len);
	memset(p, 0, sizeof(*p));
	p->conn = &s->conn;
	p->dir = dir;
	p->ctinfo = dir == CTALG_DIR_ORIGINAL ? IP_CT_ESTABLISHED
					      : IP_CT_ESTABLISHED_REPLY;
	if (tcp) {
		struct stream_seg seg = { .dir = dir,
					  .seq = s->seq[dir],
					  .data = buf,
					  .len = (uint32_t)len };

		/* The carry joined to this data sits exactly in scratch. */
		if (gap)
			carried = 0;
		stream_run(s->helper, &s->cache, s->c, &seg, p, scratch, &r, &st);
		s->seq[dir] += (uint32_t)len;
		s->drops += (unsigned int)st.overlong;
	} else {
		struct ctalg_cursor c = ctalg_cursor_make(buf, len);

		p->priv = s->priv;
		r = s->helper->parse(&c, p);
	}
	total = carried + len;
	s->calls++;
	bad = stream_check(s, r, p, total);
	if (!bad && s->check)
		bad = s->check(p, s->check_arg);
	if (!bad) {
		if (r == CTALG_PARSE_ERROR && !s->errors++) {
			s->first_error = p->error;
			s->exp_before_error = s->n_exp;
		}
		stream_keep(s, p);
	}
	free(buf);
	free(scratch);
	return bad;
}

static bool stream_req_eq(const struct ctalg_exp_req *a,
			  const struct ctalg_exp_req *b)
{
	return a->cls == b->cls && a->l4proto == b->l4proto &&
	       a->src_prefix == b->src_prefix && a->any_sport == b->any_sport &&
	       a->flags == b->flags &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       !memcmp(&a->dst, &b->dst, sizeof(a->dst)) &&
	       a->sport == b->sport && a->dport == b->dport;
}

bool stream_same_requests(const struct stream *a, const struct stream *b,
			  unsigned int n)
{
	unsigned int i;

	if (a->n_exp < n || b->n_exp < n)
		return false;
	for (i = 0; i < n; i++)
		if (!stream_req_eq(&a->exp[i], &b->exp[i]))
			return false;
	return true;
}

void stream_req_text(const struct ctalg_exp_req *e, uint8_t family, char *buf,
		     size_t size)
{
	char src[INET6_ADDRSTRLEN + 8], dst[INET6_ADDRSTRLEN], sport[8];
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, &e->dst, dst, sizeof(dst)) ||
	    !inet_ntop(family, &e->src, a, sizeof(a))) {
		snprintf(buf, size, "(bad family %u)", family);
		return;
	}
	if (e->src_prefix)
		snprintf(src, sizeof(src), "%s/%u", a, e->src_prefix);
	else
		snprintf(src, sizeof(src), "any");
	if (e->any_sport)
		snprintf(sport, sizeof(sport), "*");
	else
		snprintf(sport, sizeof(sport), "%u", e->sport);
	snprintf(buf, size, "%s from %s port %s to %s port %u class %u%s%s",
		 e->l4proto == IPPROTO_TCP   ? "TCP"
		 : e->l4proto == IPPROTO_UDP ? "UDP"
					     : "?",
		 src, sport, dst, e->dport, e->cls,
		 e->flags & CTALG_EXP_F_PERMANENT ? " permanent" : "",
		 e->flags & CTALG_EXP_F_HELPER ? " helper" : "");
}

const char *stream_feed_cut(struct stream *s, enum ctalg_dir dir,
			    const void *data, size_t len, bool gap,
			    const size_t *cuts, size_t n)
{
	const uint8_t *d = data;
	size_t from = 0, i;
	const char *bad;

	for (i = 0; i <= n; i++) {
		size_t to = i < n ? cuts[i] : len;

		bad = stream_feed(s, dir, d + from, to - from, i == 0 && gap);
		if (bad)
			return bad;
		from = to;
	}
	return NULL;
}
