/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The print layer: one set of flags and event kinds for every object the
 * library prints (connections, expectations, helpers), as text identical to
 * conntrack(8) and nfct(8), or as JSON, one object per entry.
 *
 * Printers follow snprintf(3): they write at most @size bytes including the
 * NUL and return the length the whole text needs, so a return value >= @size
 * means it was cut.
 */
#ifndef CTALG_PRINT_H
#define CTALG_PRINT_H

#ifdef __cplusplus
extern "C" {
#endif

/* What an entry is: a listed one, or an event. */
enum ctalg_event {
	CTALG_EVENT_NONE = 0,
	CTALG_EVENT_NEW,
	CTALG_EVENT_UPDATE,
	CTALG_EVENT_DESTROY,
};

enum {
	CTALG_PRINT_JSON = 1 << 0,	/* JSON instead of text */
	CTALG_PRINT_EXTENDED = 1 << 1,	/* text: layer-3 protocol first */
	CTALG_PRINT_ID = 1 << 2,	/* text: the kernel's id */
	CTALG_PRINT_TIMESTAMP = 1 << 3, /* text: conntrack -o timestamp */
	/* text: conntrack -o ktimestamp, the kernel's start and stop times */
	CTALG_PRINT_KTIMESTAMP = 1 << 4,
};

#ifdef __cplusplus
}
#endif

#endif
