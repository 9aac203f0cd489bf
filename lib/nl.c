// SPDX-License-Identifier: GPL-2.0-or-later
/* Netlink transport: requests with sequence and port checks, extended ACK. */
#include <errno.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>

#include "internal.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct ctalg_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char errmsg[256];
	uint8_t *buf;
};

EXPORT struct ctalg_nl *ctalg_nl_open(void)
{
	struct ctalg_nl *nl;
	int on = 1, saved;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->buf = malloc(CTALG_NL_RECV_SIZE);
	if (!nl->buf)
		goto err_free;
	nl->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->sock)
		goto err_buf;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_sock;
	/* Both are optional: old kernels just do without. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &on, sizeof(on));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return nl;

err_sock:
	saved = errno;
	mnl_socket_close(nl->sock);
	errno = saved;
err_buf:
	free(nl->buf);
err_free:
	free(nl);
	return NULL;
}

EXPORT void ctalg_nl_close(struct ctalg_nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

EXPORT int ctalg_nl_fd(const struct ctalg_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

EXPORT uint32_t ctalg_nl_portid(const struct ctalg_nl *nl)
{
	return nl->portid;
}

EXPORT const char *ctalg_nl_errmsg(const struct ctalg_nl *nl)
{
	return nl->errmsg;
}

EXPORT int ctalg_nl_join(struct ctalg_nl *nl, unsigned int group)
{
	int g = (int)group;

	return mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &g,
				     sizeof(g));
}

EXPORT int ctalg_nl_set_rcvbuf(struct ctalg_nl *nl, int bytes)
{
	int fd = ctalg_nl_fd(nl);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

EXPORT int ctalg_nl_no_enobufs(struct ctalg_nl *nl)
{
	int on = 1;

	return mnl_socket_setsockopt(nl->sock, NETLINK_NO_ENOBUFS, &on,
				     sizeof(on));
}

EXPORT struct nlmsghdr *ctalg_nl_msg(void *buf, size_t size, uint8_t subsys,
				     uint8_t msg, uint16_t flags,
				     uint8_t family, uint16_t res_id)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*nfg)))
		return NULL;
	/* libmnl leaves attribute padding as it finds it: start from zeros. */
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)(subsys << 8 | msg);
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(res_id);
	return nlh;
}

EXPORT int ctalg_nl_send(struct ctalg_nl *nl, const struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	return 0;
}

/*
 * Pull the extended-ACK text out of an NLMSG_ERROR or NLMSG_DONE message.
 * The TLVs follow the error code and, unless the kernel capped it, the
 * request it echoes back.
 */
static void nl_read_ext_ack(struct ctalg_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;
	const struct nlattr *attr;
	const uint8_t *p;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = MNL_ALIGN(sizeof(int));
	} else {
		off = sizeof(*err);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*err))
				return;
			off += MNL_ALIGN(err->msg.nlmsg_len) -
			       sizeof(struct nlmsghdr);
		}
	}
	p = (const uint8_t *)mnl_nlmsg_get_payload(nlh) + off;
	if (p > end)
		return;
	for (attr = (const struct nlattr *)p;
	     mnl_attr_ok(attr, (int)(end - (const uint8_t *)attr));
	     attr = mnl_attr_next(attr)) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 mnl_attr_get_str(attr));
		return;
	}
}

struct nl_run {
	ctalg_nl_cb cb;
	ctalg_nl_cb other; /* messages that are not replies to the request */
	void *data;
	uint32_t seq;
	bool done;  /* ACK or DONE seen */
	bool intr;  /* NLM_F_DUMP_INTR seen */
	bool quiet; /* the callback stopped: drain without calling it */
	int err;    /* first error, as an errno value */
};

/* Read one datagram. Returns its length, or -1 with errno. */
static ssize_t nl_read(struct ctalg_nl *nl, int flags)
{
	struct sockaddr_nl addr;
	struct iovec iov = { nl->buf, CTALG_NL_RECV_SIZE };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(ctalg_nl_fd(nl), &msg, flags);
	if (n < 0)
		return -1;
	if (msg.msg_flags & MSG_TRUNC) {
		errno = EMSGSIZE;
		return -1;
	}
	if (addr.nl_pid != 0) {
		/* Only the kernel talks to us; drop anything else. */
		return 0;
	}
	return n;
}

bool nl_msg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

/* Handle every message of one datagram for a request or a read. */
static void nl_run_datagram(struct ctalg_nl *nl, struct nl_run *run, size_t len,
			    bool request)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->buf;
	int left = (int)len;

	for (; nl_msg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (request && (nlh->nlmsg_seq != run->seq ||
				nlh->nlmsg_pid != nl->portid)) {
			/* A stale reply, or a message the kernel sent unasked. */
			if (run->other)
				run->other(nlh, run->data);
			continue;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			run->intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_OVERRUN:
			if (!run->err)
				run->err = ENOBUFS;
			continue;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e)) {
				run->err = run->err ? run->err : EBADMSG;
				run->done = true;
				continue;
			}
			if (e->error < 0 && !run->err) {
				run->err = -e->error;
				nl_read_ext_ack(nl, nlh);
			}
			/* An error ends a request; on a read it is reported. */
			if (request)
				run->done = true;
			continue;
		}
		case NLMSG_DONE: {
			const int *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(int) &&
			    *e < 0 && !run->err) {
				run->err = -*e;
				nl_read_ext_ack(nl, nlh);
			}
			run->done = true;
			continue;
		}
		default:
			break;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE || run->quiet || !run->cb)
			continue;
		switch (run->cb(nlh, run->data)) {
		case CTALG_CB_OK:
			break;
		case CTALG_CB_ERROR:
			if (!run->err)
				run->err = errno ? errno : EPROTO;
			run->quiet = true;
			break;
		default:
			run->quiet = true;
			break;
		}
	}
	if (left > 0 && !run->err)
		run->err = EBADMSG; /* trailing bytes that are not a message */
}

EXPORT int ctalg_nl_request(struct ctalg_nl *nl, struct nlmsghdr *req,
			    ctalg_nl_cb cb, void *data)
{
	return nl_request_other(nl, req, cb, NULL, data);
}

int nl_request_other(struct ctalg_nl *nl, struct nlmsghdr *req, ctalg_nl_cb cb,
		     ctalg_nl_cb other, void *data)
{
	struct nl_run run = { .cb = cb, .other = other, .data = data };
	ssize_t n;

	nl->errmsg[0] = '\0';
	/* A dump ends with NLMSG_DONE; everything else with an ACK. */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	req->nlmsg_seq = run.seq = ++nl->seq;
	if (ctalg_nl_send(nl, req) < 0)
		return -1;

	while (!run.done) {
		n = nl_read(nl, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		nl_run_datagram(nl, &run, (size_t)n, true);
	}
	if (run.err) {
		errno = run.err;
		return -1;
	}
	if (run.intr) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

EXPORT int ctalg_nl_dump(struct ctalg_nl *nl, struct nlmsghdr *req,
			 ctalg_nl_cb cb, void *data, unsigned int retries)
{
	unsigned int i;

	req->nlmsg_flags |= NLM_F_DUMP;
	for (i = 0;; i++) {
		if (ctalg_nl_request(nl, req, cb, data) == 0)
			return 0;
		if (errno != EINTR || i >= retries)
			return -1;
		if (cb && cb(NULL, data) == CTALG_CB_ERROR)
			return -1;
	}
}

EXPORT int ctalg_nl_recv(struct ctalg_nl *nl, ctalg_nl_cb cb, void *data)
{
	struct nl_run run = { .cb = cb, .data = data };
	ssize_t n;

	nl->errmsg[0] = '\0';
	n = nl_read(nl, 0);
	if (n < 0)
		return -1;
	nl_run_datagram(nl, &run, (size_t)n, false);
	if (run.err) {
		errno = run.err;
		return -1;
	}
	return 0;
}
