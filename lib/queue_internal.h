/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Queue internals: the message builders, shared with the tests. */
#ifndef CTALG_QUEUE_INTERNAL_H
#define CTALG_QUEUE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ctalg/queue.h>

#include "internal.h"

/*
 * ctalg_ip_parse(), optionally not checking the UDP length field: for a
 * packet whose UDP length is about to be rewritten. IP_LAX_UDP is private
 * to it and never left set in @ip->flags.
 */
#define IP_LAX_UDP 0x80
int ip_parse(const void *data, size_t len, struct ctalg_ip *ip, bool lax_udp);

/* The copy range the kernel applies for @range (0 or too large: the max). */
uint32_t queue_copy_range(uint32_t range);

/*
 * The NFQNL_MSG_CONFIG that binds queue @cfg->num and sets, in the same
 * message, copy mode and range, queue length, and flags with their mask.
 * NULL when @size is too small.
 */
struct nlmsghdr *queue_config_build(void *buf, size_t size,
				    const struct ctalg_queue_config *cfg);

/* The NFQNL_MSG_CONFIG that unbinds queue @num. */
struct nlmsghdr *queue_unbind_build(void *buf, size_t size, uint16_t num);

/* 0 if @v can be sent, else -1 with errno EINVAL. */
int queue_verdict_check(const struct ctalg_queue_verdict *v);

/* True for NF_ACCEPT with nothing else: what a batch verdict can carry. */
bool queue_verdict_plain(const struct ctalg_queue_verdict *v);

/* Bytes of a verdict message for @v, without the payload's own bytes. */
size_t queue_verdict_head_size(const struct ctalg_queue_verdict *v);

/*
 * Write the NFQNL_MSG_VERDICT for @v on queue @num at @buf: header, verdict,
 * mark, NFQA_CT, NFQA_EXP, and NFQA_PAYLOAD last. With @inline_payload the
 * payload bytes (and padding) follow; without, the message stops after the
 * payload's attribute header and its length still counts the payload, which
 * the sender adds from the caller's memory. The sequence number is the
 * packet id, so an error reply names the packet.
 * Returns the bytes written, or 0 when @size is too small. @v must have
 * passed queue_verdict_check().
 */
size_t queue_verdict_build(void *buf, size_t size, uint16_t num,
			   const struct ctalg_queue_verdict *v,
			   bool inline_payload);

/* Bytes of a batch verdict: header, nfgenmsg, NFQA_VERDICT_HDR. */
#define QUEUE_BATCH_LEN 32

/* The NFQNL_MSG_VERDICT_BATCH applying @verdict to every id up to @id. */
size_t queue_batch_build(void *buf, size_t size, uint16_t num, uint32_t verdict,
			 uint32_t id);

/*
 * The packet id of a queue packet message cut short: the first @len bytes
 * of a message whose own length may be larger. Returns 0 and sets @id, or
 * -1 with errno EBADMSG (no packet header in those bytes) or EPROTO (not a
 * packet message).
 */
int queue_msg_id(const void *msg, size_t len, uint32_t *id);

#endif
