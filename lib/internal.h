/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Library internals: shared by lib/ and by the tests that link it whole. */
#ifndef CTALG_INTERNAL_H
#define CTALG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <libmnl/libmnl.h>

#include <ctalg/nl.h>
#include <ctalg/print.h>
#include <ctalg/tuple.h>

#define EXPORT __attribute__((visibility("default")))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- attribute validation (attr.c) ---- */

enum attr_kind {
	ATTR_UNKNOWN = 0, /* not in the policy: skipped */
	ATTR_U8,
	ATTR_U16,
	ATTR_U32,
	ATTR_U64,
	ATTR_STR,  /* NUL-terminated; .len = most characters, 0 = any */
	ATTR_NEST, /* nested attributes; checked by their own policy */
	ATTR_BIN,  /* raw bytes; .len = least bytes */
	ATTR_FLAG, /* no payload */
};

struct attr_policy {
	uint8_t kind;
	uint16_t len;
};

/*
 * Fill tb[0..max] with the attributes found in [payload, payload + len),
 * NULL where absent. Attribute types above @max or without a policy entry
 * are skipped; a known attribute of the wrong size is an error: -1, errno
 * EBADMSG. A later duplicate replaces an earlier one, as in the kernel.
 */
int attr_parse(const void *payload, size_t len, const struct attr_policy *pol,
	       unsigned int max, const struct nlattr **tb);

/* The same over the payload of the nested attribute @nest. */
static inline int attr_parse_nested(const struct nlattr *nest,
				    const struct attr_policy *pol,
				    unsigned int max, const struct nlattr **tb)
{
	return attr_parse((const char *)nest + MNL_ATTR_HDRLEN,
			  nest->nla_len - MNL_ATTR_HDRLEN, pol, max, tb);
}

/* The same over the attributes of a netfilter message (after nfgenmsg). */
int attr_parse_msg(const struct nlmsghdr *nlh, const struct attr_policy *pol,
		   unsigned int max, const struct nlattr **tb);

/* nfgenmsg fields of a netfilter message, or -1/EBADMSG if it is short. */
int nfmsg_family(const struct nlmsghdr *nlh);

/* ---- netlink (nl.c) ---- */

/*
 * mnl_nlmsg_ok() as libmnl 1.0.5 fixed it: whether a whole message starts
 * at @nlh within the @len bytes left of a datagram. Before that release a
 * length of 2^31 or more, cast to int, passed as fitting; one within 3 of
 * 2^32 even aligned to 0, so mnl_nlmsg_next() never moved on. Debian 12
 * ships libmnl 1.0.4: walk received messages with this, never the former.
 */
bool nl_msg_ok(const struct nlmsghdr *nlh, int len);

/*
 * ctalg_nl_request(), passing every message that is not a reply to @req to
 * @other instead of skipping it: for sockets on which the kernel may send
 * unasked, such as a queue that starts receiving packets as soon as it is
 * bound, before the ACK of the request that bound it.
 */
int nl_request_other(struct ctalg_nl *nl, struct nlmsghdr *req, ctalg_nl_cb cb,
		     ctalg_nl_cb other, void *data);

/* ---- tuples (tuple.c) ---- */

/*
 * Parse a CTA_TUPLE_* nest into @t, whose family is @family (the nfgenmsg
 * family; IPv4 addresses in an AF_INET6 message, or the reverse, are an
 * error). Returns 0, or -1 with errno EBADMSG.
 */
int tuple_parse(const struct nlattr *nest, uint8_t family, struct ctalg_tuple *t);

/* Add @t as the nested attribute @type: only the fields set in @t->set. */
void tuple_put(struct nlmsghdr *nlh, uint16_t type, const struct ctalg_tuple *t);

/* ---- output (out.c) ---- */

/*
 * An output buffer with snprintf semantics: writes stop at @size - 1 bytes
 * and the text stays NUL-terminated, while @len counts everything that
 * would have been written, so the caller can tell truncation and retry.
 */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static inline struct out out_make(char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size };

	if (buf && size)
		buf[0] = '\0';
	return o;
}

void out_printf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void out_str(struct out *o, const char *s);
/*
 * Remove the last byte written, which must be @c (a separator the caller
 * ends every element with). When the text was cut, that byte is no longer
 * in the buffer to be checked, and the length drops by one all the same.
 */
void out_trim(struct out *o, char c);
/* An address in the usual text form. */
void out_addr(struct out *o, uint8_t family, const union ctalg_addr *a);

/* conntrack(8)'s event prefix ("    [NEW] "), nothing for CTALG_EVENT_NONE. */
void out_event(struct out *o, enum ctalg_event ev);

/* conntrack(8)'s tuple text: "SRCTAG=a DSTTAG=b " and the layer-4 part. */
void out_tuple_addr(struct out *o, const struct ctalg_tuple *t,
		    const char *src_tag, const char *dst_tag);
void out_tuple_l4(struct out *o, const struct ctalg_tuple *t);

/*
 * A JSON writer over struct out: it tracks nesting so commas are placed
 * right. Keys and string values are escaped.
 */
struct json {
	struct out *o;
	unsigned int depth;
	bool first[16];
};

void json_begin(struct json *j, struct out *o);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_i64(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_addr(struct json *j, const char *key, uint8_t family,
	       const union ctalg_addr *a);
/* A tuple as an object of its present fields. */
void json_tuple(struct json *j, const char *key, const struct ctalg_tuple *t);

/* Protocols whose tuples carry ports (TCP, UDP, UDP-Lite, SCTP, DCCP). */
bool l4proto_has_ports(uint8_t proto);

/* "new", "update", "destroy" for JSON; NULL for CTALG_EVENT_NONE. */
const char *event_name(enum ctalg_event ev);

/* Protocol names as conntrack(8) prints them ("tcp", "unknown"). */
const char *l4proto_name(uint8_t proto);

/* ---- conntrack entries (print_ct.c) ---- */

struct ctalg_ct;
struct ctalg_labelmap;

/* The clocks a conntrack line depends on, so tests can fix them. */
struct ct_clock {
	time_t sec;	   /* time(2): the age of a running entry */
	struct timeval tv; /* gettimeofday(2): the "-o timestamp" prefix */
};

/* ctalg_ct_snprintf_labels() at the time @now. */
int ct_snprintf_at(char *buf, size_t size, const struct ctalg_ct *ct,
		   enum ctalg_event ev, unsigned int flags,
		   const struct ctalg_labelmap *map, const struct ct_clock *now);

#endif
