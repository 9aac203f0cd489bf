// SPDX-License-Identifier: GPL-2.0-or-later
/* Logging to stderr, a file or syslog, with per-site rate limits. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

static bool log_syslog;
static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

int log_open(bool use_syslog, const char *path)
{
	FILE *f = NULL;

	if (!use_syslog && path && path[0]) {
		f = fopen(path, "ae");
		if (!f)
			return -1;
		setvbuf(f, NULL, _IOLBF, 0);
	}
	pthread_mutex_lock(&log_lock);
	if (log_file)
		fclose(log_file);
	log_file = f;
	if (use_syslog && !log_syslog)
		openlog("ctalgd", LOG_PID, LOG_DAEMON);
	else if (!use_syslog && log_syslog)
		closelog();
	log_syslog = use_syslog;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close(void)
{
	log_open(false, NULL);
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_DEBUG:
		return "debug";
	default:
		return "info";
	}
}

static void log_vmsg(int level, const char *fmt, va_list ap)
{
	char line[1024], stamp[32];
	struct timespec ts;
	struct tm tm;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_syslog) {
		syslog(level, "%s", line);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(log_file ? log_file : stderr, "%s.%03ld ctalgd %s: %s\n", stamp,
		ts.tv_nsec / 1000000, level_name(level), line);
	pthread_mutex_unlock(&log_lock);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
	errno = saved;
}

void log_limited(struct log_limit *lim, int level, const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	if ((uint64_t)ts.tv_sec != lim->window) {
		if (lim->suppressed)
			log_msg(level, "%u similar messages suppressed",
				lim->suppressed);
		lim->window = (uint64_t)ts.tv_sec;
		lim->count = 0;
		lim->suppressed = 0;
	}
	if (lim->count >= lim->burst) {
		lim->suppressed++;
		return;
	}
	lim->count++;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}
