// SPDX-License-Identifier: GPL-2.0-or-later
/* Argument parsing and error reporting shared by every ctalg command. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctalg/cursor.h>

#include "cli.h"

struct cli_opts cli;

static void cli_vmsg(const char *fmt, va_list ap)
{
	fputs("ctalg: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmsg(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmsg(fmt, ap);
	va_end(ap);
	return EXIT_FAILURE;
}

int cli_kernel_error(struct ctalg_nl *nl, const char *action)
{
	const char *msg = nl ? ctalg_nl_errmsg(nl) : "";

	if (msg[0])
		return cli_fail("%s: %s (kernel: %s)", action, strerror(errno),
				msg);
	return cli_fail("%s: %s", action, strerror(errno));
}

struct ctalg_nl *cli_nl_open(void)
{
	struct ctalg_nl *nl = ctalg_nl_open();

	if (!nl) {
		cli_fail("cannot open the netfilter netlink socket: %s",
			 strerror(errno));
		exit(EXIT_FAILURE);
	}
	return nl;
}

bool cli_is(const char *arg, const char *kw)
{
	return strcmp(arg, kw) == 0;
}

uint32_t cli_parse_u32(const char *what, const char *s, uint32_t min, uint32_t max)
{
	struct ctalg_cursor c = ctalg_cursor_make(s, strlen(s));
	uint32_t v;

	if (!ctalg_cursor_get_dec(&c, UINT32_MAX, &v) ||
	    ctalg_cursor_left(&c) != 0)
		cli_usage_error("%s: \"%s\" is not a number", what, s);
	if (v < min || v > max)
		cli_usage_error("%s: %s is out of range (%u-%u)", what, s, min,
				max);
	return v;
}

uint16_t cli_parse_port(const char *what, const char *s)
{
	return (uint16_t)cli_parse_u32(what, s, 0, 65535);
}

uint8_t cli_parse_family(const char *what, const char *s)
{
	if (cli_is(s, "inet") || cli_is(s, "ipv4"))
		return AF_INET;
	if (cli_is(s, "inet6") || cli_is(s, "ipv6"))
		return AF_INET6;
	cli_usage_error("%s: \"%s\" is not a family (inet, inet6, ipv4, ipv6)",
			what, s);
}

static const struct {
	const char *name;
	uint8_t num;
} l4protos[] = {
	{ "tcp", IPPROTO_TCP },		{ "udp", IPPROTO_UDP },
	{ "udplite", IPPROTO_UDPLITE }, { "sctp", IPPROTO_SCTP },
	{ "dccp", IPPROTO_DCCP },	{ "icmp", IPPROTO_ICMP },
	{ "icmpv6", IPPROTO_ICMPV6 },	{ "gre", IPPROTO_GRE },
};

uint8_t cli_parse_l4proto(const char *what, const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(l4protos) / sizeof(l4protos[0]); i++)
		if (cli_is(s, l4protos[i].name))
			return l4protos[i].num;
	if (s[0] >= '0' && s[0] <= '9')
		return (uint8_t)cli_parse_u32(what, s, 0, 255);
	cli_usage_error("%s: \"%s\" is not a protocol name or number 0-255",
			what, s);
}

void cli_parse_addr(const char *what, const char *s, uint8_t family,
		    union ctalg_addr *a, uint8_t *family_out)
{
	bool v4, v6;

	memset(a, 0, sizeof(*a));
	v4 = inet_pton(AF_INET, s, a->b) == 1;
	if (!v4)
		v6 = inet_pton(AF_INET6, s, a->b) == 1;
	else
		v6 = false;
	if (!v4 && !v6)
		cli_usage_error("%s: \"%s\" is not an IP address", what, s);
	if (family == AF_INET && !v4)
		cli_usage_error("%s: \"%s\" is not an IPv4 address", what, s);
	if (family == AF_INET6 && !v6)
		cli_usage_error("%s: \"%s\" is not an IPv6 address", what, s);
	if (family_out)
		*family_out = v4 ? AF_INET : AF_INET6;
}

const char *cli_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		cli_usage_error("%s: missing value", argv[*i]);
	return argv[++*i];
}

bool cli_output_option(int argc, char **argv, int *i)
{
	const char *v;

	if (!cli_is(argv[*i], "-o") && !cli_is(argv[*i], "--output"))
		return false;
	v = cli_value(argc, argv, i);
	if (cli_is(v, "json"))
		cli.json = true;
	else if (cli_is(v, "text"))
		cli.json = false;
	else
		cli_usage_error(
		    "%s: \"%s\" is not an output format (text, json)",
		    argv[*i - 1], v);
	return true;
}
