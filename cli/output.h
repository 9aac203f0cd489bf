/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Listing and watching: what every "list" and "watch" verb shares. */
#ifndef CTALG_CLI_OUTPUT_H
#define CTALG_CLI_OUTPUT_H

#include <stddef.h>
#include <ctalg/nl.h>

/*
 * Lines of a listing, kept until the dump is complete: a dump the kernel
 * marks interrupted starts again, and what was kept is dropped (the dump
 * callback gets a NULL message then, see ctalg_nl_dump()).
 */
struct cli_lines {
	char *data;
	size_t len;
	size_t cap;
	unsigned long count;
};

/* Add one line (a newline is appended); exits 1 when memory runs out. */
void cli_lines_add(struct cli_lines *l, const char *line);
void cli_lines_reset(struct cli_lines *l);
/* Write the lines to stdout and free them. */
void cli_lines_flush(struct cli_lines *l);

/*
 * Read events from @nl (already subscribed) and pass each message to @cb
 * until SIGINT or SIGTERM. Output is flushed after every datagram. When the
 * socket overruns, says so on stderr ("events were lost") and goes on.
 * Returns 0 after a signal, 1 on another error (reported on stderr).
 */
int cli_watch(struct ctalg_nl *nl, ctalg_nl_cb cb, void *data);

#endif
