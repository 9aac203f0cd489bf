/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink transport for the netfilter subsystems (NETLINK_NETFILTER).
 *
 * Conventions, as in libmnl: functions that can fail return -1 (or NULL) and
 * set errno; the errno values each function can set are listed above it.
 * Errors the kernel reports in NLMSG_ERROR are returned as that errno, and
 * the kernel's extended-ACK text, when it sent one, is kept in the handle
 * until the next request (ctalg_nl_errmsg()).
 */
#ifndef CTALG_NL_H
#define CTALG_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ctalg_nl;

/*
 * Size of the receive buffer. The kernel never builds a netfilter message
 * larger than this: dumps are packed into at most 32 KiB, and a queued packet
 * is at most 65531 bytes of payload plus its attributes. A receive that would
 * still be truncated is reported as EMSGSIZE, never passed on cut.
 */
#define CTALG_NL_RECV_SIZE (128 * 1024)

/* Callback results, the same values as libmnl's MNL_CB_*. */
enum {
	CTALG_CB_ERROR = -1, /* stop; the callback has set errno */
	CTALG_CB_STOP = 0,   /* stop without error */
	CTALG_CB_OK = 1,     /* go on */
};

/* Called for each message that carries data (not errors, not DONE). */
typedef int (*ctalg_nl_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Open a NETLINK_NETFILTER socket bound to an automatic port id, with
 * extended ACKs and capped ACKs turned on, and its receive buffer.
 * errno: those of socket(2) and bind(2), ENOMEM.
 */
struct ctalg_nl *ctalg_nl_open(void);

/* Close the socket and free the handle; NULL is accepted. */
void ctalg_nl_close(struct ctalg_nl *nl);

int ctalg_nl_fd(const struct ctalg_nl *nl);
uint32_t ctalg_nl_portid(const struct ctalg_nl *nl);

/*
 * The kernel's extended-ACK message for the last failed request, or "" when
 * the kernel gave none. Valid until the next call on @nl.
 */
const char *ctalg_nl_errmsg(const struct ctalg_nl *nl);

/*
 * Subscribe to a multicast group (NFNLGRP_*).
 * errno: those of setsockopt(2); EPERM without CAP_NET_ADMIN.
 */
int ctalg_nl_join(struct ctalg_nl *nl, unsigned int group);

/*
 * Set the socket receive buffer to @bytes, beyond rmem_max when the caller
 * has CAP_NET_ADMIN (SO_RCVBUFFORCE), else as far as SO_RCVBUF allows.
 * errno: those of setsockopt(2).
 */
int ctalg_nl_set_rcvbuf(struct ctalg_nl *nl, int bytes);

/*
 * Do not report ENOBUFS when the socket overruns (NETLINK_NO_ENOBUFS); for
 * sockets whose losses are counted elsewhere (the queue's drop counters).
 * errno: those of setsockopt(2).
 */
int ctalg_nl_no_enobufs(struct ctalg_nl *nl);

/*
 * Start an nfnetlink message in @buf (@size bytes, all zeroed first so no
 * attribute padding carries stale bytes; they must hold the headers): a netlink header of type (@subsys << 8 | @msg) with @flags
 * (NLM_F_REQUEST is always added), and an nfgenmsg with @family and @res_id
 * (host order). Returns the header, to which attributes are added with
 * libmnl's mnl_attr_put*(). The sequence number is set when it is sent.
 */
struct nlmsghdr *ctalg_nl_msg(void *buf, size_t size, uint8_t subsys, uint8_t msg,
			      uint16_t flags, uint8_t family, uint16_t res_id);

/*
 * Send @req with NLM_F_ACK and read the replies until the ACK (or, for a
 * dump, until NLMSG_DONE), calling @cb, which may be NULL, for each data
 * message. Replies are checked for the request's sequence number and the
 * kernel's port id; others are ignored.
 * Returns 0, or -1 with errno:
 *   the kernel's error (e.g. ENOENT, EEXIST, EPERM, EINVAL, EOPNOTSUPP), with
 *   its message in ctalg_nl_errmsg();
 *   EINTR when a dump was interrupted (NLM_F_DUMP_INTR: the table changed
 *   while it was being read; everything already passed to @cb may be
 *   inconsistent), after the rest of the dump was read;
 *   EMSGSIZE for a message larger than the receive buffer;
 *   EBADMSG for a malformed reply;
 *   whatever @cb set when it returned CTALG_CB_ERROR;
 *   those of sendto(2) and recvmsg(2).
 */
int ctalg_nl_request(struct ctalg_nl *nl, struct nlmsghdr *req, ctalg_nl_cb cb,
		     void *data);

/*
 * A dump request (NLM_F_DUMP is added to @req) that starts again when the
 * kernel marks it interrupted, at most @retries times. Before each new start
 * @cb is called once with a NULL message: the callback must then forget what
 * it has received so far. errno: as ctalg_nl_request(); EINTR when the last
 * try was interrupted too.
 */
int ctalg_nl_dump(struct ctalg_nl *nl, struct nlmsghdr *req, ctalg_nl_cb cb,
		  void *data, unsigned int retries);

/*
 * Send @nlh as it is (no ACK asked, sequence number kept): for messages whose
 * answers are read elsewhere, like queue verdicts.
 * errno: those of sendto(2).
 */
int ctalg_nl_send(struct ctalg_nl *nl, const struct nlmsghdr *nlh);

/*
 * Read one datagram (blocking unless the socket is non-blocking) and call
 * @cb for each data message in it: for event and packet sockets.
 * NLMSG_ERROR messages with an error are returned as that errno.
 * Returns 0, or -1 with errno: EAGAIN (non-blocking, nothing to read),
 * ENOBUFS (the socket overran: messages were lost), EMSGSIZE, EBADMSG,
 * what @cb set, those of recvmsg(2).
 */
int ctalg_nl_recv(struct ctalg_nl *nl, ctalg_nl_cb cb, void *data);

#ifdef __cplusplus
}
#endif

#endif
