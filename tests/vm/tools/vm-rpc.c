// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-rpc: the ONC RPC peers of the vm tier's rpc scenarios, on libtirpc.
 * Debian's rpcinfo asks rpcbind with version 4 GETADDR, which helpers that
 * understand only portmap version 2 ignore (vm_testing.md trap 9); this
 * sends a real portmap v2 GETPORT, and serves and calls a program whose
 * port the expectation must open.
 *
 *   vm-rpc serve PROG VERS PORT
 *	serve PROG VERS on PORT over UDP and TCP (IPv4), registered with the
 *	local rpcbind; procedure 1 echoes a string
 *   vm-rpc getport HOST PROG VERS udp|tcp VIA
 *	ask the portmapper on HOST (port 111, over VIA: udp or tcp) which
 *	port PROG VERS has for udp or tcp; prints the port
 *   vm-rpc call HOST PORT PROG VERS udp|tcp TEXT
 *	call procedure 1 with TEXT on HOST:PORT; prints the answer
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
#include <rpc/rpc.h>
#include <rpc/pmap_clnt.h>
#include <rpc/pmap_prot.h>

#include <ctalg/cursor.h>

#define ECHO_PROC 1
#define ECHO_MAX  1024

static void usage(void)
{
	fprintf(stderr,
		"usage: vm-rpc serve PROG VERS PORT\n"
		"       vm-rpc getport HOST PROG VERS udp|tcp VIA\n"
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

/* A client of PROG VERS at sin over p; NULL with libtirpc's reason shown. */
static CLIENT *client(struct sockaddr_in *sin, uint32_t prog, uint32_t vers, int p)
{
	struct timeval retry = { .tv_sec = 1 };
	int sock = RPC_ANYSOCK;
	CLIENT *clnt;

	if (p == IPPROTO_UDP)
		clnt = clntudp_create(sin, prog, vers, retry, &sock);
	else
		clnt = clnttcp_create(sin, prog, vers, &sock, 0, 0);
	if (!clnt)
		clnt_pcreateerror("vm-rpc");
	return clnt;
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

/* A socket of type on port, bound on every IPv4 address; exits on failure. */
static int bound(int type, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int one = 1;
	int fd;

	fd = socket(AF_INET, type, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		perror("vm-rpc: socket");
		exit(1);
	}
	return fd;
}

static int serve(uint32_t prog, uint32_t vers, uint16_t port)
{
	SVCXPRT *udp, *tcp;

	pmap_unset(prog, vers);
	udp = svcudp_create(bound(SOCK_DGRAM, port));
	tcp = svctcp_create(bound(SOCK_STREAM, port), 0, 0);
	if (!udp || !tcp) {
		fprintf(stderr, "vm-rpc: cannot create the services\n");
		return 1;
	}
	if (!svc_register(udp, prog, vers, dispatch, IPPROTO_UDP) ||
	    !svc_register(tcp, prog, vers, dispatch, IPPROTO_TCP)) {
		fprintf(stderr, "vm-rpc: rpcbind refused the registration\n");
		return 1;
	}
	svc_run();
	return 1;
}

static int getport(struct sockaddr_in *sin, uint32_t prog, uint32_t vers, int p,
		   int via)
{
	struct timeval timeout = { .tv_sec = 5 };
	struct pmap args = { .pm_prog = prog, .pm_vers = vers, .pm_prot = p };
	unsigned long port = 0;
	CLIENT *clnt;

	clnt = client(sin, PMAPPROG, PMAPVERS, via);
	if (!clnt)
		return 1;
	if (clnt_call(clnt, PMAPPROC_GETPORT, (xdrproc_t)xdr_pmap,
		      (caddr_t)&args, (xdrproc_t)xdr_u_long, (caddr_t)&port,
		      timeout) != RPC_SUCCESS) {
		clnt_perror(clnt, "vm-rpc: GETPORT");
		clnt_destroy(clnt);
		return 1;
	}
	clnt_destroy(clnt);
	if (!port) {
		fprintf(stderr, "vm-rpc: program %u version %u not registered\n",
			prog, vers);
		return 1;
	}
	printf("%lu\n", port);
	return 0;
}

static int call(struct sockaddr_in *sin, uint32_t prog, uint32_t vers, int p,
		char *text)
{
	struct timeval timeout = { .tv_sec = 5 };
	char *answer = NULL;
	CLIENT *clnt;

	clnt = client(sin, prog, vers, p);
	if (!clnt)
		return 1;
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
	struct sockaddr_in sin;

	if (argc == 5 && !strcmp(argv[1], "serve"))
		return serve(num("program", argv[2], UINT32_MAX),
			     num("version", argv[3], UINT32_MAX),
			     (uint16_t)num("port", argv[4], 65535));
	if (argc == 7 && !strcmp(argv[1], "getport")) {
		sin = address(argv[2], PMAPPORT);
		return getport(&sin, num("program", argv[3], UINT32_MAX),
			       num("version", argv[4], UINT32_MAX),
			       proto(argv[5]), proto(argv[6]));
	}
	if (argc == 8 && !strcmp(argv[1], "call")) {
		if (strlen(argv[7]) > ECHO_MAX) {
			fprintf(stderr, "vm-rpc: TEXT is longer than %d\n",
				ECHO_MAX);
			return 2;
		}
		sin = address(argv[2], (uint16_t)num("port", argv[3], 65535));
		return call(&sin, num("program", argv[4], UINT32_MAX),
			    num("version", argv[5], UINT32_MAX), proto(argv[6]),
			    argv[7]);
	}
	usage();
	return 2;
}
