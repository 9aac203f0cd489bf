/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ctalg command line: shared argument parsing and error reporting.
 *
 * Exit status: 0 success, 1 the kernel (or the system) refused, 2 a bad
 * argument. Every usage error names the argument that was wrong.
 */
#ifndef CTALG_CLI_H
#define CTALG_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <ctalg/nl.h>
#include <ctalg/tuple.h>

#define EXIT_USAGE 2

struct cli_opts {
	bool json; /* -o json */
};

extern struct cli_opts cli;

/* One object of the command line ("expect", "conntrack", ...). */
struct cli_object {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the verb */
	void (*help)(void);
	bool verbless; /* no verb: argv[0] is the object's name */
};

/* The objects (one file each). */
extern const struct cli_object cli_helper;
extern const struct cli_object cli_expect;
extern const struct cli_object cli_conntrack;
extern const struct cli_object cli_status;

/* Print "ctalg: MESSAGE" on stderr and exit with status 2. */
void cli_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Print "ctalg: MESSAGE" on stderr; returns 1, the failure status. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A refusal from the kernel: "ctalg: ACTION: <errno text>" followed by the
 * kernel's extended-ACK message when it sent one. Returns 1.
 */
int cli_kernel_error(struct ctalg_nl *nl, const char *action);

/* Open the netfilter netlink socket or exit 1 with the reason. */
struct ctalg_nl *cli_nl_open(void);

/* True when @arg is exactly @kw. */
bool cli_is(const char *arg, const char *kw);

/*
 * Strict parsers: each takes the name of what it parses for the error
 * message, and exits with status 2 when @s is not valid.
 */
uint32_t cli_parse_u32(const char *what, const char *s, uint32_t min,
		       uint32_t max);
uint16_t cli_parse_port(const char *what, const char *s);
/* inet, ipv4 -> AF_INET; inet6, ipv6 -> AF_INET6 */
uint8_t cli_parse_family(const char *what, const char *s);
/* tcp, udp, udplite, sctp, dccp, icmp, icmpv6, gre, or 0-255 */
uint8_t cli_parse_l4proto(const char *what, const char *s);
/*
 * An address of @family, or of either family when @family is AF_UNSPEC
 * (then *family_out tells which). Exits 2 on an address of the wrong family.
 */
void cli_parse_addr(const char *what, const char *s, uint8_t family,
		    union ctalg_addr *a, uint8_t *family_out);

/* Take the value after keyword argv[*i], or exit 2 if it is missing. */
const char *cli_value(int argc, char **argv, int *i);

/* Handle "-o json|text" inside a verb's arguments; true if consumed. */
bool cli_output_option(int argc, char **argv, int *i);

#endif
