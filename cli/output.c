// SPDX-License-Identifier: GPL-2.0-or-later
/* Listings kept until complete, and the event loop of "watch" verbs. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"

void cli_lines_add(struct cli_lines *l, const char *line)
{
	size_t n = strlen(line);

	if (l->len + n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap : 65536;
		char *p;

		while (l->len + n + 2 > cap)
			cap *= 2;
		p = realloc(l->data, cap);
		if (!p) {
			cli_fail("out of memory for the listing");
			exit(EXIT_FAILURE);
		}
		l->data = p;
		l->cap = cap;
	}
	memcpy(l->data + l->len, line, n);
	l->len += n;
	l->data[l->len++] = '\n';
	l->count++;
}

void cli_lines_reset(struct cli_lines *l)
{
	l->len = 0;
	l->count = 0;
}

void cli_lines_flush(struct cli_lines *l)
{
	if (l->len)
		fwrite(l->data, 1, l->len, stdout);
	fflush(stdout);
	free(l->data);
	memset(l, 0, sizeof(*l));
}

static volatile sig_atomic_t watch_stop;

static void watch_signal(int sig)
{
	watch_stop = 1;
}

int cli_watch(struct ctalg_nl *nl, ctalg_nl_cb cb, void *data)
{
	struct sigaction sa = { .sa_handler = watch_signal };
	struct pollfd p = { .fd = ctalg_nl_fd(nl), .events = POLLIN };

	/* No SA_RESTART: a signal must break poll() so we can stop. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!watch_stop) {
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return cli_fail("waiting for events: %s",
					strerror(errno));
		}
		if (ctalg_nl_recv(nl, cb, data) < 0) {
			if (errno == ENOBUFS) {
				fflush(stdout);
				fprintf(stderr, "ctalg: events were lost: the "
						"socket buffer overran\n");
				continue;
			}
			if (errno == EINTR)
				continue;
			return cli_fail("reading events: %s", strerror(errno));
		}
		fflush(stdout);
	}
	return 0;
}
