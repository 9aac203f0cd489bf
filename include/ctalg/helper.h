/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helper SDK: what a protocol helper is, what it is given for each
 * packet, and what it may ask for. doc/helper-guide.md walks through a
 * complete helper.
 *
 * A helper is a pure parser. It gets the layer-4 payload of one packet
 * through the bounded cursor, the direction, the conntrack info, the
 * connection's tuples and its private state; it returns a result and zero
 * or more expectation requests. It never touches netlink, never allocates,
 * keeps no globals, and never decides a verdict: ctalgd owns the verdict,
 * checks every request against its policy (the expected connection must go
 * to the side that announced it, a port floor, the class maximum), and
 * creates the expectations.
 *
 * TCP helpers see the byte stream, not segments: ctalgd tracks each
 * direction's sequence numbers, drops retransmitted bytes, and hands the
 * parser in-order data. What the parser does not consume (an incomplete
 * command, say) is kept, up to carry_max bytes, and handed back in front of
 * the next data of that direction. So a command split across segments, or
 * several commands in one segment, need no code in the helper.
 */
#ifndef CTALG_HELPER_H
#define CTALG_HELPER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ctalg/cursor.h>
#include <ctalg/tuple.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a structure below changes; plugins must match it. */
#define CTALG_HELPER_ABI 1

#define CTALG_HELPER_NAME_MAX	 15 /* characters, as the kernel allows */
#define CTALG_HELPER_CLASSES_MAX 4
/*
 * The kernel keeps 32 bytes of private state per connection; ctalgd uses
 * 12 of them for TCP stream positions, the rest is the helper's.
 */
#define CTALG_HELPER_PRIV_MAX  20
#define CTALG_HELPER_CARRY_MAX 2048
#define CTALG_EXP_PER_PACKET   8

enum ctalg_dir {
	CTALG_DIR_ORIGINAL = 0, /* from the side that opened the connection */
	CTALG_DIR_REPLY = 1,
};

/* struct ctalg_helper.flags */
enum {
	/*
	 * Parse the connections made from this helper's expectations too
	 * (SSDP's answers and eventing connections). Without it their packets,
	 * when the kernel queues them (6.1 gives every expected connection the
	 * master's helper), pass unparsed on ctalgd's fast path.
	 */
	CTALG_HELPER_F_CHILDREN = 1 << 0,
};

/* The families a helper serves (struct ctalg_helper.families). */
enum {
	CTALG_HELPER_INET = 1 << 0,
	CTALG_HELPER_INET6 = 1 << 1,
};

/* Expectation request flags (struct ctalg_exp_req.flags). */
enum {
	/* Not consumed by a match (the kernel's NF_CT_EXPECT_PERMANENT). */
	CTALG_EXP_F_PERMANENT = 0x1,
	/*
	 * The expected connection gets this helper too, under the same name
	 * for the expected connection's protocol (a Type of it must be
	 * configured): SSDP's eventing connections, say. Kernels honour it
	 * from 6.12.103 on (CTA_EXPECT_HELP_NAME in the verdict); 6.1 gives
	 * every expected connection the master's helper anyway.
	 */
	CTALG_EXP_F_HELPER = 0x100,
};

/* An expectation class and its defaults; the configuration may override. */
struct ctalg_exp_class {
	const char *name; /* at most CTALG_HELPER_NAME_MAX characters */
	uint32_t max_expected;
	uint32_t timeout; /* seconds */
};

/* What a helper knows of the connection. */
struct ctalg_conn {
	uint8_t family;	 /* AF_INET or AF_INET6 */
	uint8_t l4proto; /* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t zone;
	uint32_t status; /* the kernel's IPS_* bits (NAT shows here) */
	/*
	 * The tuple of each direction as the kernel reports it:
	 * tuple[CTALG_DIR_ORIGINAL].src is the side that opened the
	 * connection; with NAT the reply tuple shows the translated view.
	 */
	struct ctalg_tuple tuple[2];
};

/*
 * An expectation request: the connection the helper expects, seen from its
 * first packet. The family is the master's.
 */
struct ctalg_exp_req {
	uint8_t cls;	 /* index into the helper's classes */
	uint8_t l4proto; /* of the expected connection */
	/*
	 * Most significant bits of the source address that must match:
	 * 0 = any source, 32 (IPv4) or 128 (IPv6) = exactly src.
	 */
	uint8_t src_prefix;
	bool any_sport; /* any source port, else exactly sport */
	uint32_t flags; /* CTALG_EXP_F_* */
	union ctalg_addr src;
	union ctalg_addr dst;
	uint16_t sport; /* host order */
	uint16_t dport; /* host order */
};

/* What the parser is given for one packet, and what it returns. */
struct ctalg_parse {
	/* In: read-only, but for resync and priv. */
	const struct ctalg_conn *conn;
	enum ctalg_dir dir; /* of this packet */
	uint8_t ctinfo;	    /* the kernel's IP_CT_* for this packet */
	/*
	 * In and out, TCP: bytes before this data were not seen (ctalgd
	 * started in the middle of the stream, lost its carry, or dropped an
	 * over-long message), so the data may begin inside a message. The
	 * parser clears it once it has found where a message starts; while it
	 * stays set, the next data of this direction comes with it set again
	 * (a line protocol that finds no newline stays in resync).
	 */
	bool resync;
	/*
	 * In and out: the connection's private state, priv_size bytes, all
	 * zero for a new connection. It lives in the kernel's conntrack, so it
	 * survives a restart of ctalgd.
	 */
	void *priv;

	/* Out. */
	/*
	 * TCP: how many bytes of the data were handled. The rest, if any, is
	 * an incomplete message that comes back in front of the next data of
	 * this direction; more than carry_max of it is dropped and counted as
	 * malformed. Unused for UDP.
	 */
	uint32_t consumed;
	unsigned int n_exp;
	struct ctalg_exp_req exp[CTALG_EXP_PER_PACKET];
	/* With CTALG_PARSE_ERROR: a static string saying what was wrong. */
	const char *error;
	/*
	 * With CTALG_PARSE_ERROR: how many malformed messages the data held
	 * (ctalgd counts them; 0 is taken as 1). @error is the first's.
	 */
	unsigned int n_errors;
};

enum ctalg_parse_result {
	CTALG_PARSE_OK = 0,
	/*
	 * Malformed or hostile input: counted and logged with p->error. The
	 * packet still passes (a helper never stalls traffic) and requests
	 * made are still checked and created. consumed and resync keep their
	 * meaning: a line parser skips the bad line and goes on with the next;
	 * a parser that cannot tell where the next message starts sets resync.
	 */
	CTALG_PARSE_ERROR,
};

typedef enum ctalg_parse_result (*ctalg_parse_fn)(struct ctalg_cursor *data,
						  struct ctalg_parse *p);

struct ctalg_helper {
	uint32_t abi;	  /* CTALG_HELPER_ABI */
	const char *name; /* the default kernel helper name */
	const char *description;
	uint8_t l4proto;   /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t families;  /* CTALG_HELPER_INET | CTALG_HELPER_INET6 */
	uint16_t ports[4]; /* default control ports, 0-terminated */
	uint16_t min_port; /* default lowest port an expectation may open */
	uint8_t n_classes; /* 1..CTALG_HELPER_CLASSES_MAX */
	struct ctalg_exp_class classes[CTALG_HELPER_CLASSES_MAX];
	uint32_t priv_size; /* bytes of private state, <= PRIV_MAX */
	uint32_t carry_max; /* TCP: longest incomplete message kept */
	ctalg_parse_fn parse;
	uint32_t flags; /* CTALG_HELPER_F_* */
};

/*
 * A plugin (a shared object in ctalgd's helper directory) exports its ABI
 * version and a NULL-terminated list of helpers:
 *
 *	CTALG_PLUGIN(&my_helper_tcp, &my_helper_udp);
 */
#define CTALG_PLUGIN(...)                                                        \
	__attribute__((visibility("default")))                                   \
	const uint32_t ctalg_plugin_abi = CTALG_HELPER_ABI;                      \
	__attribute__((visibility("default")))                                   \
	const struct ctalg_helper *const ctalg_plugin_helpers[] = { __VA_ARGS__, \
								    NULL }

/* The side that sent this packet: the one that announces in it. */
static inline const struct ctalg_tuple *ctalg_parse_sender(
    const struct ctalg_parse *p)
{
	return &p->conn->tuple[p->dir];
}

/* The other side, as this packet's sender sees it. */
static inline const struct ctalg_tuple *ctalg_parse_peer(const struct ctalg_parse *p)
{
	return &p->conn->tuple[!p->dir];
}

/*
 * The next free expectation request, zeroed and set up for a connection of
 * the master's protocol from an exact source address to @dst:@dport (host
 * order) with any source port; NULL when the packet already has
 * CTALG_EXP_PER_PACKET requests.
 */
static inline struct ctalg_exp_req *ctalg_parse_expect(
    struct ctalg_parse *p, const union ctalg_addr *src,
    const union ctalg_addr *dst, uint16_t dport)
{
	struct ctalg_exp_req *e;

	if (p->n_exp >= CTALG_EXP_PER_PACKET)
		return NULL;
	e = &p->exp[p->n_exp++];
	memset(e, 0, sizeof(*e));
	e->l4proto = p->conn->l4proto;
	e->src_prefix = p->conn->family == AF_INET6 ? 128 : 32;
	e->any_sport = true;
	e->src = *src;
	e->dst = *dst;
	e->dport = dport;
	return e;
}

/*
 * Line-oriented protocols: take the next complete line ending in "\n" from
 * @data into @line (without the "\r\n" or "\n") and move past it. Returns
 * false, without moving, when no complete line is left: the caller then
 * stops and reports what it consumed, so the rest is carried.
 */
static inline bool ctalg_line_next(struct ctalg_cursor *data,
				   struct ctalg_cursor *line)
{
	long nl = ctalg_cursor_find(data, '\n');
	size_t len;

	if (nl < 0)
		return false;
	len = (size_t)nl;
	*line = ctalg_cursor_make(ctalg_cursor_ptr(data), len);
	if (len && line->data[len - 1] == '\r')
		line->len--;
	ctalg_cursor_skip(data, len + 1);
	return true;
}

#ifdef __cplusplus
}
#endif

#endif
