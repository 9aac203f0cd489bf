/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conntrack expectations over ctnetlink (NFNL_SUBSYS_CTNETLINK_EXP): one
 * fixed-size object holding every CTA_EXPECT_* attribute, its parser, the
 * function that adds its attributes to any message (an EXP_NEW request here,
 * an NFQA_EXP nest inside a queue verdict in the daemon), the requests, the
 * event kinds and groups, and the printer.
 *
 * Conventions as in nl.h: -1 (or NULL) and errno on failure, the errno
 * values listed above each function. Integers are in host order in the
 * object; the library converts them on the wire.
 */
#ifndef CTALG_EXPECT_H
#define CTALG_EXPECT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include <ctalg/print.h>
#include <ctalg/tuple.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest helper name, as the kernel allows (NF_CT_HELPER_NAME_LEN - 1). */
#define CTALG_EXP_HELPER_LEN 15
/*
 * Longest expectfn name kept. The kernel's longest is "nat-follow-master"
 * (17); a longer one in a message is refused as malformed.
 */
#define CTALG_EXP_FN_LEN 31

/* Which fields of struct ctalg_expect are present (.set). */
enum {
	CTALG_EXP_TUPLE = 1 << 0,   /* CTA_EXPECT_TUPLE: the expected tuple */
	CTALG_EXP_MASK = 1 << 1,    /* CTA_EXPECT_MASK */
	CTALG_EXP_MASTER = 1 << 2,  /* CTA_EXPECT_MASTER */
	CTALG_EXP_TIMEOUT = 1 << 3, /* CTA_EXPECT_TIMEOUT */
	CTALG_EXP_ID = 1 << 4,	    /* CTA_EXPECT_ID */
	CTALG_EXP_HELPER = 1 << 5,  /* CTA_EXPECT_HELP_NAME */
	CTALG_EXP_ZONE = 1 << 6,    /* CTA_EXPECT_ZONE */
	CTALG_EXP_FLAGS = 1 << 7,   /* CTA_EXPECT_FLAGS */
	CTALG_EXP_CLASS = 1 << 8,   /* CTA_EXPECT_CLASS */
	CTALG_EXP_NAT = 1 << 9,	    /* CTA_EXPECT_NAT: nat_dir and nat */
	CTALG_EXP_FN = 1 << 10,	    /* CTA_EXPECT_FN */
};

/*
 * Expectation flags (CTA_EXPECT_FLAGS), the kernel's NF_CT_EXPECT_*. The
 * helper SDK (helper.h) names the one a helper may ask for
 * CTALG_EXP_F_PERMANENT, with the same value.
 */
enum {
	CTALG_EXP_FLAG_PERMANENT = 0x1, /* not consumed by a match */
	CTALG_EXP_FLAG_INACTIVE = 0x2,	/* never matched (only SIP clears it) */
	CTALG_EXP_FLAG_USERSPACE = 0x4, /* set by the kernel; stripped on input */
};

/* CTA_EXPECT_NAT_DIR: the direction, relative to the master. */
enum {
	CTALG_EXP_DIR_ORIGINAL = 0,
	CTALG_EXP_DIR_REPLY = 1,
};

/*
 * An expectation. Tuples carry their own presence bits (CTALG_TUPLE_*);
 * .set says which of the members below are present. The mask is a tuple of
 * masks: the kernel only uses its source address and source port (all-ones
 * for exact, 0 for any); the rest must be present and is conventionally
 * all-ones. The NAT tuple's source address and port are what the kernel
 * keeps (saved_addr, saved_proto).
 */
struct ctalg_expect {
	uint32_t set;	/* CTALG_EXP_* */
	uint8_t family; /* AF_INET or AF_INET6 (nfgen_family) */
	struct ctalg_tuple tuple;
	struct ctalg_tuple mask;
	struct ctalg_tuple master;
	uint32_t timeout; /* seconds */
	uint32_t id;
	uint32_t flags; /* CTALG_EXP_FLAG_* */
	uint32_t class_nr;
	uint16_t zone;
	uint8_t nat_dir; /* CTALG_EXP_DIR_* */
	struct ctalg_tuple nat;
	char helper[CTALG_EXP_HELPER_LEN + 1];
	char fn[CTALG_EXP_FN_LEN + 1];
};

/*
 * Parse an expectation message (IPCTNL_MSG_EXP_NEW, _GET or _DELETE of
 * NFNL_SUBSYS_CTNETLINK_EXP: a dump entry, a GET reply, an event, or a
 * request) into @exp, which is cleared first. Every attribute is checked
 * for its type and size, and tuples for the message's family; unknown
 * attributes are skipped.
 * Returns 0, or -1 with errno EBADMSG (malformed, or not an expectation
 * message).
 */
int ctalg_exp_parse(const struct nlmsghdr *nlh, struct ctalg_expect *exp);

/*
 * Parse the CTA_EXPECT_* attributes inside the nested attribute @nest (an
 * NFQA_EXP) into @exp, whose addresses are of @family.
 * Returns 0, or -1 with errno EBADMSG.
 */
int ctalg_exp_parse_nested(const struct nlattr *nest, uint8_t family,
			   struct ctalg_expect *exp);

/*
 * Add the attributes of @exp that are present to @nlh, in a buffer of @size
 * bytes that starts at @nlh: TUPLE, MASTER, MASK, TIMEOUT, FLAGS, ZONE,
 * HELP_NAME (libnetfilter_conntrack's order), then ID, CLASS, NAT, FN.
 * To fill a nest (NFQA_EXP), open it first with mnl_attr_nest_start().
 * Nothing is added unless everything fits.
 * Returns 0, or -1 with errno ENOSPC.
 */
int ctalg_exp_put(struct nlmsghdr *nlh, size_t size,
		  const struct ctalg_expect *exp);

/*
 * Request builders. Each writes one request into @buf (@size bytes,
 * CTALG_NL_MSG_SIZE is always enough) and returns its header, ready for
 * ctalg_nl_request() (or ctalg_nl_dump() for the dump); or NULL with
 * errno ENOSPC (buffer too small) or EINVAL (as listed).
 */

/* Dump every expectation of @family (AF_UNSPEC: all). EINVAL: @family. */
struct nlmsghdr *ctalg_exp_build_dump(void *buf, size_t size, uint8_t family);

/*
 * Get one expectation by its expected tuple (@exp->tuple), in @exp->zone
 * when CTALG_EXP_ZONE is set, and only if its id is @exp->id when
 * CTALG_EXP_ID is set. EINVAL: no tuple, or @exp->family is not
 * AF_INET or AF_INET6.
 */
struct nlmsghdr *ctalg_exp_build_get(void *buf, size_t size,
				     const struct ctalg_expect *exp);

/*
 * Create @exp (NLM_F_CREATE | NLM_F_EXCL: an existing one is EEXIST from
 * the kernel). Every attribute present is sent. EINVAL: tuple, mask or
 * master missing, or a bad family.
 */
struct nlmsghdr *ctalg_exp_build_new(void *buf, size_t size,
				     const struct ctalg_expect *exp);

/* Delete by expected tuple, as ctalg_exp_build_get() looks it up. */
struct nlmsghdr *ctalg_exp_build_delete(void *buf, size_t size,
					const struct ctalg_expect *exp);

/*
 * Delete every expectation created by the helper @name, in every family.
 * EINVAL: @name empty or longer than CTALG_EXP_HELPER_LEN.
 */
struct nlmsghdr *ctalg_exp_build_delete_helper(void *buf, size_t size,
					       const char *name);

/*
 * Delete every expectation of the network namespace. The kernel ignores
 * the family here: all families are flushed.
 */
struct nlmsghdr *ctalg_exp_build_flush(void *buf, size_t size);

/*
 * What an expectation message reports: CTALG_EVENT_NEW (EXP_NEW with
 * NLM_F_CREATE or NLM_F_EXCL), CTALG_EVENT_UPDATE (another EXP_NEW, e.g. a
 * dump entry), CTALG_EVENT_DESTROY (EXP_DELETE), or CTALG_EVENT_NONE for
 * any other message.
 */
enum ctalg_event ctalg_exp_event(const struct nlmsghdr *nlh);

/*
 * The multicast group (NFNLGRP_*) carrying expectation events of kind
 * @ev, for ctalg_nl_join(). The kernel sends NEW and DESTROY; the UPDATE
 * group exists but nothing is ever sent to it.
 * Returns the group, or -1 with errno EINVAL for CTALG_EVENT_NONE.
 */
int ctalg_exp_event_group(enum ctalg_event ev);

/*
 * Print @exp into @buf (@size bytes) as snprintf(3) does: the return value
 * is the length of the whole text, so a value >= @size means it was cut.
 * Without CTALG_PRINT_JSON the text is the line conntrack(8) 1.4.7 prints
 * for `-L expect` (@ev CTALG_EVENT_NONE) or `-E expect` (its event), with
 * `-o timestamp`'s prefix (the current time) under CTALG_PRINT_TIMESTAMP;
 * with it, one JSON object (ctalg(8) lists the fields, which include the
 * NAT and expectfn that the text leaves out). No newline is added.
 */
int ctalg_exp_snprintf(char *buf, size_t size, const struct ctalg_expect *exp,
		       enum ctalg_event ev, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif
