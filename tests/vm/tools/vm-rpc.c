// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-rpc: the ONC RPC peers of the vm tier's rpc scenarios, on libtirpc.
 * Debian's rpcinfo asks rpcbind with version 4 GETADDR, which helpers that
 * understand only portmap version 2 ignore (vm_testing.md trap 9); this
 * sends a real portmap v2 GETPORT, and serves and calls a program whose
 * port the expectation must open.
 *
 *   vm-rpc serve PROG VERS PORT
 *	serve PROG VERS on PORT over UDP and TCP, IPv4 and IPv6, registered
 *	with the local rpcbind for the netids udp, tcp, udp6 and tcp6 (so
 *	both portmap v2 and rpcbind v3/v4 lookups find it); procedure 1
 *	echoes a string
 *   vm-rpc getport HOST PROG VERS udp|tcp VIA [PROG VERS udp|tcp]...
 *	ask the portmapper on HOST (IPv4, port 111, over VIA: udp or tcp)
 *	which port PROG VERS has for udp or tcp; prints the port. Further
 *	lookups go over the same client handle, so from the same source
 *	port: one master connection for all of them; one port per line
 *   vm-rpc call HOST PORT PROG VERS udp|tcp TEXT
 *	call procedure 1 with TEXT on HOST:PORT (IPv4 or IPv6); prints the
 *	answer
 *
 * Exit status: 0 success, 1 the call failed (libtirpc's reason on
 * stderr), 2 bad arguments.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netconfig.h>
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include <rpc/pmap_prot.h>
#include <rpc/rpcb_clnt.h>

#include <ctalg/cursor.h>

#define ECHO_PROC 1
#define ECHO_MAX  1024
#define LOOKUPS	  8

static void usage(void)
{
	fprintf(stderr,
		"usage: vm-rpc serve PROG VERS PORT\n"
		"       vm-rpc getport HOST PROG VERS udp|tcp VIA [PROG VERS "
		"udp|tcp]...\n"
		"       vm-rpc call HOST PORT PROG VERS udp|tcp TEXT\n");
	exit(2);
}

static uint32_t num(const char *what, const char *s, uint32_t max)
{
	struct ctalg_cursor c = ctalg_cursor_make(s, strlen(s));
	uint32_t v;

	if (!ctalg_cursor_get_dec(&c, max, &v) || ctalg_cursor_left(&c)) {
		fprintf(stderr, "vm-rpc: bad %s \"%s\" (0-%u)\n", what, s, max);
		exit(2);
	}
	return v;
}

static int proto(const char *s)
{
	if (!strcmp(s, "udp"))
		return IPPROTO_UDP;
	if (!strcmp(s, "tcp"))
		return IPPROTO_TCP;
	fprintf(stderr, "vm-rpc: \"%s\" is neither udp nor tcp\n", s);
	exit(2);
}

static struct sockaddr_in address(const char *host, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "vm-rpc: bad IPv4 address \"%s\"\n", host);
		exit(2);
	}
	sin.sin_port = htons(port);
	return sin;
}

static void dispatch(struct svc_req *req, SVCXPRT *xprt)
{
	char buf[ECHO_MAX + 1] = "";
	char *text = buf;

	switch (req->rq_proc) {
	case NULLPROC:
		/* libtirpc declares xdr_void(void); void (*)(void) converts
		 * to any function type without a warning. */
		svc_sendreply(xprt, (xdrproc_t)(void (*)(void))xdr_void, NULL);
		return;
	case ECHO_PROC:
		if (!svc_getargs(xprt, (xdrproc_t)xdr_wrapstring, (caddr_t)&text)) {
			svcerr_decode(xprt);
			return;
		}
		svc_sendreply(xprt, (xdrproc_t)xdr_wrapstring, (caddr_t)&text);
		if (text != buf)
			svc_freeargs(xprt, (xdrproc_t)xdr_wrapstring,
				     (caddr_t)&text);
		return;
	default:
		svcerr_noproc(xprt);
	}
}

/*
 * A socket for netid @nc on @port, bound on every address of its family
 * (IPv6 sockets IPv6 only, beside the IPv4 ones); exits on failure.
 */
static int bound(const struct netconfig *nc, uint16_t port)
{
	const int v6 = !strcmp(nc->nc_protofmly, NC_INET6);
	const int type = nc->nc_semantics == NC_TPI_CLTS ? SOCK_DGRAM
							 : SOCK_STREAM;
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int one = 1;
	int fd;

	fd = socket(v6 ? AF_INET6 : AF_INET, type, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (v6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    (v6 ? bind(fd, (struct sockaddr *)&sin6, sizeof(sin6))
		: bind(fd, (struct sockaddr *)&sin, sizeof(sin))) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		perror("vm-rpc: socket");
		exit(1);
	}
	return fd;
}

static int serve(uint32_t prog, uint32_t vers, uint16_t port)
{
	static const char *const netids[] = { "udp", "tcp", "udp6", "tcp6" };
	struct netconfig *nc;
	SVCXPRT *xprt;
	size_t i;

	rpcb_unset(prog, vers, NULL);
	for (i = 0; i < sizeof(netids) / sizeof(netids[0]); i++) {
		nc = getnetconfigent(netids[i]);
		if (!nc) {
			fprintf(stderr, "vm-rpc: no netid %s in /etc/netconfig\n",
				netids[i]);
			return 1;
		}
		xprt = svc_tli_create(bound(nc, port), nc, NULL, 0, 0);
		if (!xprt || !svc_reg(xprt, prog, vers, dispatch, nc)) {
			fprintf(stderr, "vm-rpc: cannot serve over %s\n",
				netids[i]);
			return 1;
		}
		freenetconfigent(nc);
	}
	svc_run();
	return 1;
}

struct lookup {
	uint32_t prog, vers;
	int proto;
};

/* The lookups one after the other over one client of the portmapper. */
static int getport(struct sockaddr_in *sin, const struct lookup *l,
		   unsigned int n, int via)
{
	struct timeval retry = { .tv_sec = 1 }, timeout = { .tv_sec = 5 };
	int sock = RPC_ANYSOCK;
	unsigned long port;
	unsigned int i;
	struct pmap args;
	CLIENT *clnt;

	if (via == IPPROTO_UDP)
		clnt = clntudp_create(sin, PMAPPROG, PMAPVERS, retry, &sock);
	else
		clnt = clnttcp_create(sin, PMAPPROG, PMAPVERS, &sock, 0, 0);
	if (!clnt) {
		clnt_pcreateerror("vm-rpc");
		return 1;
	}
	for (i = 0; i < n; i++) {
		args = (struct pmap){ .pm_prog = l[i].prog,
				      .pm_vers = l[i].vers,
				      .pm_prot = (unsigned long)l[i].proto };
		port = 0;
		if (clnt_call(clnt, PMAPPROC_GETPORT, (xdrproc_t)xdr_pmap,
			      (caddr_t)&args, (xdrproc_t)xdr_u_long,
			      (caddr_t)&port, timeout) != RPC_SUCCESS) {
			clnt_perror(clnt, "vm-rpc: GETPORT");
			clnt_destroy(clnt);
			return 1;
		}
		if (!port) {
			fprintf(
			    stderr,
			    "vm-rpc: program %u version %u not registered\n",
			    l[i].prog, l[i].vers);
			clnt_destroy(clnt);
			return 1;
		}
		printf("%lu\n", port);
	}
	clnt_destroy(clnt);
	return 0;
}

/* A call of procedure 1 over IPv4 or IPv6, as the address says. */
static int call(const char *host, uint16_t port, uint32_t prog, uint32_t vers,
		int p, char *text)
{
	struct timeval retry = { .tv_sec = 1 }, timeout = { .tv_sec = 5 };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	struct netbuf svcaddr;
	struct netconfig *nc;
	char *answer = NULL;
	const char *netid;
	CLIENT *clnt;

	if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
		svcaddr = (struct netbuf){ sizeof(sin), sizeof(sin), &sin };
		netid = p == IPPROTO_UDP ? "udp" : "tcp";
	} else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
		svcaddr = (struct netbuf){ sizeof(sin6), sizeof(sin6), &sin6 };
		netid = p == IPPROTO_UDP ? "udp6" : "tcp6";
	} else {
		fprintf(stderr, "vm-rpc: bad address \"%s\"\n", host);
		return 2;
	}
	nc = getnetconfigent(netid);
	if (!nc) {
		fprintf(stderr, "vm-rpc: no netid %s in /etc/netconfig\n", netid);
		return 1;
	}
	clnt = clnt_tli_create(RPC_ANYFD, nc, &svcaddr, prog, vers, 0, 0);
	freenetconfigent(nc);
	if (!clnt) {
		clnt_pcreateerror("vm-rpc");
		return 1;
	}
	clnt_control(clnt, CLSET_RETRY_TIMEOUT, (char *)&retry);
	if (clnt_call(clnt, ECHO_PROC, (xdrproc_t)xdr_wrapstring,
		      (caddr_t)&text, (xdrproc_t)xdr_wrapstring,
		      (caddr_t)&answer, timeout) != RPC_SUCCESS) {
		clnt_perror(clnt, "vm-rpc: call");
		clnt_destroy(clnt);
		return 1;
	}
	printf("%s\n", answer);
	clnt_freeres(clnt, (xdrproc_t)xdr_wrapstring, (caddr_t)&answer);
	clnt_destroy(clnt);
	return 0;
}

int main(int argc, char **argv)
{
	struct lookup l[LOOKUPS];
	struct sockaddr_in sin;
	unsigned int n;

	if (argc == 5 && !strcmp(argv[1], "serve"))
		return serve(num("program", argv[2], UINT32_MAX),
			     num("version", argv[3], UINT32_MAX),
			     (uint16_t)num("port", argv[4], 65535));
	if (argc >= 7 && (argc - 7) % 3 == 0 && (argc - 7) / 3 < LOOKUPS &&
	    !strcmp(argv[1], "getport")) {
		sin = address(argv[2], PMAPPORT);
		l[0] = (struct lookup){ num("program", argv[3], UINT32_MAX),
					num("version", argv[4], UINT32_MAX),
					proto(argv[5]) };
		for (n = 1; 4 + 3 * n < (unsigned int)argc; n++)
			l[n] = (struct lookup){
				num("program", argv[4 + 3 * n], UINT32_MAX),
				num("version", argv[5 + 3 * n], UINT32_MAX),
				proto(argv[6 + 3 * n])
			};
		return getport(&sin, l, n, proto(argv[6]));
	}
	if (argc == 8 && !strcmp(argv[1], "call")) {
		if (strlen(argv[7]) > ECHO_MAX) {
			fprintf(stderr, "vm-rpc: TEXT is longer than %d\n",
				ECHO_MAX);
			return 2;
		}
		return call(argv[2], (uint16_t)num("port", argv[3], 65535),
			    num("program", argv[4], UINT32_MAX),
			    num("version", argv[5], UINT32_MAX), proto(argv[6]),
			    argv[7]);
	}
	usage();
	return 2;
}
