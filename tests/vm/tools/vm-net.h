/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small socket helpers shared by the vm tier's crafted peers (vm-tns,
 * vm-amanda): dual-stack listeners, connects and reads with a deadline,
 * addresses as text. Each exits or returns -1 with a message on stderr;
 * none is meant for anything but the guest's test traffic.
 */
#ifndef VM_NET_H
#define VM_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define VM_ADDR_MAX 64

/* Milliseconds of a monotonic clock. */
int64_t vm_now_ms(void);

/* A socket of @type on [::]:@port taking IPv4 too; exits on failure. */
int vm_listen(int type, uint16_t port);

/*
 * @host, an IPv4 or IPv6 address (no brackets), and @port into @ss;
 * -1 when @host is neither.
 */
int vm_addr(const char *host, uint16_t port, struct sockaddr_storage *ss,
	    socklen_t *len);

/* The address of @ss as text, an IPv4-mapped IPv6 one as IPv4. */
const char *vm_ntop(const struct sockaddr_storage *ss, char buf[VM_ADDR_MAX]);

/* A TCP connection to @sa within @ms (blocking afterwards), or -1. */
int vm_connect(const struct sockaddr *sa, socklen_t len, int ms);

/* Read exactly @n bytes of @fd until @deadline (vm_now_ms()); 0 or -1. */
int vm_read_full(int fd, void *buf, size_t n, int64_t deadline);

/* Write all of @buf; 0 or -1. */
int vm_write_full(int fd, const void *buf, size_t n);

/* Wait up to @ms for the file @path to exist: 0, or -1 on timeout. */
int vm_wait_file(const char *path, int ms);

#endif
