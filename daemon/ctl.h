/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket: a UNIX stream socket where `ctalg status` asks for
 * the counters. One request line per connection ("status" or
 * "status json"), one reply, then the daemon closes.
 */
#ifndef CTALGD_CTL_H
#define CTALGD_CTL_H

#include <stddef.h>

/* Listen on @path (replacing a stale socket). Returns the fd or -1. */
int ctl_open(const char *path);
void ctl_close(int fd, const char *path);

/*
 * Accept one client on @fd, read its request, answer with @reply, which
 * fills @out (@size bytes) for a request (NUL-terminated) and returns the
 * length written. Bounded in time: a client that does not send its line
 * within a second is dropped.
 */
void ctl_serve(int fd,
	       size_t (*reply)(const char *req, char *out, size_t size,
			       void *data),
	       void *data);

#endif
