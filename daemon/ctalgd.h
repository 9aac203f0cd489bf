/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctalgd's running state: the helpers it has registered (one per Type of
 * the configuration) and one worker thread per queue.
 */
#ifndef CTALGD_H
#define CTALGD_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include <ctalg/nl.h>
#include <ctalg/queue.h>

#include "cfg.h"
#include "conncache.h"
#include "log.h"
#include "registry.h"
#include "stats.h"
#include "stream.h"

/* One registered helper: a Type of the configuration. */
struct running_type {
	struct cfg_type cfg;
	uint32_t priv_len; /* the kernel's private-data length */
	bool registered, enabled;
	struct helper_stats stats;
	struct log_limit log_parse, log_refuse;
};

struct worker {
	uint16_t queue_num;
	struct ctalg_queue_config qc; /* what the queue was bound with */
	struct ctalg_queue *q;
	struct ctalg_nl *exp_nl; /* ctnetlink, for a packet's extra requests */
	pthread_t thread;
	bool running;
	int stop_fd; /* eventfd: written to stop the thread */
	unsigned int batch;
	struct conncache cache;
	uint8_t *scratch;
	/* The Types this queue serves; they point into the daemon's table. */
	unsigned int n_types;
	struct running_type *types[CFG_TYPES_MAX];
	struct queue_stats stats;
	struct log_limit log_queue;
	/* Per batch, allocated once: packets, verdicts, NFQA_EXP contents. */
	struct ctalg_queue_pkt *pkts;
	struct ctalg_queue_verdict *verdicts;
	uint8_t (*exp_buf)[CTALG_QUEUE_EXP_MAX + 16];
};

struct daemon {
	struct config cfg;
	struct registry reg;
	struct ctalg_nl *nl; /* helper registration */
	unsigned int n_types;
	struct running_type types[CFG_TYPES_MAX];
	unsigned int n_workers;
	struct worker *workers[CFG_TYPES_MAX];
	struct timespec started;
	int ctl_fd;
	/*
	 * The kernel's expectation events: what it really created. Verdicts
	 * report no error, so a clash (EBUSY) or a full table (EMFILE) would
	 * go unseen; sent minus created shows them.
	 */
	struct ctalg_nl *ev_nl;
	struct event_stats ev_stats;
};

/* worker.c */
struct worker *worker_create(struct daemon *d, uint16_t queue_num, char *err,
			     size_t errsize);
/*
 * Take the daemon's new helper table for a stopped worker, if its queue
 * settings stay the same. Returns false when they changed: the queue must
 * then be bound anew.
 */
bool worker_retype(struct worker *w, struct daemon *d);
int worker_start(struct worker *w);
void worker_stop(struct worker *w);
void worker_destroy(struct worker *w);

/*
 * Handle one received packet @pkt of worker @w: run its helper, apply the
 * policy, and fill @v (and the worker's exp buffer @i). Exposed for tests.
 */
void worker_packet(struct worker *w, const struct ctalg_queue_pkt *pkt,
		   struct ctalg_queue_verdict *v, unsigned int i);

/* status.c: the reply to "status" and "status json" on the control socket */
size_t status_reply(const char *req, char *out, size_t size, void *data);

#endif
