/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small TAP producer for the C tests. Each check prints one "ok" or
 * "not ok" line; tap_done() prints the plan and returns the exit status.
 * A failing check prints what it got and what it expected, so a failure
 * can be read without a debugger.
 */
#ifndef CTALG_TAP_H
#define CTALG_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned int tap_n, tap_failed;

static inline __attribute__((format(printf, 2, 3))) bool tap_ok(bool cond,
								const char *fmt,
								...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

static inline __attribute__((format(printf, 1, 2))) void tap_skip(const char *fmt,
								  ...)
{
	va_list ap;

	tap_n++;
	printf("ok %u # SKIP ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2))) void tap_diag(const char *fmt,
								  ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Skip the whole program: exit status 77 as well, for plain runners. */
static inline __attribute__((noreturn, format(printf, 1, 2))) void tap_skip_all(
    const char *fmt, ...)
{
	va_list ap;

	printf("1..0 # SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(77);
}

static inline int tap_done(void)
{
	printf("1..%u\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Print a byte string as a C literal, for ready-to-paste vectors. */
static inline void tap_diag_bytes(const char *what, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	printf("# %s (%zu bytes): \"", what, len);
	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	}
	printf("\"\n");
}

#define tap_eq_u(got, want, ...)                                 \
	({                                                       \
		unsigned long long _g = (got), _w = (want);      \
		bool _r = tap_ok(_g == _w, __VA_ARGS__);         \
		if (!_r)                                         \
			tap_diag("got %llu, want %llu", _g, _w); \
		_r;                                              \
	})

#define tap_eq_str(got, want, ...)                                              \
	({                                                                      \
		const char *_g = (got), *_w = (want);                           \
		bool _r = tap_ok(_g && _w && strcmp(_g, _w) == 0, __VA_ARGS__); \
		if (!_r) {                                                      \
			tap_diag("got:  %s", _g ? _g : "(null)");               \
			tap_diag("want: %s", _w ? _w : "(null)");               \
		}                                                               \
		_r;                                                             \
	})

#endif
