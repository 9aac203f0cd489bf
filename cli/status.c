// SPDX-License-Identifier: GPL-2.0-or-later
/* ctalg status: ctalgd's counters, asked on its control socket. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cli.h"

#define DEFAULT_SOCKET "/run/ctalgd.sock"

static void status_help(void)
{
	printf("Usage: ctalg [-o text|json] status [socket PATH]\n"
	       "Show ctalgd's counters: per helper, packets, bytes, data\n"
	       "parsed, expectations created and refused (by reason), parse\n"
	       "errors and malformed packets; per queue, batches, verdicts,\n"
	       "errors and the kernel's drop counters.\n"
	       "socket PATH  ctalgd's control socket (default %s)\n",
	       DEFAULT_SOCKET);
}

static int status_run(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = DEFAULT_SOCKET, *req;
	char buf[65536];
	ssize_t n;
	int i, fd;

	for (i = 1; i < argc; i++) {
		if (cli_output_option(argc, argv, &i))
			continue;
		if (cli_is(argv[i], "socket"))
			path = cli_value(argc, argv, &i);
		else
			cli_usage_error("status: unknown argument \"%s\"",
					argv[i]);
	}
	if (strlen(path) >= sizeof(sun.sun_path))
		cli_usage_error("socket: \"%s\" is longer than %zu characters",
				path, sizeof(sun.sun_path) - 1);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cli_fail("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = errno;

		close(fd);
		return cli_fail("cannot reach ctalgd at %s: %s%s", path,
				strerror(err),
				err == ENOENT || err == ECONNREFUSED
				    ? " (is ctalgd running?)"
				    : "");
	}
	req = cli.json ? "status json\n" : "status\n";
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return cli_fail("writing to %s: %s", path, strerror(errno));
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	if (n < 0)
		return cli_fail("reading from %s: %s", path, strerror(errno));
	return 0;
}

const struct cli_object cli_status = {
	.name = "status",
	.summary = "ctalgd's counters per helper and queue",
	.run = status_run,
	.help = status_help,
	.verbless = true,
};
