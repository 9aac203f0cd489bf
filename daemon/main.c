// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctalgd: the user-space helper daemon.
 *
 * Start: register every helper disabled, bind its queue (so no packet meets
 * an unbound queue), then enable it: from then on the kernel queues the
 * packets of connections the ruleset gives the helper. Register before the
 * ruleset loads, or the kernel may load its own helper of the same name.
 *
 * SIGTERM, SIGINT: disable the helpers (the kernel then passes their
 * traffic uninspected and confirms it normally), give every queued packet a
 * verdict, unbind. The helpers stay registered: deleting one makes the
 * kernel drop every packet queued system-wide (`ctalg helper delete` does
 * it on purpose). SIGHUP: reload the configuration; a bad one is reported
 * with its file and line and the running one is kept. Killed with -9: the
 * helper state lives in the kernel's conntracks, so a restart resumes every
 * connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/signalfd.h>

#include <ctalg/cthelper.h>
#include <ctalg/expect.h>

#include "config.h"
#include "ctalgd.h"
#include "ctl.h"

#define DEFAULT_CONFIG CTALG_SYSCONFDIR "/ctalg/ctalgd.conf"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ctalgd [-C FILE] [-t] [-L]\n"
		"  -C, --config FILE   configuration (default %s)\n"
		"  -t, --test          check the configuration and exit\n"
		"  -L, --list-helpers  list the helpers it can run and exit\n"
		"  -h, --help          show this help\n"
		"  -V, --version       show the version\n"
		"See ctalgd(8) and ctalgd.conf(5).\n",
		DEFAULT_CONFIG);
}

/* Read, resolve and check the configuration at @path into @cfg. */
static int config_read(struct config *cfg, const char *path,
		       struct registry *reg, bool load_plugins, char *err)
{
	unsigned int i;

	cfg_defaults(cfg);
	if (cfg_load(cfg, path, err) < 0)
		return -1;
	if (load_plugins) {
		registry_unload(reg);
		registry_load(reg, cfg->helper_dir);
	}
	if (cfg_resolve(cfg, registry_find, reg, err) < 0)
		return -1;
	for (i = 0; i < cfg->n_notes; i++)
		log_info("%s", cfg->notes[i]);
	return 0;
}

static void type_register_error(const struct running_type *t, int err,
				struct ctalg_nl *nl)
{
	const char *kmsg = ctalg_nl_errmsg(nl);

	log_err("cannot register helper %s (%s %s): %s%s%s%s", t->cfg.kname,
		t->cfg.family == AF_INET ? "inet" : "inet6",
		t->cfg.l4proto == IPPROTO_TCP ? "tcp" : "udp", strerror(err),
		kmsg[0] ? " (kernel: " : "", kmsg, kmsg[0] ? ")" : "");
	if (err == EBUSY)
		log_err("the kernel has a helper named %s already, perhaps its "
			"own (nf_conntrack_%s): unload it, or give this Type "
			"another KernelName",
			t->cfg.kname, t->cfg.kname);
}

static bool policies_equal(const struct ctalg_cthelper *a,
			   const struct ctalg_cthelper *b)
{
	unsigned int i;

	if (a->n_policies != b->n_policies)
		return false;
	for (i = 0; i < a->n_policies; i++)
		if (a->policies[i].max_expected != b->policies[i].max_expected ||
		    a->policies[i].timeout != b->policies[i].timeout)
			return false;
	return true;
}

/*
 * Register @t with status @status, or bring the kernel's registration in
 * line. Only what differs is sent: kernels before 6.12.97 copy the first
 * class's values into every class whenever an update carries policies,
 * so an update carries them only when they change.
 */
static int type_register(struct daemon *d, struct running_type *t, uint32_t status)
{
	struct ctalg_cthelper ch, got;
	bool exists, policies;
	unsigned int i;

	if (ctalg_cthelper_from_helper(&ch, t->cfg.h, t->cfg.family) < 0)
		return -1;
	snprintf(ch.name, sizeof(ch.name), "%s", t->cfg.kname);
	ch.queue = t->cfg.queue_num;
	ch.status = status;
	ch.set |= CTALG_CTHELPER_F_QUEUE | CTALG_CTHELPER_F_STATUS;
	for (i = 0; i < t->cfg.n_classes; i++) {
		ch.policies[i].max_expected = t->cfg.classes[i].max_expected;
		ch.policies[i].timeout = t->cfg.classes[i].timeout;
	}
	exists = ctalg_cthelper_get(d->nl, ch.name, ch.family, ch.l4proto,
				    &got) == 0;
	if (exists && got.priv_len != ch.priv_len) {
		log_err(
		    "helper %s (%s %s) is registered with %u bytes of "
		    "private state, not %u (another program's?): remove the "
		    "rules naming it and run ctalg helper delete %s",
		    ch.name, t->cfg.family == AF_INET ? "inet" : "inet6",
		    t->cfg.l4proto == IPPROTO_TCP ? "tcp" : "udp", got.priv_len,
		    ch.priv_len, ch.name);
		return -1;
	}
	policies = !exists || !policies_equal(&got, &ch);
	if (exists && !policies && got.queue == ch.queue && got.status == status)
		goto done;
	if (exists && !policies)
		ch.set &= ~(uint32_t)(CTALG_CTHELPER_F_POLICY |
				      CTALG_CTHELPER_F_PRIV_LEN);
	if (ctalg_cthelper_register(d->nl, &ch, 0) < 0) {
		type_register_error(t, errno, d->nl);
		return -1;
	}
	if (exists && policies &&
	    ctalg_cthelper_get(d->nl, ch.name, ch.family, ch.l4proto, &got) == 0 &&
	    !policies_equal(&got, &ch))
		log_warn("helper %s: the kernel changed the expectation "
			 "policies on this update (kernels before 6.12.97 copy "
			 "the first class's values into every class): to "
			 "apply them, remove the rules naming it, run ctalg "
			 "helper delete %s, restart ctalgd and load the rules "
			 "again; deleting a helper also makes 6.1 forget the "
			 "helpers of existing CT rules",
			 t->cfg.kname, t->cfg.kname);
done:
	t->registered = true;
	t->enabled = status == CTALG_CTHELPER_ENABLED;
	return 0;
}

static void type_disable(struct daemon *d, struct running_type *t)
{
	if (!t->registered || !t->enabled)
		return;
	if (ctalg_cthelper_set_status(d->nl, t->cfg.kname, t->cfg.family,
				      t->cfg.l4proto, CTALG_CTHELPER_DISABLED) < 0)
		log_err("cannot disable helper %s: %s", t->cfg.kname,
			strerror(errno));
	else
		t->enabled = false;
}

static bool same_type(const struct cfg_type *a, const struct cfg_type *b)
{
	return !strcmp(a->kname, b->kname) && a->family == b->family &&
	       a->l4proto == b->l4proto;
}

/* Fill d->types from @cfg, keeping the counters of Types that stay. */
static void types_build(struct daemon *d, const struct config *cfg)
{
	struct running_type *old = malloc(sizeof(d->types));
	unsigned int i, j, n_old = d->n_types;

	if (old)
		memcpy(old, d->types, sizeof(d->types));
	memset(d->types, 0, sizeof(d->types));
	for (i = 0; i < cfg->n_types; i++) {
		struct running_type *t = &d->types[i];

		t->cfg = cfg->types[i];
		t->priv_len = (uint32_t)ctalg_cthelper_priv_len(t->cfg.h);
		t->log_parse = (struct log_limit)LOG_LIMIT_INIT;
		t->log_refuse = (struct log_limit)LOG_LIMIT_INIT;
		for (j = 0; old && j < n_old; j++) {
			if (!same_type(&old[j].cfg, &t->cfg))
				continue;
			t->stats = old[j].stats;
			t->registered = old[j].registered;
			t->enabled = old[j].enabled;
		}
	}
	d->n_types = cfg->n_types;
	free(old);
}

/* The distinct queue numbers of the running Types. */
static unsigned int queues_of(const struct daemon *d, uint16_t *q)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < d->n_types; i++) {
		for (j = 0; j < n; j++)
			if (q[j] == d->types[i].cfg.queue_num)
				break;
		if (j == n)
			q[n++] = d->types[i].cfg.queue_num;
	}
	return n;
}

/* An EXP_NEW event: count it for the Type whose helper made it. */
static int exp_event(const struct nlmsghdr *nlh, void *data)
{
	struct daemon *d = data;
	struct ctalg_expect x;
	unsigned int i;

	if (ctalg_exp_event(nlh) != CTALG_EVENT_NEW ||
	    ctalg_exp_parse(nlh, &x) < 0 || !(x.set & CTALG_EXP_HELPER))
		return CTALG_CB_OK;
	STAT_INC(d->ev_stats.events);
	for (i = 0; i < d->n_types; i++) {
		struct running_type *t = &d->types[i];

		if (!strcmp(t->cfg.kname, x.helper) && t->cfg.family == x.family &&
		    t->cfg.l4proto == x.master.l4proto) {
			STAT_INC(t->stats.exp_created);
			break;
		}
	}
	return CTALG_CB_OK;
}

/*
 * Listen to the kernel's expectation events. A conntrack only reports its
 * expectations if a listener existed when it was made (the default of
 * nf_conntrack_events), so this starts before the helpers are enabled.
 */
static void events_open(struct daemon *d)
{
	if (!d->cfg.expect_events || d->ev_nl)
		return;
	d->ev_nl = ctalg_nl_open();
	if (!d->ev_nl ||
	    ctalg_nl_join(d->ev_nl, (unsigned int)ctalg_exp_event_group(
					CTALG_EVENT_NEW)) < 0 ||
	    ctalg_nl_set_rcvbuf(d->ev_nl, 1 << 20) < 0) {
		log_warn("cannot listen to expectation events (%s): ctalg "
			 "status will not count created expectations",
			 strerror(errno));
		ctalg_nl_close(d->ev_nl);
		d->ev_nl = NULL;
		return;
	}
	fcntl(ctalg_nl_fd(d->ev_nl), F_SETFL,
	      fcntl(ctalg_nl_fd(d->ev_nl), F_GETFL) | O_NONBLOCK);
}

static void events_close(struct daemon *d)
{
	ctalg_nl_close(d->ev_nl);
	d->ev_nl = NULL;
}

static void events_read(struct daemon *d)
{
	while (ctalg_nl_recv(d->ev_nl, exp_event, d) == 0)
		;
	if (errno == ENOBUFS)
		STAT_INC(d->ev_stats.overruns);
}

static int daemon_start(struct daemon *d)
{
	uint16_t queues[CFG_TYPES_MAX];
	unsigned int i, n;
	char err[256];

	d->nl = ctalg_nl_open();
	if (!d->nl) {
		log_err("cannot open a netfilter netlink socket: %s",
			strerror(errno));
		return -1;
	}
	if (ctalg_cthelper_probe(d->nl) == 0) {
		log_err("this kernel has no user-space helper support "
			"(nfnetlink_cthelper, CONFIG_NF_CT_NETLINK_HELPER): "
			"ctalgd cannot run here");
		return -1;
	}
	types_build(d, &d->cfg);
	events_open(d);
	for (i = 0; i < d->n_types; i++)
		if (type_register(d, &d->types[i], CTALG_CTHELPER_DISABLED) < 0)
			return -1;
	n = queues_of(d, queues);
	for (i = 0; i < n; i++) {
		struct worker *w = worker_create(d, queues[i], err, sizeof(err));

		if (!w) {
			log_err("cannot bind queue %u: %s", queues[i], err);
			return -1;
		}
		d->workers[d->n_workers++] = w;
	}
	for (i = 0; i < d->n_types; i++)
		if (type_register(d, &d->types[i], CTALG_CTHELPER_ENABLED) < 0)
			return -1;
	for (i = 0; i < d->n_workers; i++)
		if (worker_start(d->workers[i]) < 0) {
			log_err("cannot start the worker of queue %u: %s",
				d->workers[i]->queue_num, strerror(errno));
			return -1;
		}
	for (i = 0; i < d->n_types; i++)
		log_info("helper %s (%s) %s %s on queue %u enabled",
			 d->types[i].cfg.kname, d->types[i].cfg.helper,
			 d->types[i].cfg.family == AF_INET ? "inet" : "inet6",
			 d->types[i].cfg.l4proto == IPPROTO_TCP ? "tcp" : "udp",
			 d->types[i].cfg.queue_num);
	return 0;
}

static void daemon_stop(struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->n_types; i++)
		type_disable(d, &d->types[i]);
	for (i = 0; i < d->n_workers; i++)
		worker_destroy(d->workers[i]);
	d->n_workers = 0;
	ctalg_nl_close(d->nl);
	d->nl = NULL;
	events_close(d);
}

/*
 * SIGHUP. The new configuration is read and checked first; only a good one
 * replaces the running one. Workers pause (their queues stay bound, so
 * packets wait in the kernel) while the helper table changes; a queue whose
 * settings changed is bound anew.
 */
static void daemon_reload(struct daemon *d, const char *path)
{
	struct config *cfg = malloc(sizeof(*cfg));
	struct running_type *t;
	uint16_t queues[CFG_TYPES_MAX];
	unsigned int i, j, n;
	char err[CFG_ERR_MAX];
	bool keep;

	if (!cfg) {
		log_err("reload: out of memory; the running configuration is "
			"kept");
		return;
	}
	if (config_read(cfg, path, &d->reg, false, err) < 0) {
		log_err("reload: %s; the running configuration is kept", err);
		free(cfg);
		return;
	}
	for (i = 0; i < d->n_workers; i++)
		worker_stop(d->workers[i]);
	/* Types that are gone: disabled first, so the kernel stops queueing. */
	for (i = 0; i < d->n_types; i++) {
		keep = false;
		for (j = 0; j < cfg->n_types; j++)
			keep |= same_type(&d->types[i].cfg, &cfg->types[j]);
		if (!keep)
			type_disable(d, &d->types[i]);
	}
	d->cfg = *cfg;
	free(cfg);
	/* Turned on, it counts expectations of connections made from now. */
	if (d->cfg.expect_events)
		events_open(d);
	else
		events_close(d);
	types_build(d, &d->cfg);
	for (i = 0; i < d->n_types; i++) {
		t = &d->types[i];
		/* A new Type starts disabled until its queue is bound. */
		if (type_register(d, t,
				  t->enabled ? CTALG_CTHELPER_ENABLED
					     : CTALG_CTHELPER_DISABLED) < 0)
			log_err("reload: helper %s keeps its old registration",
				t->cfg.kname);
	}
	/*
	 * Workers: one whose queue stays, with the same settings, keeps its
	 * socket (and its connection cache) and just takes the new helper
	 * table; the others are closed or bound anew.
	 */
	n = queues_of(d, queues);
	for (i = 0; i < d->n_workers; i++) {
		struct worker *w = d->workers[i];

		for (j = 0; j < n; j++)
			if (queues[j] == w->queue_num)
				break;
		if (j < n && worker_retype(w, d)) {
			queues[j] = queues[--n];
			continue;
		}
		worker_destroy(w);
		d->workers[i--] = d->workers[--d->n_workers];
	}
	for (i = 0; i < n; i++) {
		struct worker *w = worker_create(d, queues[i], err, sizeof(err));

		if (!w) {
			log_err("reload: cannot bind queue %u: %s", queues[i],
				err);
			continue;
		}
		d->workers[d->n_workers++] = w;
	}
	for (i = 0; i < d->n_workers; i++)
		if (!d->workers[i]->running && worker_start(d->workers[i]) < 0)
			log_err("reload: cannot start the worker of queue %u",
				d->workers[i]->queue_num);
	for (i = 0; i < d->n_types; i++)
		if (!d->types[i].enabled)
			type_register(d, &d->types[i], CTALG_CTHELPER_ENABLED);
	log_info("configuration %s reloaded: %u helpers on %u queues", path,
		 d->n_types, d->n_workers);
}

static int list_helpers(const struct registry *r)
{
	unsigned int i, k;

	for (i = 0; i < r->n; i++) {
		const struct ctalg_helper *h = r->h[i];

		printf("%-15s %s %s%s ports", h->name,
		       h->l4proto == IPPROTO_TCP ? "tcp" : "udp",
		       h->families & CTALG_HELPER_INET ? "inet" : "",
		       h->families & CTALG_HELPER_INET6
			   ? (h->families & CTALG_HELPER_INET ? ",inet6" : "inet6")
			   : "");
		for (k = 0; k < 4 && h->ports[k]; k++)
			printf("%s%u", k ? "," : " ", h->ports[k]);
		if (!h->ports[0])
			printf(" -");
		printf(" classes");
		for (k = 0; k < h->n_classes; k++)
			printf("%s%s(max %u, %us)", k ? "," : " ",
			       h->classes[k].name, h->classes[k].max_expected,
			       h->classes[k].timeout);
		printf(" [%s]\n", r->origin[i]);
	}
	return 0;
}

static int lock_take(const char *path)
{
	int fd;

	if (!path[0])
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("lock file %s: %s", path, strerror(errno));
		return -2;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_err("lock file %s is held: another ctalgd runs", path);
		close(fd);
		return -2;
	}
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "test", no_argument, NULL, 't' },
		{ "list-helpers", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG;
	bool test = false, list = false, stop = false;
	struct signalfd_siginfo si;
	struct pollfd pfd[3] = { { .fd = -1 }, { .fd = -1 }, { .fd = -1 } };
	struct daemon *d;
	char err[CFG_ERR_MAX];
	sigset_t mask;
	int c, lock_fd = -1, ret = EXIT_FAILURE;

	while ((c = getopt_long(argc, argv, "C:tLhV", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
			path = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'L':
			list = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ctalgd %s\n", CTALG_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ctalgd: unexpected argument \"%s\"\n",
			argv[optind]);
		return 2;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return EXIT_FAILURE;
	d->ctl_fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &d->started);
	if (config_read(&d->cfg, path, &d->reg, true, err) < 0) {
		/* Without a configuration, -L still lists the built-ins. */
		if (list && access(path, F_OK) < 0) {
			ret = list_helpers(&d->reg);
			goto out_free;
		}
		fprintf(stderr, "ctalgd: %s\n", err);
		goto out_free;
	}
	if (list || test) {
		if (list)
			ret = list_helpers(&d->reg);
		else
			printf("%s: %u helpers configured, all valid\n", path,
			       d->cfg.n_types);
		if (test)
			ret = EXIT_SUCCESS;
		goto out_free;
	}
	if (log_open(d->cfg.syslog, d->cfg.logfile) < 0) {
		fprintf(stderr, "ctalgd: log file %s: %s\n", d->cfg.logfile,
			strerror(errno));
		goto out_free;
	}
	lock_fd = lock_take(d->cfg.lockfile);
	if (lock_fd == -2)
		goto out_free;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* Blocked before any thread starts, so every thread inherits it. */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	pfd[0].fd = signalfd(-1, &mask, SFD_CLOEXEC);
	pfd[0].events = POLLIN;
	if (pfd[0].fd < 0) {
		log_err("signalfd: %s", strerror(errno));
		goto out;
	}

	if (daemon_start(d) < 0)
		goto out;
	d->ctl_fd = ctl_open(d->cfg.ctl_path);
	if (d->ctl_fd < 0)
		log_err("control socket %s: %s; ctalg status will not answer",
			d->cfg.ctl_path, strerror(errno));
	pfd[1].fd = d->ctl_fd;
	pfd[1].events = POLLIN;
	pfd[2].events = POLLIN;
	log_info("ctalgd %s running: %u helpers on %u queues, configuration "
		 "%s",
		 CTALG_VERSION, d->n_types, d->n_workers, path);

	while (!stop) {
		/* A reload may turn the expectation events on or off. */
		pfd[2].fd = d->ev_nl ? ctalg_nl_fd(d->ev_nl) : -1;
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents & POLLIN)
			ctl_serve(d->ctl_fd, status_reply, d);
		if (pfd[2].revents & POLLIN)
			events_read(d);
		if (!(pfd[0].revents & POLLIN))
			continue;
		if (read(pfd[0].fd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading %s", path);
			daemon_reload(d, path);
		} else {
			log_info("%s: stopping", strsignal((int)si.ssi_signo));
			stop = true;
		}
	}
	ret = EXIT_SUCCESS;
out:
	daemon_stop(d);
	ctl_close(d->ctl_fd, d->cfg.ctl_path);
	if (lock_fd >= 0) {
		unlink(d->cfg.lockfile);
		close(lock_fd);
	}
	if (pfd[0].fd >= 0)
		close(pfd[0].fd);
	log_info("ctalgd stopped");
out_free:
	registry_unload(&d->reg);
	free(d);
	return ret;
}
