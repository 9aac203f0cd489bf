/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conntrack entries as ctnetlink carries them (NFNL_SUBSYS_CTNETLINK):
 * parse dump replies and events into a fixed-size struct, build the dump
 * and get requests, join the event groups, and print entries as text
 * identical to conntrack(8) 1.4.7 or as JSON.
 *
 * Conventions, as in libmnl: -1 (or NULL) and errno on failure; the errno
 * values each function can set are listed above it.
 */
#ifndef CTALG_CT_H
#define CTALG_CT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include <ctalg/nl.h>
#include <ctalg/print.h>
#include <ctalg/tuple.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest security context kept; a longer CTA_SECCTX is refused. */
#define CTALG_CT_SECCTX_MAX 1023
/* Helper names are at most 15 characters (NF_CT_HELPER_NAME_LEN - 1). */
#define CTALG_CT_HELPER_MAX 15
/* Private data of a user-space helper (CTA_HELP_INFO), at most 32 bytes. */
#define CTALG_CT_HELPER_INFO_MAX 32
/* Connection labels: 128 bits (NF_CT_LABELS_MAX_SIZE). */
#define CTALG_CT_LABELS_MAX 16

/* Which fields of struct ctalg_ct are present (struct ctalg_ct.set). */
enum {
	CTALG_CT_ORIG = 1U << 0,   /* orig: CTA_TUPLE_ORIG */
	CTALG_CT_REPLY = 1U << 1,  /* reply: CTA_TUPLE_REPLY */
	CTALG_CT_MASTER = 1U << 2, /* master: an expected connection's */
	CTALG_CT_STATUS = 1U << 3,
	CTALG_CT_TIMEOUT = 1U << 4,
	CTALG_CT_MARK = 1U << 5,
	CTALG_CT_SECMARK = 1U << 6,
	CTALG_CT_USE = 1U << 7,
	CTALG_CT_ID = 1U << 8,
	CTALG_CT_ZONE = 1U << 9,
	CTALG_CT_TCP_STATE = 1U << 10,
	CTALG_CT_TCP_WSCALE_ORIG = 1U << 11,
	CTALG_CT_TCP_WSCALE_REPLY = 1U << 12,
	CTALG_CT_TCP_FLAGS_ORIG = 1U << 13,
	CTALG_CT_TCP_FLAGS_REPLY = 1U << 14,
	CTALG_CT_SCTP_STATE = 1U << 15,
	CTALG_CT_SCTP_VTAG_ORIG = 1U << 16,
	CTALG_CT_SCTP_VTAG_REPLY = 1U << 17,
	CTALG_CT_DCCP_STATE = 1U << 18,
	CTALG_CT_DCCP_ROLE = 1U << 19,
	CTALG_CT_DCCP_HANDSHAKE_SEQ = 1U << 20,
	CTALG_CT_ORIG_PACKETS = 1U << 21,
	CTALG_CT_ORIG_BYTES = 1U << 22,
	CTALG_CT_REPLY_PACKETS = 1U << 23,
	CTALG_CT_REPLY_BYTES = 1U << 24,
	CTALG_CT_TS_START = 1U << 25,
	CTALG_CT_TS_STOP = 1U << 26,
	CTALG_CT_HELPER = 1U << 27,
	CTALG_CT_HELPER_INFO = 1U << 28,
	CTALG_CT_SECCTX = 1U << 29,
	CTALG_CT_LABELS = 1U << 30,
};

/* Directions, to index the per-direction arrays. */
enum {
	CTALG_DIR_ORIG = 0,
	CTALG_DIR_REPLY = 1,
};

/*
 * One conntrack entry. Fixed size: parsing allocates nothing. Fields are in
 * host order; a field is meaningful only when its CTALG_CT_* bit is in @set,
 * and absent ones are zero. A tuple without its addresses (or ports) has
 * them zero and prints them so, as conntrack(8) does.
 */
struct ctalg_ct {
	uint64_t set;	 /* CTALG_CT_* */
	uint8_t family;	 /* AF_INET or AF_INET6 (nfgenmsg) */
	uint32_t portid; /* port id of the process an event came from, or 0 */
	struct ctalg_tuple orig;
	struct ctalg_tuple reply;
	struct ctalg_tuple master;
	uint32_t status;  /* IPS_* bits */
	uint32_t timeout; /* seconds left */
	uint32_t mark;
	uint32_t secmark;
	uint32_t use;
	uint32_t id;
	uint16_t zone; /* CTA_ZONE; per-direction zones are in the tuples */
	uint8_t tcp_state;
	uint8_t tcp_wscale[2];
	uint8_t tcp_flags[2][2]; /* {flags, mask} per direction */
	uint8_t sctp_state;
	uint32_t sctp_vtag[2];
	uint8_t dccp_state;
	uint8_t dccp_role;
	uint64_t dccp_handshake_seq;
	uint64_t packets[2];
	uint64_t bytes[2];
	uint64_t ts_start; /* nanoseconds since the epoch */
	uint64_t ts_stop;
	char helper[CTALG_CT_HELPER_MAX + 1];
	uint8_t helper_info_len;
	uint8_t helper_info[CTALG_CT_HELPER_INFO_MAX];
	char secctx[CTALG_CT_SECCTX_MAX + 1];
	uint8_t labels_len; /* bytes of CTA_LABELS */
	uint8_t labels[CTALG_CT_LABELS_MAX];
};

/*
 * Parse a ctnetlink conntrack message (a dump reply or an event:
 * IPCTNL_MSG_CT_NEW or IPCTNL_MSG_CT_DELETE) into @ct. Every attribute is
 * checked for type and size before it is stored; attributes this library
 * does not know are skipped.
 * Returns 0, or -1 with errno:
 *   EPROTO, not a conntrack message of the ctnetlink subsystem;
 *   EAFNOSUPPORT, a family other than AF_INET and AF_INET6;
 *   EBADMSG, a malformed message: truncated, without its original tuple or
 *   the protocol number in it, an attribute of the wrong size, an address of the other family, a string without its NUL, a helper name,
 *   helper data, security context or labels longer than the limits above.
 */
int ctalg_ct_parse(const struct nlmsghdr *nlh, struct ctalg_ct *ct);

/*
 * What an event message reports, decided as conntrack(8) decides it:
 * IPCTNL_MSG_CT_DELETE is DESTROY; IPCTNL_MSG_CT_NEW is NEW when the kernel
 * set NLM_F_CREATE (it sends NLM_F_CREATE | NLM_F_EXCL for new and related
 * entries) and UPDATE otherwise. CTALG_EVENT_NONE for any other message.
 * Only meaningful for event messages: dump replies are IPCTNL_MSG_CT_NEW too.
 */
enum ctalg_event ctalg_ct_event(const struct nlmsghdr *nlh);

/*
 * Build in @buf (@size bytes) a request to dump the conntrack table, only
 * the entries of @family (AF_INET, AF_INET6), or all with AF_UNSPEC. Send it
 * with ctalg_nl_dump(). Returns the message, or NULL with errno:
 * EAFNOSUPPORT for another family, ENOSPC when @size is too small.
 */
struct nlmsghdr *ctalg_ct_dump_request(void *buf, size_t size, uint8_t family);

/*
 * Build in @buf (@size bytes) a request for the one entry whose original
 * tuple is @orig, in conntrack zone @zone (0-65535), or the default zone
 * when @zone is -1. @orig must have its family (AF_INET, AF_INET6), both
 * addresses, the protocol and the protocol's identifiers: both ports for
 * TCP, UDP, UDP-Lite, SCTP, DCCP and GRE; type, code and id for ICMP and
 * ICMPv6. The kernel answers with one entry, or ENOENT.
 * Returns the message, or NULL with errno: EAFNOSUPPORT, EINVAL (a missing
 * field or a zone out of range), ENOSPC.
 */
struct nlmsghdr *ctalg_ct_get_request(void *buf, size_t size,
				      const struct ctalg_tuple *orig, int zone);

/* Event kinds to subscribe to (ctalg_ct_events_join). */
enum {
	CTALG_CT_EVENTS_NEW = 1 << 0,	  /* NFNLGRP_CONNTRACK_NEW */
	CTALG_CT_EVENTS_UPDATE = 1 << 1,  /* NFNLGRP_CONNTRACK_UPDATE */
	CTALG_CT_EVENTS_DESTROY = 1 << 2, /* NFNLGRP_CONNTRACK_DESTROY */
	CTALG_CT_EVENTS_ALL = 7,
};

/*
 * Subscribe @nl to the conntrack event groups in @events (CTALG_CT_EVENTS_*);
 * read the events with ctalg_nl_recv(). Returns 0, or -1 with errno:
 * EINVAL for an empty or unknown mask; those of ctalg_nl_join().
 */
int ctalg_ct_events_join(struct ctalg_nl *nl, unsigned int events);

/*
 * Print @ct as one line without a newline, with snprintf(3) semantics: at
 * most @size bytes are written, NUL included, and the length the whole
 * line needs is returned (>= @size means it was cut).
 *
 * Text (the default) is what conntrack(8) 1.4.7 prints for the same entry:
 * "conntrack -L" for CTALG_EVENT_NONE, "conntrack -E" for an event (with
 * its "[NEW]" prefix, and " [USERSPACE] portid=N" when a process caused it;
 * conntrack(8) then adds " progname=NAME" when it can find the process,
 * which is left to the caller). Flags: CTALG_PRINT_EXTENDED ("-o extended"),
 * CTALG_PRINT_ID ("-o id"), CTALG_PRINT_KTIMESTAMP ("-o ktimestamp"), and
 * CTALG_PRINT_TIMESTAMP ("-o timestamp": events only, prefixed with the
 * current time). Labels are printed only by ctalg_ct_snprintf_labels().
 *
 * CTALG_PRINT_JSON prints one JSON object with the fields documented in
 * ctalg(8), "event" included for events; the text flags are ignored.
 *
 * Returns the length, or -1 with errno EINVAL when @ct or @buf (with a
 * non-zero @size) is NULL.
 */
int ctalg_ct_snprintf(char *buf, size_t size, const struct ctalg_ct *ct,
		      enum ctalg_event ev, unsigned int flags);

/*
 * Label names, read from a connlabel.conf file ("BIT NAME" lines, BIT
 * 0-1023, "#" comments) exactly as conntrack(8) reads it.
 */
struct ctalg_labelmap;

/*
 * Read @path, or /etc/xtables/connlabel.conf when @path is NULL (the file
 * conntrack(8) reads). Returns the map, or NULL with errno: that of
 * fopen(3) (ENOENT when there is no such file), 0 when the file names no
 * valid label (as conntrack(8), which then prints no labels), ENOMEM.
 */
struct ctalg_labelmap *ctalg_labelmap_new(const char *path);
void ctalg_labelmap_free(struct ctalg_labelmap *map);

/* The name of label @bit, or NULL when the map names none. */
const char *ctalg_labelmap_name(const struct ctalg_labelmap *map,
				unsigned int bit);

/*
 * ctalg_ct_snprintf(), with the entry's labels printed by name from @map as
 * "conntrack -o labels" prints them. With @map NULL nothing is printed for
 * labels, as conntrack(8) when it has no label file. JSON always lists the
 * label bit numbers, whatever @map.
 */
int ctalg_ct_snprintf_labels(char *buf, size_t size, const struct ctalg_ct *ct,
			     enum ctalg_event ev, unsigned int flags,
			     const struct ctalg_labelmap *map);

#ifdef __cplusplus
}
#endif

#endif
