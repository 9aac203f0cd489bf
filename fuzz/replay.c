// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay a fuzz corpus without libFuzzer: every file of each directory
 * given (or each file given) goes through LLVMFuzzerTestOneInput() in a
 * child process, so one crash names its file and the others still run.
 * Each input is in a malloc'd buffer of exactly its size, as libFuzzer
 * gives it, so a sanitizer build sees reads past its end.
 *
 * TAP: one check per argument, failing with the inputs that crashed.
 * Usage: replay-NAME CORPUS_DIR_OR_FILE...
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "tap.h"

/* Seconds an input may run; a hang is a failure too. */
#define REPLAY_TIMEOUT 60

static int replay_read(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto err;
	*size = (size_t)st.st_size;
	/* libFuzzer hands even an empty input a valid pointer. */
	*data = malloc(*size ? *size : 1);
	if (!*data)
		goto err;
	while (got < *size) {
		n = read(fd, *data + got, *size - got);
		if (n <= 0) {
			free(*data);
			goto err;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
err:
	close(fd);
	return -1;
}

/* Run one input in a child. Returns NULL, or how it failed. */
static const char *replay_one(const char *path, char *why, size_t size)
{
	uint8_t *data;
	size_t len;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		return why;
	}
	if (pid == 0) {
		alarm(REPLAY_TIMEOUT);
		if (replay_read(path, &data, &len) < 0) {
			fprintf(stderr, "replay: %s: %s\n", path,
				strerror(errno));
			_exit(2);
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0); /* through atexit: LeakSanitizer checks here */
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, size, "waitpid: %s", strerror(errno));
			return why;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return NULL;
	if (WIFSIGNALED(status))
		snprintf(why, size, "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(why, size, "exit status %d", WEXITSTATUS(status));
	return why;
}

static int replay_skip(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void replay_path(const char *path, const char *prog)
{
	struct dirent **names = NULL;
	unsigned int failed = 0;
	char file[4096], why[128];
	struct stat st;
	int n = 1, i;

	if (stat(path, &st) < 0) {
		tap_ok(false, "%s: %s", path, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		n = scandir(path, &names, replay_skip, alphasort);
		if (n < 0) {
			tap_ok(false, "%s: %s", path, strerror(errno));
			return;
		}
	}
	for (i = 0; i < n; i++) {
		const char *f = path;

		if (names) {
			snprintf(file, sizeof(file), "%s/%s", path,
				 names[i]->d_name);
			f = file;
		}
		if (replay_one(f, why, sizeof(why))) {
			if (!failed++)
				tap_diag("failed (rerun one: %s FILE):", prog);
			tap_diag("  %s: %s", f, why);
		}
	}
	tap_ok(n > 0 && !failed, "%s: %d inputs replayed, %u failed", path, n,
	       failed);
	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		replay_path(argv[i], argv[0]);
	return tap_done();
}
