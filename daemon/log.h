/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: one line per event saying what, where and why, to stderr, a file
 * or syslog. Lines from the packet path are rate-limited per call site, so
 * a flood of hostile input cannot flood the log; what was suppressed is
 * counted and reported on the next line that gets through.
 */
#ifndef CTALGD_LOG_H
#define CTALGD_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

/* Log to syslog, to the file @path, or (neither) to stderr. */
int log_open(bool use_syslog, const char *path);
void log_close(void);

void log_msg(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A rate limit: at most @burst lines per second. */
struct log_limit {
	uint64_t window; /* the second counted */
	uint32_t count;
	uint32_t suppressed;
	uint32_t burst;
};

#define LOG_LIMIT_INIT      \
	{                   \
		0, 0, 0, 10 \
	}

/* log_msg() unless @lim says this second had enough already. */
void log_limited(struct log_limit *lim, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_err(...)  log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

#endif
