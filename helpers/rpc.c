// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RPC helper: ONC RPC (RFC 5531) lookups at the portmapper / rpcbind
 * (RFC 1833), port 111, the way an NFSv3 client finds nfsd, mountd,
 * nlockmgr and statd. It asks for an expectation for each successful
 * lookup:
 *
 *   client: CALL   portmap v2 GETPORT (prog, vers, prot, port)
 *                  rpcbind v3/v4 GETADDR, v4 GETVERSADDR
 *                  (prog, vers, netid, r_addr, owner)
 *   server: REPLY  same xid, MSG_ACCEPTED, SUCCESS, and
 *                  GETPORT: the port; GETADDR: a universal address,
 *                  "h1.h2.h3.h4.p1.p2" or "x:x::x.p1.p2" ("" = none)
 *
 * The expected connection comes from the client (its exact address, any
 * source port) to the server at the port looked up, over the protocol the
 * client asked for (prot, or the netid "tcp", "udp", "tcp6", "udp6"),
 * which may differ from the lookup's own. It is PERMANENT: an NFS client
 * opens several connections to the same service. A universal address
 * whose host is the wildcard means the server itself, as libtirpc's
 * __rpc_fixup_addr() reads it; any other host is asked for as written, and
 * ctalgd's policy refuses it unless it is the server's own.
 *
 * Over TCP, messages are records (RFC 5531 section 11): a 4-byte mark
 * (last-fragment bit, 31-bit length) before each fragment. Records split
 * across segments wait in the carry; records of several fragments are
 * joined; records longer than any lookup can be are skipped, never
 * carried, with the skip counter in the private state. Over UDP a datagram
 * is one message.
 *
 * What the helper refuses, with CTALG_PARSE_ERROR, is what is malformed:
 * a field past the end of its message, an authenticator over 400 bytes, a
 * string over its bound or with a NUL, bytes after the arguments or
 * results, an unknown message type or status, a port over 65535, a
 * universal address that does not parse or is not of the connection's
 * family. Lookups it has no use for (other procedures, programs, netids)
 * and replies to calls it did not see pass silently.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>

#include "builtin.h"
#include "text.h"
#include "xdr.h"

/* RFC 5531. */
#define RPC_VERSION    2
#define RPC_CALL       0
#define RPC_REPLY      1
#define RPC_ACCEPTED   0
#define RPC_DENIED     1
#define RPC_SUCCESS    0
#define RPC_SYSTEM_ERR 5   /* the highest accept_stat */
#define RPC_AUTH_MAX   400 /* opaque_auth body, section 8.2 */
#define RPC_LAST_FRAG  0x80000000u
#define RPC_FRAG_LEN   0x7fffffffu

/* RFC 1833: one program, three versions. */
#define PMAP_PROG	 100000
#define PMAP_GETPORT	 3 /* version 2 */
#define RPCB_GETADDR	 3 /* versions 3 and 4 */
#define RPCB_GETVERSADDR 9 /* version 4 */

/*
 * Bounds on the strings of a lookup. Netids are short words ("tcp6"); the
 * longest universal address is an IPv6 address with a dotted quad and the
 * port, 53 characters; the owner is free text that rpcbind ignores in a
 * lookup ("libtirpc", "", a uid) and keeps in 64 bytes when it stores one.
 */
#define RPC_NETID_MAX 32
#define RPC_UADDR_MAX 64
#define RPC_OWNER_MAX 256

/*
 * The longest message the helper parses: a GETADDR call with both
 * authenticators and every string at its bound (1212 bytes). Every lookup
 * call and reply fits; anything longer (a DUMP reply, say) is skipped.
 */
#define RPC_MSG_MAX                                                       \
	(6 * 4 + 2 * (8 + RPC_AUTH_MAX) + 2 * 4 + 3 * 4 + RPC_NETID_MAX + \
	 RPC_UADDR_MAX + RPC_OWNER_MAX)
/*
 * Fragments joined into one record. Senders write a lookup in one
 * fragment; a record in more is malformed past this many, so a peer
 * cannot make the helper carry marks without end.
 */
#define RPC_FRAGS_MAX 8
/* What a record of interest can take in the carry, marks included. */
#define RPC_CARRY_MAX (RPC_MSG_MAX + 4 * RPC_FRAGS_MAX)
/* The words of a call's header, and of a reply's, after the mark. */
#define RPC_CALL_HDR  24
#define RPC_REPLY_HDR 12

_Static_assert(RPC_CARRY_MAX <= CTALG_HELPER_CARRY_MAX,
	       "a record of interest fits in the carry");

/*
 * The private state. It lives in the kernel's conntrack, as bytes in a
 * fixed (big-endian) order.
 *
 * call: the outstanding lookups, newest first: their xid, and what the
 * reply must be read as (info, 0 for a free slot). Clients send one lookup
 * at a time and wait; two slots keep a retransmitted or abandoned one and
 * a new one, or two pipelined ones. A third call evicts the oldest; a call
 * with an xid already kept replaces it (a retransmission). The program and
 * version asked for are not kept: the reply needs neither, and a lookup of
 * the portmapper itself is never kept.
 *
 * skip (TCP only, per direction): bytes left of a fragment being skipped
 * (a record too long to be a lookup), plus RPC_LAST_FRAG when more
 * fragments of that record follow.
 */
#define RPC_CALLS 2

struct rpc_call {
	uint8_t xid[4];
	uint8_t info;
};

struct rpc_priv {
	struct rpc_call call[RPC_CALLS];
	uint8_t skip[2][4];
};

#define RPC_UDP_PRIV offsetof(struct rpc_priv, skip)

/* struct rpc_call.info */
enum {
	RPC_FORM_PORT = 0x01,  /* a GETPORT: the reply is a port */
	RPC_FORM_UADDR = 0x02, /* a GETADDR: the reply is a universal address */
	RPC_WANT_UDP = 0x10,   /* the service is asked for over UDP, else TCP */
};

static uint32_t rpc_get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

static void rpc_put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* The slot of the outstanding call @xid, or NULL. */
static struct rpc_call *rpc_call_find(struct rpc_priv *st, uint32_t xid)
{
	int i;

	for (i = 0; i < RPC_CALLS; i++)
		if (st->call[i].info && rpc_get32(st->call[i].xid) == xid)
			return &st->call[i];
	return NULL;
}

static void rpc_call_forget(struct rpc_priv *st, uint32_t xid)
{
	struct rpc_call *c = rpc_call_find(st, xid);

	if (c)
		memset(c, 0, sizeof(*c));
}

/* Keep @xid first, then the others still outstanding, oldest dropped. */
static void rpc_call_keep(struct rpc_priv *st, uint32_t xid, uint8_t info)
{
	struct rpc_call old[RPC_CALLS];
	int i, n = 1;

	memcpy(old, st->call, sizeof(old));
	memset(st->call, 0, sizeof(st->call));
	rpc_put32(st->call[0].xid, xid);
	st->call[0].info = info;
	for (i = 0; i < RPC_CALLS && n < RPC_CALLS; i++)
		if (old[i].info && rpc_get32(old[i].xid) != xid)
			st->call[n++] = old[i];
}

/* The reply forms of the procedures the helper reads, 0 for the others. */
static uint8_t rpc_proc_form(uint32_t vers, uint32_t proc)
{
	if (vers == 2 && proc == PMAP_GETPORT)
		return RPC_FORM_PORT;
	if ((vers == 3 || vers == 4) && proc == RPCB_GETADDR)
		return RPC_FORM_UADDR;
	if (vers == 4 && proc == RPCB_GETVERSADDR)
		return RPC_FORM_UADDR;
	return 0;
}

/* What was wrong with an XDR field, by field and enum xdr_result. */
enum rpc_field {
	RPC_F_CRED,
	RPC_F_VERF,
	RPC_F_NETID,
	RPC_F_HINT,
	RPC_F_OWNER,
	RPC_F_RVERF,
	RPC_F_RADDR,
};

static const char *const rpc_field_err[][4] = {
	[RPC_F_CRED] = { NULL, "call: credential past the end",
			 "call: credential body over 400 bytes", NULL },
	[RPC_F_VERF] = { NULL, "call: verifier past the end",
			 "call: verifier body over 400 bytes", NULL },
	[RPC_F_NETID] = { NULL, "GETADDR: netid past the end",
			  "GETADDR: netid over 32 bytes",
			  "GETADDR: NUL byte in the netid" },
	[RPC_F_HINT] = { NULL, "GETADDR: address past the end",
			 "GETADDR: address over 64 bytes",
			 "GETADDR: NUL byte in the address" },
	[RPC_F_OWNER] = { NULL, "GETADDR: owner past the end",
			  "GETADDR: owner over 256 bytes",
			  "GETADDR: NUL byte in the owner" },
	[RPC_F_RVERF] = { NULL, "reply: verifier past the end",
			  "reply: verifier body over 400 bytes", NULL },
	[RPC_F_RADDR] = { NULL, "GETADDR reply: address past the end",
			  "GETADDR reply: address over 64 bytes",
			  "GETADDR reply: NUL byte in the address" },
};

/* An opaque_auth: a flavor of any value, a body of at most 400 bytes. */
static enum xdr_result rpc_skip_auth(struct ctalg_cursor *c)
{
	struct ctalg_cursor t = *c, body;
	enum xdr_result r;
	uint32_t flavor;

	if (!xdr_get_u32(&t, &flavor))
		return XDR_SHORT;
	r = xdr_get_opaque(&t, RPC_AUTH_MAX, &body);
	if (r == XDR_OK)
		*c = t;
	return r;
}

/*
 * The protocol a netid names, as IPPROTO_*, or 0 when it is no netid of
 * the connection's family: "tcp6" on an IPv4 connection asks for an
 * address the connection cannot lead to.
 */
static uint8_t rpc_netid_proto(const struct ctalg_cursor *n, uint8_t family)
{
	if (family == AF_INET6) {
		if (xdr_string_is(n, "tcp6", 4))
			return IPPROTO_TCP;
		if (xdr_string_is(n, "udp6", 4))
			return IPPROTO_UDP;
	} else {
		if (xdr_string_is(n, "tcp", 3))
			return IPPROTO_TCP;
		if (xdr_string_is(n, "udp", 3))
			return IPPROTO_UDP;
	}
	return 0;
}

/*
 * A CALL from the client, after its xid and message type. Keeps the
 * lookups the reply will be read for; returns what was malformed.
 */
static const char *rpc_call(struct ctalg_parse *p, struct ctalg_cursor *m,
			    uint32_t xid)
{
	struct ctalg_cursor netid, hint, owner;
	uint32_t rpcvers, prog, vers, proc, aprog, avers, prot, port;
	struct rpc_priv *st = p->priv;
	enum xdr_result r;
	uint8_t form, proto;

	if (!xdr_get_u32(m, &rpcvers) || !xdr_get_u32(m, &prog) ||
	    !xdr_get_u32(m, &vers) || !xdr_get_u32(m, &proc))
		return "call: header past the end";
	if (rpcvers != RPC_VERSION)
		return "call: RPC version other than 2";
	if (prog != PMAP_PROG)
		return NULL;
	/* Whatever this call is, an older one of its xid is answered by it. */
	rpc_call_forget(st, xid);
	form = rpc_proc_form(vers, proc);
	if (!form)
		return NULL;
	if ((r = rpc_skip_auth(m)) != XDR_OK)
		return rpc_field_err[RPC_F_CRED][r];
	if ((r = rpc_skip_auth(m)) != XDR_OK)
		return rpc_field_err[RPC_F_VERF][r];
	if (!xdr_get_u32(m, &aprog) || !xdr_get_u32(m, &avers))
		return form == RPC_FORM_PORT
			   ? "GETPORT: arguments past the end"
			   : "GETADDR: arguments past the end";
	(void)avers;
	if (form == RPC_FORM_PORT) {
		/* RFC 1833: the port of a GETPORT is ignored. */
		if (!xdr_get_u32(m, &prot) || !xdr_get_u32(m, &port))
			return "GETPORT: arguments past the end";
		if (ctalg_cursor_left(m))
			return "GETPORT: bytes after the arguments";
		proto = 0;
		if (prot == IPPROTO_TCP || prot == IPPROTO_UDP)
			proto = (uint8_t)prot;
	} else {
		if ((r = xdr_get_string(m, RPC_NETID_MAX, &netid)) != XDR_OK)
			return rpc_field_err[RPC_F_NETID][r];
		/* The address of the rpcbind asked: a hint it may use. */
		if ((r = xdr_get_string(m, RPC_UADDR_MAX, &hint)) != XDR_OK)
			return rpc_field_err[RPC_F_HINT][r];
		if ((r = xdr_get_string(m, RPC_OWNER_MAX, &owner)) != XDR_OK)
			return rpc_field_err[RPC_F_OWNER][r];
		if (ctalg_cursor_left(m))
			return "GETADDR: bytes after the arguments";
		proto = rpc_netid_proto(&netid, p->conn->family);
	}
	/*
	 * The portmapper's own port leads to no other service: an expectation
	 * for it would make later lookups expected connections, which keep no
	 * helper state (conntrack-tools 1.4.9 fixed this too).
	 */
	if (!proto || aprog == PMAP_PROG)
		return NULL;
	if (proto == IPPROTO_UDP)
		form |= RPC_WANT_UDP;
	rpc_call_keep(st, xid, form);
	return NULL;
}

/*
 * A universal address (RFC 5665 section 5.2.3): the host as text, then
 * ".p1.p2", the port's high and low bytes in decimal. The port is after
 * the last two dots, since an IPv6 host may end in a dotted quad.
 */
static const char *rpc_uaddr(const struct ctalg_parse *p, struct ctalg_cursor s,
			     union ctalg_addr *dst, uint16_t *port)
{
	struct ctalg_cursor host, hi, lo, t = s;
	size_t dot[2] = { 0, 0 }, n = 0;
	uint32_t v[2];
	long d;
	bool ok;

	while ((d = ctalg_cursor_find(&t, '.')) >= 0) {
		dot[0] = dot[1];
		dot[1] = t.off - s.off + (size_t)d;
		n++;
		ctalg_cursor_skip(&t, (size_t)d + 1);
	}
	if (n < 2 || !ctalg_cursor_sub(&s, dot[0], &host) ||
	    !ctalg_cursor_skip(&s, 1) ||
	    !ctalg_cursor_sub(&s, dot[1] - dot[0] - 1, &hi) ||
	    !ctalg_cursor_skip(&s, 1))
		return "GETADDR reply: no port in the address";
	lo = ctalg_cursor_rest(&s);
	if (!text_get_dec(&hi, 255, 3, &v[0]) || ctalg_cursor_left(&hi) ||
	    !text_get_dec(&lo, 255, 3, &v[1]) || ctalg_cursor_left(&lo))
		return "GETADDR reply: port bytes not two numbers of 0-255";
	*port = (uint16_t)(v[0] << 8 | v[1]);
	if (!*port)
		return "GETADDR reply: port 0";
	memset(dst, 0, sizeof(*dst));
	if (p->conn->family == AF_INET6)
		ok = text_get_ipv6(&host, dst);
	else
		ok = text_get_ipv4(&host, dst->b);
	if (!ok || ctalg_cursor_left(&host))
		return p->conn->family == AF_INET6
			   ? "GETADDR reply: host not an IPv6 address"
			   : "GETADDR reply: host not an IPv4 address";
	return NULL;
}

static bool rpc_addr_is_any(const union ctalg_addr *a)
{
	static const union ctalg_addr any;

	return !memcmp(a, &any, sizeof(*a));
}

/*
 * From the client's exact address, any source port, to @dst:@port; the
 * wildcard means the server, the sender of the reply.
 */
static void rpc_expect(struct ctalg_parse *p, const union ctalg_addr *dst,
		       uint16_t port, uint8_t info)
{
	struct ctalg_exp_req *e;

	if (!dst || rpc_addr_is_any(dst))
		dst = &ctalg_parse_sender(p)->src;
	e = ctalg_parse_expect(p, &ctalg_parse_peer(p)->src, dst, port);
	if (!e)
		return;
	e->l4proto = info & RPC_WANT_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	e->flags = CTALG_EXP_F_PERMANENT;
}

/*
 * A REPLY from the server, after its xid and message type: for a kept
 * lookup, the port or address it gives.
 */
static const char *rpc_reply(struct ctalg_parse *p, struct ctalg_cursor *m,
			     uint32_t xid)
{
	struct rpc_call *call = rpc_call_find(p->priv, xid);
	uint32_t stat, accept, port;
	struct ctalg_cursor addr;
	union ctalg_addr dst;
	enum xdr_result r;
	const char *err;
	uint16_t port16;
	uint8_t info;

	if (!call)
		return NULL; /* not a lookup, or one answered already */
	info = call->info;
	memset(call, 0, sizeof(*call));
	if (!xdr_get_u32(m, &stat))
		return "reply: status past the end";
	if (stat == RPC_DENIED)
		return NULL;
	if (stat != RPC_ACCEPTED)
		return "reply: status neither accepted nor denied";
	if ((r = rpc_skip_auth(m)) != XDR_OK)
		return rpc_field_err[RPC_F_RVERF][r];
	if (!xdr_get_u32(m, &accept))
		return "reply: accept status past the end";
	if (accept > RPC_SYSTEM_ERR)
		return "reply: unknown accept status";
	if (accept != RPC_SUCCESS)
		return NULL;
	if (info & RPC_FORM_PORT) {
		if (!xdr_get_u32(m, &port))
			return "GETPORT reply: port past the end";
		if (ctalg_cursor_left(m))
			return "GETPORT reply: bytes after the port";
		if (port > 65535)
			return "GETPORT reply: port above 65535";
		if (port)
			rpc_expect(p, NULL, (uint16_t)port, info);
		return NULL;
	}
	if ((r = xdr_get_string(m, RPC_UADDR_MAX, &addr)) != XDR_OK)
		return rpc_field_err[RPC_F_RADDR][r];
	if (ctalg_cursor_left(m))
		return "GETADDR reply: bytes after the address";
	if (!ctalg_cursor_left(&addr))
		return NULL; /* not registered */
	err = rpc_uaddr(p, addr, &dst, &port16);
	if (err)
		return err;
	rpc_expect(p, &dst, port16, info);
	return NULL;
}

/* One whole message: a datagram, or a record's fragments joined. */
static const char *rpc_message(struct ctalg_parse *p, struct ctalg_cursor *m)
{
	uint32_t xid, type;

	if (!xdr_get_u32(m, &xid) || !xdr_get_u32(m, &type))
		return "message shorter than an RPC header";
	if (type != RPC_CALL && type != RPC_REPLY)
		return "message type neither CALL nor REPLY";
	/* Calls only from the client, replies only from the server. */
	if (type != (p->dir == CTALG_DIR_ORIGINAL ? RPC_CALL : RPC_REPLY))
		return NULL;
	return type == RPC_CALL ? rpc_call(p, m, xid) : rpc_reply(p, m, xid);
}

static enum ctalg_parse_result rpc_parse_udp(struct ctalg_cursor *data,
					     struct ctalg_parse *p)
{
	p->error = rpc_message(p, data);
	return p->error ? CTALG_PARSE_ERROR : CTALG_PARSE_OK;
}

/* TCP: records. */

static uint32_t rpc_skip_get(const struct ctalg_parse *p)
{
	return rpc_get32(((const struct rpc_priv *)p->priv)->skip[p->dir]);
}

static void rpc_skip_set(struct ctalg_parse *p, uint32_t v)
{
	rpc_put32(((struct rpc_priv *)p->priv)->skip[p->dir], v);
}

/* Why a record is skipped unread. */
enum rpc_unread {
	RPC_TOO_LONG,  /* over RPC_MSG_MAX */
	RPC_TOO_SPLIT, /* in more than RPC_FRAGS_MAX fragments */
};

static const char *const rpc_unread_err[][2] = {
	[RPC_TOO_LONG] = { "call: lookup longer than 1212 bytes",
			   "reply: longer than 1212 bytes" },
	[RPC_TOO_SPLIT] = { "call: lookup in more than 8 fragments",
			    "reply: in more than 8 fragments" },
};

/*
 * A record is skipped unread: an error when its header (the first bytes
 * of its first fragment, @hdr) shows a lookup or the reply to a kept one,
 * which is then forgotten. Other records may be long (a DUMP reply).
 */
static const char *rpc_unread(struct ctalg_parse *p, struct ctalg_cursor hdr,
			      enum rpc_unread why)
{
	uint32_t xid, type, rpcvers, prog, vers, proc;
	struct rpc_priv *st = p->priv;

	if (!xdr_get_u32(&hdr, &xid) || !xdr_get_u32(&hdr, &type))
		return NULL;
	if (type == RPC_CALL && p->dir == CTALG_DIR_ORIGINAL &&
	    xdr_get_u32(&hdr, &rpcvers) && xdr_get_u32(&hdr, &prog) &&
	    xdr_get_u32(&hdr, &vers) && xdr_get_u32(&hdr, &proc) &&
	    rpcvers == RPC_VERSION && prog == PMAP_PROG) {
		rpc_call_forget(st, xid);
		if (rpc_proc_form(vers, proc))
			return rpc_unread_err[why][0];
	}
	if (type == RPC_REPLY && p->dir == CTALG_DIR_REPLY &&
	    rpc_call_find(st, xid)) {
		rpc_call_forget(st, xid);
		return rpc_unread_err[why][1];
	}
	return NULL;
}

_Static_assert(RPC_MSG_MAX == 1212 && RPC_FRAGS_MAX == 8,
	       "the error strings name RPC_MSG_MAX and RPC_FRAGS_MAX");

/*
 * Where a record of interest may start, after lost bytes: a mark of a
 * last fragment of a plausible length, then a lookup call (client) or a
 * reply to a kept lookup (server). Consumes what cannot start one; returns
 * false when the bytes left are too few to tell.
 */
static bool rpc_resync(struct ctalg_cursor *data, struct ctalg_parse *p)
{
	const size_t need = 4 + (p->dir == CTALG_DIR_ORIGINAL ? RPC_CALL_HDR
							      : RPC_REPLY_HDR);

	while (ctalg_cursor_left(data) >= need) {
		struct ctalg_cursor t = ctalg_cursor_rest(data);
		/* mark, xid, type, then rpcvers, prog, vers, proc or stat */
		uint32_t w[7] = { 0 }, len;
		size_t i;

		for (i = 0; i < need / 4; i++)
			xdr_get_u32(&t, &w[i]);
		len = w[0] & RPC_FRAG_LEN;
		if ((w[0] & RPC_LAST_FRAG) && len >= RPC_REPLY_HDR &&
		    len <= RPC_MSG_MAX &&
		    (p->dir == CTALG_DIR_ORIGINAL
			 ? w[2] == RPC_CALL && w[3] == RPC_VERSION &&
			       w[4] == PMAP_PROG && rpc_proc_form(w[5], w[6])
			 : w[2] == RPC_REPLY && w[3] <= RPC_DENIED &&
			       rpc_call_find(p->priv, w[1]))) {
			p->resync = false;
			return true;
		}
		ctalg_cursor_skip(data, 1);
	}
	return false;
}

enum rpc_record {
	RPC_RECORD_DONE, /* consumed: parsed, or skipping has begun */
	RPC_RECORD_WAIT, /* incomplete: nothing consumed, carry it */
};

/*
 * Skip a record from the fragment whose @mark @w is past on: consume what
 * is here, keep the count of the rest in the private state.
 */
static void rpc_record_skip(struct ctalg_cursor *data, struct ctalg_cursor *w,
			    struct ctalg_parse *p, uint32_t mark)
{
	uint32_t len = mark & RPC_FRAG_LEN, here = len;

	if (ctalg_cursor_left(w) < len)
		here = (uint32_t)ctalg_cursor_left(w);
	ctalg_cursor_skip(w, here);
	data->off = w->off;
	rpc_skip_set(p,
		     (len - here) | (mark & RPC_LAST_FRAG ? 0 : RPC_LAST_FRAG));
}

/* The record at the start of @data, if it is complete. */
static enum rpc_record rpc_record(struct ctalg_cursor *data,
				  struct ctalg_parse *p, const char **err)
{
	struct ctalg_cursor w = *data, frag[RPC_FRAGS_MAX], m;
	uint8_t joined[RPC_MSG_MAX];
	uint32_t mark = 0, len, total = 0;
	unsigned int n, i;

	for (n = 0;; n++) {
		if (n == RPC_FRAGS_MAX) {
			*err = rpc_unread(p, frag[0], RPC_TOO_SPLIT);
			/* The next mark is one of the record's: skip on. */
			data->off = w.off;
			rpc_skip_set(p, RPC_LAST_FRAG);
			return RPC_RECORD_DONE;
		}
		if (!xdr_get_u32(&w, &mark))
			return RPC_RECORD_WAIT;
		len = mark & RPC_FRAG_LEN;
		if (len > RPC_MSG_MAX - total) {
			struct ctalg_cursor hdr;
			size_t h;

			/* Tell what it is from its first fragment's start. */
			if (n == 0) {
				struct ctalg_cursor t = w;

				h = len < RPC_CALL_HDR ? len : RPC_CALL_HDR;
				if (!ctalg_cursor_sub(&t, h, &hdr))
					return RPC_RECORD_WAIT;
			} else {
				hdr = frag[0];
			}
			*err = rpc_unread(p, hdr, RPC_TOO_LONG);
			rpc_record_skip(data, &w, p, mark);
			return RPC_RECORD_DONE;
		}
		total += len;
		if (!ctalg_cursor_sub(&w, len, &frag[n]))
			return RPC_RECORD_WAIT;
		if (mark & RPC_LAST_FRAG)
			break;
	}
	if (n == 0) {
		m = frag[0];
	} else {
		for (total = 0, i = 0; i <= n; i++) {
			memcpy(joined + total, ctalg_cursor_ptr(&frag[i]),
			       frag[i].len);
			total += (uint32_t)frag[i].len;
		}
		m = ctalg_cursor_make(joined, total);
	}
	*err = rpc_message(p, &m);
	data->off = w.off;
	return RPC_RECORD_DONE;
}

static enum ctalg_parse_result rpc_parse_tcp(struct ctalg_cursor *data,
					     struct ctalg_parse *p)
{
	const size_t start = data->off;
	const char *err = NULL, *e;
	uint32_t skip, n, mark;

	if (p->resync)
		rpc_skip_set(p, 0); /* wherever the skipped record was */
	for (;;) {
		skip = rpc_skip_get(p);
		if (skip & RPC_FRAG_LEN) {
			n = skip & RPC_FRAG_LEN;
			if (ctalg_cursor_left(data) < n)
				n = (uint32_t)ctalg_cursor_left(data);
			ctalg_cursor_skip(data, n);
			rpc_skip_set(p, skip - n);
			if (!ctalg_cursor_left(data))
				break;
			continue;
		}
		if (skip & RPC_LAST_FRAG) {
			/* The next fragment of a record being skipped. */
			if (!xdr_get_u32(data, &mark))
				break;
			rpc_skip_set(
			    p, (mark & RPC_FRAG_LEN) |
				   (mark & RPC_LAST_FRAG ? 0 : RPC_LAST_FRAG));
			continue;
		}
		if (p->resync && !rpc_resync(data, p))
			break;
		if (!ctalg_cursor_left(data))
			break;
		e = NULL;
		if (rpc_record(data, p, &e) == RPC_RECORD_WAIT)
			break;
		if (e && !err)
			err = e;
	}
	p->consumed = (uint32_t)(data->off - start);
	if (err) {
		p->error = err;
		return CTALG_PARSE_ERROR;
	}
	return CTALG_PARSE_OK;
}

/*
 * The policy. One class, PERMANENT expectations for 300 s as conntrackd's
 * rpc helper, but up to 4 of them per master instead of 1: a client may
 * look up nfs, mountd, nlockmgr and status in turn from one source port
 * (successive pmap_getport() calls of libtirpc bound the same reserved
 * port, and a UDP conntrack outlives them), and with 1 each lookup would
 * evict the previous one before its connections are made. Ports below 1024 are
 * refused by default: NFSv3 services live above it (nfsd 2049, the others
 * on ports rpcbind hands out); PortFloor lowers it for NIS or rquotad.
 */
#define RPC_DEFINITION(l4, parse_fn, priv)                           \
	{                                                            \
		.abi = CTALG_HELPER_ABI, .name = "rpc",              \
		.description =                                       \
		    "ONC RPC portmapper (RFC 5531, 1833): GETPORT, " \
		    "GETADDR, GETVERSADDR",                          \
		.l4proto = (l4),                                     \
		.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,  \
		.ports = { 111 }, .min_port = 1024, .n_classes = 1,  \
		.classes = { { .name = "rpc",                        \
			       .max_expected = 4,                    \
			       .timeout = 300 } },                   \
		.priv_size = (priv), .carry_max = RPC_CARRY_MAX,     \
		.parse = (parse_fn),                                 \
	}

const struct ctalg_helper ctalg_helper_rpc_tcp = RPC_DEFINITION(
    IPPROTO_TCP, rpc_parse_tcp, sizeof(struct rpc_priv));
const struct ctalg_helper ctalg_helper_rpc_udp = RPC_DEFINITION(
    IPPROTO_UDP, rpc_parse_udp, RPC_UDP_PRIV);
