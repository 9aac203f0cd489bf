/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helper registration with the kernel (nfnetlink_cthelper, subsystem 9).
 *
 * A user-space helper is a placeholder in the kernel's helper table: a name,
 * a tuple (layer-3 family, layer-4 protocol), the NFQUEUE its connections'
 * packets go to, one to four expectation classes (policies), the length of
 * its per-connection private data, and a status. Rules attach it to
 * connections by name; while it is disabled, nothing is queued.
 *
 * Builders write one request into a caller-owned buffer of at least
 * CTALG_NL_MSG_SIZE bytes (smaller ones are refused with ENOSPC); the
 * round-trip calls send it over a struct ctalg_nl and return -1 with the
 * kernel's errno, its extended-ACK text in ctalg_nl_errmsg(). A kernel
 * without nfnetlink_cthelper refuses every request with EINVAL.
 */
#ifndef CTALG_CTHELPER_H
#define CTALG_CTHELPER_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include <ctalg/helper.h>
#include <ctalg/nl.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTALG_CTHELPER_NAME_MAX	    15 /* characters, helper and class */
#define CTALG_CTHELPER_POLICY_MAX   4  /* expectation classes */
#define CTALG_CTHELPER_PRIV_MAX	    32 /* bytes of private data */
#define CTALG_CTHELPER_EXPECTED_MAX 255
#define CTALG_CTHELPER_QUEUE_MAX    65535
/*
 * The kernel stores an expectation's timeout as timeout * HZ jiffies, which
 * must stay below 2^31 or the expectation is born expired: at HZ=1000 that
 * is 2147483 seconds (24 days). The kernel does not check; we do.
 */
#define CTALG_CTHELPER_TIMEOUT_MAX 2147483
/* Bytes ctalgd keeps in front of a TCP helper's private state. */
#define CTALG_CTHELPER_TCP_STATE 12

enum {
	CTALG_CTHELPER_DISABLED = 0, /* registered, nothing queued */
	CTALG_CTHELPER_ENABLED = 1,
};

/* Which fields of struct ctalg_cthelper are present (.set). */
enum {
	CTALG_CTHELPER_F_NAME = 1 << 0,
	CTALG_CTHELPER_F_TUPLE = 1 << 1, /* family and l4proto */
	CTALG_CTHELPER_F_QUEUE = 1 << 2,
	CTALG_CTHELPER_F_POLICY = 1 << 3, /* n_policies and policies */
	CTALG_CTHELPER_F_PRIV_LEN = 1 << 4,
	CTALG_CTHELPER_F_STATUS = 1 << 5,
};

/* Every field a kernel reply carries. */
#define CTALG_CTHELPER_F_ALL                                \
	(CTALG_CTHELPER_F_NAME | CTALG_CTHELPER_F_TUPLE |   \
	 CTALG_CTHELPER_F_QUEUE | CTALG_CTHELPER_F_POLICY | \
	 CTALG_CTHELPER_F_PRIV_LEN | CTALG_CTHELPER_F_STATUS)

/* In a filter (name, family, l4proto): this field matches anything. */
#define CTALG_CTHELPER_ANY (-1)

/* An expectation class. */
struct ctalg_cthelper_policy {
	char name[CTALG_CTHELPER_NAME_MAX + 1];
	uint32_t max_expected; /* per master; 0 = no limit on kernels <= 6.12 */
	uint32_t timeout;      /* seconds */
};

struct ctalg_cthelper {
	uint32_t set; /* CTALG_CTHELPER_F_* */
	char name[CTALG_CTHELPER_NAME_MAX + 1];
	uint16_t family; /* layer 3: AF_INET, AF_INET6 (0 matches both) */
	uint8_t l4proto; /* IPPROTO_TCP, IPPROTO_UDP */
	uint32_t queue;	 /* NFQUEUE number */
	uint32_t priv_len;
	uint32_t status; /* CTALG_CTHELPER_ENABLED or _DISABLED */
	uint32_t n_policies;
	struct ctalg_cthelper_policy policies[CTALG_CTHELPER_POLICY_MAX];
};

/*
 * The kernel private-data length of a ctalg helper: for TCP, the
 * CTALG_CTHELPER_TCP_STATE bytes of stream state ctalgd keeps in front of the
 * helper's priv_size bytes; for UDP, priv_size.
 * Returns the length, or -1 with errno EINVAL when it exceeds
 * CTALG_CTHELPER_PRIV_MAX or the protocol is neither TCP nor UDP.
 */
int ctalg_cthelper_priv_len(const struct ctalg_helper *h);

/*
 * Fill @ch with what registering @h for @family takes: its name, the tuple,
 * its expectation classes and the private length above. Queue and status
 * are left unset, for the caller to add.
 * Returns 0, or -1 with errno EINVAL when @h is not a valid helper (name,
 * number of classes, class names, private length).
 */
int ctalg_cthelper_from_helper(struct ctalg_cthelper *ch,
			       const struct ctalg_helper *h, uint16_t family);

/*
 * Build NFNL_MSG_CTHELPER_NEW for @h: create the helper, or update the one
 * with the same name and tuple. @nlflags: 0, or NLM_F_EXCL to fail with
 * EEXIST instead of updating. Name and tuple are needed; creating also needs
 * policies and priv_len, which an update must leave as they are (or leave
 * out). A helper created without a status is disabled.
 * Returns the message, or NULL with errno:
 *   ENOSPC: @size < CTALG_NL_MSG_SIZE;
 *   EINVAL: no name or tuple, a name or class name empty or longer than
 *   CTALG_CTHELPER_NAME_MAX, 0 or more than 4 policies, priv_len above 32,
 *   max_expected above 255, a timeout above CTALG_CTHELPER_TIMEOUT_MAX, a
 *   queue above 65535, a status other than enabled or disabled, @nlflags
 *   other than NLM_F_EXCL.
 */
struct nlmsghdr *ctalg_cthelper_build_new(void *buf, size_t size,
					  const struct ctalg_cthelper *h,
					  uint16_t nlflags);

/*
 * Build NFNL_MSG_CTHELPER_GET for the first helper matching @name (NULL:
 * any) and the tuple (@family, @l4proto): both given, or both
 * CTALG_CTHELPER_ANY, as the kernel filters on the whole tuple only.
 * Returns the message, or NULL with errno ENOSPC, or EINVAL for a name that
 * cannot exist, a half tuple, or a value out of range.
 */
struct nlmsghdr *ctalg_cthelper_build_get(void *buf, size_t size,
					  const char *name, int family,
					  int l4proto);

/*
 * Build a dump request (GET with NLM_F_DUMP) of every user-space helper;
 * the kernel does not list its own. Returns the message, or NULL with errno
 * ENOSPC.
 */
struct nlmsghdr *ctalg_cthelper_build_dump(void *buf, size_t size);

/*
 * Build NFNL_MSG_CTHELPER_DEL for every helper matching @name and the tuple,
 * with the same rules as ctalg_cthelper_build_get(); no name and no tuple
 * deletes every user-space helper (flush).
 * Returns the message, or NULL with errno ENOSPC or EINVAL.
 */
struct nlmsghdr *ctalg_cthelper_build_del(void *buf, size_t size,
					  const char *name, int family,
					  int l4proto);

/*
 * Parse a cthelper message (a kernel reply, or a request built above) into
 * @h, zeroed first; .set tells which fields were present. Every attribute
 * is validated: a tuple without both numbers, a policy nest without its
 * count, a count of 0 or above 4, a missing class or class field, a
 * priv_len above 32, a max_expected above 255, a queue above 65535 or a
 * status other than 0 or 1 make the message malformed; so does a message
 * from the kernel (without NLM_F_REQUEST) that lacks any field of
 * CTALG_CTHELPER_F_ALL, as the kernel always sends them all.
 * Returns 0, or -1 with errno EBADMSG (malformed, or not a cthelper
 * message).
 */
int ctalg_cthelper_parse(const struct nlmsghdr *nlh, struct ctalg_cthelper *h);

/*
 * Print @h into @buf with snprintf(3) semantics: as text, exactly what
 * `nfct helper list` prints for it (libnetfilter_cthelper's format, without
 * the trailing newline; policies are not shown), or with CTALG_PRINT_JSON as
 * one JSON object of every present field, policies included. Returns the
 * length of the whole text.
 */
int ctalg_cthelper_snprintf(char *buf, size_t size,
			    const struct ctalg_cthelper *h, unsigned int flags);

/*
 * Register @h (create or update, see ctalg_cthelper_build_new()).
 * Returns 0, or -1 with errno: those of ctalg_cthelper_build_new(); the
 * kernel's, among them EBUSY (a helper of this name and protocol already
 * exists, the kernel's own included; or, on update, a different priv_len or
 * policy count or class name), EEXIST (with NLM_F_EXCL), ENOMEM (priv_len
 * too large for this kernel), EPERM (CAP_NET_ADMIN in the initial user
 * namespace is needed), EINVAL (no nfnetlink_cthelper in this kernel, or
 * creating without policies or priv_len); those of ctalg_nl_request().
 */
int ctalg_cthelper_register(struct ctalg_nl *nl, const struct ctalg_cthelper *h,
			    uint16_t nlflags);

/*
 * Enable or disable the registered helper @name for (@family, @l4proto).
 * Returns 0, or -1 with errno: EINVAL (bad arguments, no such helper, or no
 * nfnetlink_cthelper: the kernel tries to create it and lacks the policies),
 * and those of ctalg_cthelper_register().
 */
int ctalg_cthelper_set_status(struct ctalg_nl *nl, const char *name,
			      uint16_t family, uint8_t l4proto, uint32_t status);

/*
 * Delete the user-space helpers matching @name (NULL: any), @family and
 * @l4proto (each CTALG_CTHELPER_ANY or a value); all of them when nothing
 * is given. A family without a protocol, or the reverse, is resolved with a
 * dump and one request per match, as the kernel filters on whole tuples.
 * Returns 0, or -1 with errno: ENOENT (nothing matched; the kernel itself
 * answers 0 when its table is empty), EBUSY (a rule uses the helper),
 * EINVAL, EPERM, ENOMEM, and those of ctalg_nl_request().
 */
int ctalg_cthelper_delete(struct ctalg_nl *nl, const char *name, int family,
			  int l4proto);

/*
 * Fetch into @h the first helper matching @name, @family and @l4proto (as
 * for ctalg_cthelper_delete()).
 * Returns 0, or -1 with errno: ENOENT, EBADMSG (a malformed reply), EINVAL,
 * EPERM, and those of ctalg_nl_request().
 */
int ctalg_cthelper_get(struct ctalg_nl *nl, const char *name, int family,
		       int l4proto, struct ctalg_cthelper *h);

/*
 * Called for each helper of a listing. @h is NULL when the kernel
 * interrupted the dump and it starts again: forget what came so far.
 * Returns CTALG_CB_OK to go on, CTALG_CB_STOP or CTALG_CB_ERROR (with errno).
 */
typedef int (*ctalg_cthelper_cb)(const struct ctalg_cthelper *h, void *data);

/*
 * List every user-space helper (the kernel's own are not listed), each
 * parsed as ctalg_cthelper_parse() does.
 * Returns 0, or -1 with errno: EBADMSG (a malformed helper: the listing
 * stops there), EINVAL (no nfnetlink_cthelper), EPERM, what @cb set, and
 * those of ctalg_nl_dump().
 */
int ctalg_cthelper_list(struct ctalg_nl *nl, ctalg_cthelper_cb cb, void *data);

/*
 * Whether this kernel has nfnetlink_cthelper, by asking for a listing: a
 * kernel without it refuses even that with EINVAL.
 * Returns 1 (it has), 0 (it has not), or -1 with errno when the question
 * itself failed (EPERM, those of ctalg_nl_dump()).
 */
int ctalg_cthelper_probe(struct ctalg_nl *nl);

#ifdef __cplusplus
}
#endif

#endif
