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
	memset(s, 0, sizeof(*s));
	s->helper = helper;
	s->conn = *conn;
	if (helper->priv_size) {
		/* Exactly priv_size: a write past it is an ASan report. */
		s->priv = calloc(1, helper->priv_size);
		if (!s->priv)
			return false;
	}
	return true;
}

void stream_free(struct stream *s)
{
	free(s->priv);
	s->priv = NULL;
}

/* The SDK rules every call must keep. */
static const char *stream_check(const struct stream *s, enum ctalg_parse_result r,
				const struct ctalg_parse *p, size_t total)
{
	unsigned int bits = s->conn.family == AF_INET6 ? 128 : 32, i;

	if (r != CTALG_PARSE_OK && r != CTALG_PARSE_ERROR)
		return "result is neither CTALG_PARSE_OK nor CTALG_PARSE_ERROR";
	if (r == CTALG_PARSE_ERROR && (!p->error || !p->error[0]))
		return "CTALG_PARSE_ERROR without an error string";
	if (p->n_exp > CTALG_EXP_PER_PACKET)
		return "more than CTALG_EXP_PER_PACKET requests";
	if (s->helper->l4proto == IPPROTO_TCP && p->consumed > total)
		return "consumed more than it was given";
	if (s->strict_carry && r == CTALG_PARSE_OK &&
	    total - p->consumed > s->helper->carry_max)
		return "left more than carry_max unconsumed";
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
	struct stream_dir *d = &s->dir[dir];
	const bool tcp = s->helper->l4proto == IPPROTO_TCP;
	struct ctalg_parse *p = &s->last;
	enum ctalg_parse_result r;
	struct ctalg_cursor c;
	const char *bad;
	size_t total, rest;
	uint8_t *buf;

	if (gap) {
		d->carry_len = 0;
		d->resync = true;
	}
	if (!len)
		return NULL; /* a pure ACK: ctalgd does not call the parser */
	if (!tcp)
		d->carry_len = 0;
	total = d->carry_len + len;
	buf = malloc(total);
	if (!buf)
		return "out of memory in the test";
	memcpy(buf, d->carry, d->carry_len);
	memcpy(buf + d->carry_len, data, len);

	memset(p, 0, sizeof(*p));
	p->conn = &s->conn;
	p->dir = dir;
	p->ctinfo = dir == CTALG_DIR_ORIGINAL ? IP_CT_ESTABLISHED
					      : IP_CT_ESTABLISHED_REPLY;
	p->resync = tcp && d->resync;
	p->priv = s->priv;
	c = ctalg_cursor_make(buf, total);
	r = s->helper->parse(&c, p);
	s->calls++;
	bad = stream_check(s, r, p, total);
	if (!bad && c.off > total)
		bad = "moved the cursor past the data";
	if (!bad && s->check)
		bad = s->check(p, s->check_arg);
	if (bad)
		goto out;
	if (r == CTALG_PARSE_ERROR && !s->errors++) {
		s->first_error = p->error;
		s->exp_before_error = s->n_exp;
	}
	stream_keep(s, p);
	if (!tcp)
		goto out;
	rest = total - p->consumed;
	if (r == CTALG_PARSE_ERROR || rest > s->helper->carry_max) {
		if (r == CTALG_PARSE_OK)
			s->drops++;
		d->carry_len = 0;
		d->resync = true;
	} else {
		memmove(d->carry, buf + p->consumed, rest);
		d->carry_len = rest;
		d->resync = false;
	}
out:
	free(buf);
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
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], sport[8];

	if (!inet_ntop(family, &e->src, src, sizeof(src)) ||
	    !inet_ntop(family, &e->dst, dst, sizeof(dst))) {
		snprintf(buf, size, "(bad family %u)", family);
		return;
	}
	if (e->any_sport)
		snprintf(sport, sizeof(sport), "*");
	else
		snprintf(sport, sizeof(sport), "%u", e->sport);
	snprintf(buf, size, "%s from %s/%u port %s to %s port %u class %u%s",
		 e->l4proto == IPPROTO_TCP ? "TCP" : "UDP", src, e->src_prefix,
		 sport, dst, e->dport, e->cls,
		 e->flags & CTALG_EXP_F_PERMANENT ? " permanent" : "");
}
