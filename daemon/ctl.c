// SPDX-License-Identifier: GPL-2.0-or-later
/* The control socket. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "ctl.h"
#include "log.h"

#define CTL_REQ_MAX   128
#define CTL_REPLY_MAX (256 * 1024)

int ctl_open(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* A socket left by a daemon that was killed: nobody listens. */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    chmod(path, 0660) < 0 || listen(fd, 16) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void ctl_close(int fd, const char *path)
{
	if (fd < 0)
		return;
	close(fd);
	unlink(path);
}

void ctl_serve(int fd,
	       size_t (*reply)(const char *req, char *out, size_t size,
			       void *data),
	       void *data)
{
	struct timeval tv = { .tv_sec = 1 };
	char req[CTL_REQ_MAX + 1], *out, *nl;
	size_t got = 0, len, off;
	ssize_t n;
	int c;

	c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (got < CTL_REQ_MAX) {
		n = recv(c, req + got, CTL_REQ_MAX - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(req, '\n', got))
			break;
	}
	req[got] = '\0';
	nl = memchr(req, '\n', got);
	if (!nl || memchr(req, '\0', got)) {
		close(c);
		return;
	}
	*nl = '\0';
	out = malloc(CTL_REPLY_MAX);
	if (!out) {
		close(c);
		return;
	}
	len = reply(req, out, CTL_REPLY_MAX, data);
	for (off = 0; off < len; off += (size_t)n) {
		n = send(c, out + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
	}
	free(out);
	close(c);
}
