// SPDX-License-Identifier: GPL-2.0-or-later
/* The status report: per-helper and per-queue counters, text or JSON. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>

#include <ctalg/cursor.h>

#include "config.h"
#include "ctalgd.h"
#include "internal.h"

/* What the kernel counts for a queue (/proc/net/netfilter/nfnetlink_queue). */
struct kqueue {
	bool found;
	uint32_t total, dropped, user_dropped;
};

static bool next_num(struct ctalg_cursor *c, uint32_t *v)
{
	while (ctalg_cursor_accept(c, ' '))
		;
	return ctalg_cursor_get_dec(c, UINT32_MAX, v);
}

static void kqueue_read(uint16_t num, struct kqueue *k)
{
	char buf[8192];
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "re");
	size_t len;
	struct ctalg_cursor c, line;
	uint32_t v[7];
	unsigned int i;

	memset(k, 0, sizeof(*k));
	if (!f)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	c = ctalg_cursor_make(buf, len);
	while (ctalg_line_next(&c, &line)) {
		for (i = 0; i < 7; i++)
			if (!next_num(&line, &v[i]))
				break;
		/* queue portid total mode range dropped user_dropped ... */
		if (i == 7 && v[0] == num) {
			k->found = true;
			k->total = v[2];
			k->dropped = v[5];
			k->user_dropped = v[6];
		}
	}
}

static const char *family_name(uint8_t f)
{
	return f == AF_INET6 ? "inet6" : "inet";
}

static const char *proto_name(uint8_t p)
{
	return p == IPPROTO_UDP ? "udp" : "tcp";
}

static void status_text(struct daemon *d, struct out *o, long uptime)
{
	unsigned int i, k;

	out_printf(o, "ctalgd %s, up %lds, configuration %s\n", CTALG_VERSION,
		   uptime, d->cfg.path);
	if (d->ev_nl)
		out_printf(o, "expectation events %llu, overruns %llu\n",
			   (unsigned long long)STAT_GET(d->ev_stats.events),
			   (unsigned long long)STAT_GET(d->ev_stats.overruns));
	else
		out_printf(o, "expectation events off: expectations created "
			      "are not counted\n");
	for (i = 0; i < d->n_types; i++) {
		const struct running_type *t = &d->types[i];
		const struct helper_stats *s = &t->stats;
		bool first = true;

		out_printf(o,
			   "helper %s (%s) %s %s queue %u: %s\n"
			   "  packets %llu bytes %llu parsed %llu fastpath "
			   "%llu\n"
			   "  expectations sent %llu created %llu refused %llu",
			   t->cfg.kname, t->cfg.helper,
			   family_name(t->cfg.family), proto_name(t->cfg.l4proto),
			   t->cfg.queue_num, t->enabled ? "enabled" : "disabled",
			   (unsigned long long)STAT_GET(s->packets),
			   (unsigned long long)STAT_GET(s->bytes),
			   (unsigned long long)STAT_GET(s->parsed),
			   (unsigned long long)STAT_GET(s->fastpath),
			   (unsigned long long)STAT_GET(s->exp_sent),
			   (unsigned long long)STAT_GET(s->exp_created),
			   (unsigned long long)STAT_GET(s->exp_refused));
		for (k = 1; k < REFUSE_COUNT; k++) {
			if (!STAT_GET(s->refused[k]))
				continue;
			out_printf(o, "%s%s %llu", first ? " (" : ", ",
				   refusal_name(k),
				   (unsigned long long)STAT_GET(s->refused[k]));
			first = false;
		}
		out_printf(o,
			   "%s\n"
			   "  parse errors %llu malformed %llu retransmitted "
			   "%llu stream gaps %llu overlong %llu carry lost "
			   "%llu\n",
			   first ? "" : ")",
			   (unsigned long long)STAT_GET(s->parse_errors),
			   (unsigned long long)STAT_GET(s->malformed),
			   (unsigned long long)STAT_GET(s->retransmitted),
			   (unsigned long long)STAT_GET(s->stream_gaps),
			   (unsigned long long)STAT_GET(s->overlong),
			   (unsigned long long)STAT_GET(s->carry_lost));
	}
	for (i = 0; i < d->n_workers; i++) {
		const struct worker *w = d->workers[i];
		struct ctalg_queue_stats qs;
		struct kqueue kq;

		ctalg_queue_stats(w->q, &qs);
		kqueue_read(w->queue_num, &kq);
		out_printf(o,
			   "queue %u: packets %llu batches %llu largest batch "
			   "%llu verdict messages %llu folded %llu\n"
			   "  verdict errors %llu receive errors %llu overruns "
			   "%llu cut %llu unknown %llu\n"
			   "  kernel: queued %u dropped %u socket drops %u\n",
			   w->queue_num, (unsigned long long)qs.packets,
			   (unsigned long long)qs.recv_calls,
			   (unsigned long long)qs.recv_max,
			   (unsigned long long)qs.verdict_msgs,
			   (unsigned long long)qs.folded,
			   (unsigned long long)qs.verdict_errors,
			   (unsigned long long)STAT_GET(w->stats.recv_errors),
			   (unsigned long long)qs.enobufs,
			   (unsigned long long)qs.truncated,
			   (unsigned long long)STAT_GET(w->stats.unknown),
			   kq.total, kq.dropped, kq.user_dropped);
	}
}

static void status_json(struct daemon *d, struct out *o, long uptime)
{
	struct json j;
	unsigned int i, k;

	json_begin(&j, o);
	json_obj_open(&j, NULL);
	json_str(&j, "version", CTALG_VERSION);
	json_i64(&j, "uptime", uptime);
	json_str(&j, "config", d->cfg.path);
	json_arr_open(&j, "helpers");
	for (i = 0; i < d->n_types; i++) {
		const struct running_type *t = &d->types[i];
		const struct helper_stats *s = &t->stats;

		json_obj_open(&j, NULL);
		json_str(&j, "name", t->cfg.kname);
		json_str(&j, "helper", t->cfg.helper);
		json_str(&j, "family", family_name(t->cfg.family));
		json_str(&j, "proto", proto_name(t->cfg.l4proto));
		json_u64(&j, "queue", t->cfg.queue_num);
		json_bool(&j, "enabled", t->enabled);
		json_u64(&j, "packets", STAT_GET(s->packets));
		json_u64(&j, "bytes", STAT_GET(s->bytes));
		json_u64(&j, "parsed", STAT_GET(s->parsed));
		json_u64(&j, "fastpath", STAT_GET(s->fastpath));
		json_u64(&j, "expectations_sent", STAT_GET(s->exp_sent));
		json_u64(&j, "expectations_created", STAT_GET(s->exp_created));
		json_u64(&j, "expectations_refused", STAT_GET(s->exp_refused));
		json_u64(&j, "parse_errors", STAT_GET(s->parse_errors));
		json_u64(&j, "malformed", STAT_GET(s->malformed));
		json_u64(&j, "retransmitted", STAT_GET(s->retransmitted));
		json_u64(&j, "stream_gaps", STAT_GET(s->stream_gaps));
		json_u64(&j, "overlong", STAT_GET(s->overlong));
		json_u64(&j, "carry_lost", STAT_GET(s->carry_lost));
		/* Last: a flat reader sees every counter before the nest. */
		json_obj_open(&j, "refused");
		for (k = 1; k < REFUSE_COUNT; k++)
			json_u64(&j, refusal_name(k), STAT_GET(s->refused[k]));
		json_obj_close(&j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "queues");
	for (i = 0; i < d->n_workers; i++) {
		const struct worker *w = d->workers[i];
		struct ctalg_queue_stats qs;
		struct kqueue kq;

		ctalg_queue_stats(w->q, &qs);
		kqueue_read(w->queue_num, &kq);
		json_obj_open(&j, NULL);
		json_u64(&j, "queue", w->queue_num);
		json_u64(&j, "packets", qs.packets);
		json_u64(&j, "batches", qs.recv_calls);
		json_u64(&j, "largest_batch", qs.recv_max);
		json_u64(&j, "verdict_messages", qs.verdict_msgs);
		json_u64(&j, "folded", qs.folded);
		json_u64(&j, "verdict_errors", qs.verdict_errors);
		json_u64(&j, "receive_errors", STAT_GET(w->stats.recv_errors));
		json_u64(&j, "overruns", qs.enobufs);
		json_u64(&j, "cut", qs.truncated);
		json_u64(&j, "unknown", STAT_GET(w->stats.unknown));
		json_u64(&j, "kernel_queued", kq.total);
		json_u64(&j, "kernel_dropped", kq.dropped);
		json_u64(&j, "kernel_socket_drops", kq.user_dropped);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_bool(&j, "expect_events", d->ev_nl != NULL);
	json_u64(&j, "events", STAT_GET(d->ev_stats.events));
	json_u64(&j, "event_overruns", STAT_GET(d->ev_stats.overruns));
	json_obj_close(&j);
	out_str(o, "\n");
}

size_t status_reply(const char *req, char *buf, size_t size, void *data)
{
	struct daemon *d = data;
	struct out o = out_make(buf, size);
	struct timespec now;
	long uptime;

	clock_gettime(CLOCK_MONOTONIC, &now);
	uptime = (long)(now.tv_sec - d->started.tv_sec);
	if (!strcmp(req, "status"))
		status_text(d, &o, uptime);
	else if (!strcmp(req, "status json"))
		status_json(d, &o, uptime);
	else
		out_printf(&o, "error: unknown request\n");
	return o.len < size ? o.len : size - 1;
}
