// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-bench: the load generator of bench/ (bench/README), run in the vm
 * tier's guest across the router of tests/vm/lib/guest.sh. One process,
 * three threads in three network namespaces: a server in "server"
 * (listening on 10.0.2.2:PORT), a client in "client", and the main thread
 * in "router", where it reads the forwarded packet counters. Client and
 * server in one process know exactly how many lines are on their way,
 * which keeps the load closed-loop.
 *
 *   vm-bench lines PORT CONNS LINES WINDOW [PID]
 *	open CONNS control connections (each waits for the server's "220"
 *	greeting), then send LINES "NOOP\r\n" command lines on each, one
 *	write per line and each in its own segment: TCP_NODELAY, and
 *	TCP_NOTSENT_LOWAT of 1 byte, so a connection is only written to
 *	once its previous line left. At most WINDOW lines are on their way
 *	(sent by the client and not yet read by the server) at any time,
 *	over all connections, so no queue overflows and no contender is
 *	measured on retransmissions. The server reads and discards.
 *	Measured: from the first line sent to the last line read.
 *   vm-bench sessions PORT CONC TOTAL [PID]
 *	TOTAL FTP control sessions, CONC at a time: connect, read "220",
 *	send "PASV", read the server's "227 Entering Passive Mode
 *	(10,0,2,2,p1,p2)." (the port is the client's own, so that every
 *	expectation differs), send "QUIT", read "221", wait for the
 *	server's close. Measured: from the first connect to the last close.
 *
 * PID is a daemon whose CPU time (every thread's, from schedstat) is
 * reported; 0 or absent for none. The result is one line of NAME=VALUE
 * words: ms (the measured time), pkts (packets the router received on r0
 * and r1 in that time), daemon_cpu_ms (schedstat, ns resolution),
 * daemon_user_ms and daemon_sys_ms (its split, in clock ticks of 10 ms),
 * guest_busy_ms and guest_ms (the guest's CPU time busy and in all, over
 * every CPU), and for sessions ok (227 replies the client got). Exit status 0 when every line or session
 * went through, 1 otherwise (with a message), 2 for a usage error.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SERVER_ADDR   "10.0.2.2"
#define MAX_CONNS     60000
#define CONNECT_WAVE  256 /* connects in progress at a time */
#define EVENTS	      256
#define RUN_TIMEOUT_S 600
#define LINE	      "NOOP\r\n"

enum mode { MODE_LINES, MODE_SESSIONS };

/* Client connection states. */
enum {
	C_FREE,
	C_CONNECTING,
	C_GREETING, /* waiting for "220" */
	C_READY,    /* lines: greeted, sending */
	C_PASV,	    /* sessions: waiting for "227" */
	C_QUIT,	    /* sessions: waiting for "221" */
	C_EOF,	    /* sessions: waiting for the server's close */
};

struct conn {
	uint8_t state;
	uint16_t len;  /* bytes in buf */
	uint32_t left; /* lines still to send */
	char buf[128];
};

static struct {
	enum mode mode;
	uint16_t port;
	unsigned int conns; /* lines: connections; sessions: at a time */
	unsigned int lines; /* per connection */
	unsigned int window;
	unsigned int total; /* sessions */
	pid_t pid;

	int ns_client, ns_server;
	int ready_efd, go_efd, done_efd, wake_efd;

	atomic_uint_fast64_t sent, received; /* lines */
	atomic_int waiting;		     /* the client waits on wake_efd */
	atomic_uint closed;		     /* server side */
	unsigned int accepted;		     /* server side */
	unsigned int ok;		     /* sessions: 227 replies */
	uint64_t t_first, t_last;	     /* measured window, ns */
	int client_fds[MAX_CONNS];
	unsigned int n_client_fds;
	char error[256];
} g;

/* Note the first error: what failed, and errno's text. */
static void fail(const char *what)
{
	if (!g.error[0])
		snprintf(g.error, sizeof(g.error), "%s: %s", what,
			 strerror(errno));
}

/* An epoll_wait() that returned @n <= 0 in @where: EINTR is no error. */
static bool wait_failed(int n, const char *where)
{
	if (n < 0 && errno == EINTR)
		return false;
	if (n == 0)
		errno = ETIMEDOUT;
	fail(where);
	return true;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void efd_post(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

/* Wait for @fd to be posted, up to the run's timeout; 0 or -1. */
static int efd_wait(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, RUN_TIMEOUT_S * 1000) != 1 ||
	    read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return 0;
}

static unsigned int num(const char *s, unsigned int min, unsigned int max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "vm-bench: %s is not a number of %u-%u\n", s,
			min, max);
		exit(2);
	}
	return (unsigned int)v;
}

/* /run/netns/NAME, or PREFIXNAME with VM_BENCH_NS_PREFIX set (a host run). */
static int ns_open(const char *name)
{
	const char *prefix = getenv("VM_BENCH_NS_PREFIX");
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s%s", prefix ? prefix : "",
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vm-bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* ---- measurement ---- */

struct snap {
	uint64_t t;
	uint64_t pkts;
	uint64_t daemon_ns;
	uint64_t daemon_user, daemon_sys; /* clock ticks */
	uint64_t busy, all;		  /* guest CPU, clock ticks */
};

static int netdev_fd = -1;

/* Packets received on r0 and r1: /proc/net/dev of the router. */
static uint64_t router_pkts(void)
{
	char buf[8192], *p;
	ssize_t n = pread(netdev_fd, buf, sizeof(buf) - 1, 0);
	uint64_t sum = 0;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "  r0: BYTES PACKETS ...", one line per device */
	for (p = buf; (p = strchr(p, '\n')); p++) {
		char *name = p + 1 + strspn(p + 1, " "), *end;

		if (strncmp(name, "r0:", 3) && strncmp(name, "r1:", 3))
			continue;
		strtoull(name + 3, &end, 10);
		sum += strtoull(end, NULL, 10);
	}
	return sum;
}

/* Time on the CPU of every thread of @pid, in ns (schedstat). */
static uint64_t daemon_ns(pid_t pid)
{
	char path[64], buf[128];
	struct dirent *e;
	uint64_t sum = 0;
	DIR *d;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char file[384];
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/schedstat", path, e->d_name);
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "RUNTIME_NS WAIT_NS SLICES" */
		sum += strtoull(buf, NULL, 10);
	}
	closedir(d);
	return sum;
}

/*
 * The daemon's user and system time, in clock ticks (/proc/PID/stat,
 * every thread): which side of the system call boundary its time goes to.
 */
static void daemon_split(pid_t pid, uint64_t *user, uint64_t *sys)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, i;

	*user = *sys = 0;
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	/* After "PID (COMM) ": state is field 3, utime 14, stime 15. */
	p = strrchr(buf, ')');
	if (!p)
		return;
	p++;
	for (i = 3; i < 14 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p)
		return;
	*user = strtoull(p, &p, 10);
	*sys = strtoull(p, NULL, 10);
}

static void guest_cpu(uint64_t *busy, uint64_t *all)
{
	unsigned long long v[8] = { 0 };
	char buf[256], *p = buf + 3;
	ssize_t n;
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC), i;

	*busy = *all = 0;
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 4 || strncmp(buf, "cpu ", 4))
		return;
	buf[n] = '\0';
	/* "cpu  user nice system idle iowait irq softirq steal ..." */
	for (i = 0; i < 8; i++)
		v[i] = strtoull(p, &p, 10);
	*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*all = *busy + v[3] + v[4];
}

static void snap_take(struct snap *s)
{
	s->t = now_ns();
	s->pkts = router_pkts();
	s->daemon_ns = daemon_ns(g.pid);
	daemon_split(g.pid, &s->daemon_user, &s->daemon_sys);
	guest_cpu(&s->busy, &s->all);
}

/* ---- sockets ---- */

static int sock_opt(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

static int ep_add(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int ep_mod(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

static int send_all(int fd, const char *s)
{
	size_t len = strlen(s);

	return write(fd, s, len) == (ssize_t)len ? 0 : -1;
}

/*
 * Append what @fd has to @c's buffer; returns the bytes read, 0 at the
 * end of the stream, -1 on an error (EAGAIN included).
 */
static ssize_t conn_read(int fd, struct conn *c)
{
	ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);

	if (n > 0) {
		c->len = (uint16_t)(c->len + n);
		c->buf[c->len] = '\0';
	}
	return n;
}

/* Take one "\n"-ended line off @c's buffer into @line; false if none. */
static bool conn_line(struct conn *c, char *line, size_t size)
{
	char *nl = memchr(c->buf, '\n', c->len);
	size_t n;

	if (!nl)
		return false;
	n = (size_t)(nl - c->buf) + 1;
	snprintf(line, size, "%.*s", (int)n, c->buf);
	memmove(c->buf, c->buf + n, c->len - n);
	c->len = (uint16_t)(c->len - n);
	return true;
}

/* ---- the server ---- */

static struct conn *sconns; /* by fd */

static void server_lines(int fd, int ep)
{
	char buf[65536];
	uint64_t lines = 0, inflight;
	ssize_t n, i;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		atomic_fetch_add(&g.closed, 1);
	}
	if (!lines)
		return;
	lines += atomic_fetch_add(&g.received, lines);
	if (lines == (uint64_t)g.conns * g.lines) {
		g.t_last = now_ns();
		efd_post(g.done_efd);
	}
	/* Wake the client once half the window is free again. */
	inflight = atomic_load(&g.sent) - lines;
	if (inflight <= g.window / 2 && atomic_load(&g.waiting) &&
	    atomic_exchange(&g.waiting, 0))
		efd_post(g.wake_efd);
}

static void server_session(int fd, int ep)
{
	struct conn *c = &sconns[fd];
	char line[128], reply[96];
	ssize_t n;

	while ((n = conn_read(fd, c)) > 0) {
		while (conn_line(c, line, sizeof(line))) {
			if (!strncmp(line, "PASV", 4)) {
				struct sockaddr_in peer;
				socklen_t len = sizeof(peer);
				unsigned int p;

				getpeername(fd, (struct sockaddr *)&peer, &len);
				p = ntohs(peer.sin_port);
				snprintf(reply, sizeof(reply),
					 "227 Entering Passive Mode "
					 "(10,0,2,2,%u,%u).\r\n",
					 p >> 8, p & 0xff);
				send_all(fd, reply);
			} else if (!strncmp(line, "QUIT", 4)) {
				send_all(fd, "221 bye\r\n");
				n = 0;
				goto out;
			}
		}
	}
out:
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		atomic_fetch_add(&g.closed, 1);
	}
}

static void *server_main(void *arg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(g.port) };
	struct epoll_event ev[EVENTS];
	unsigned int expect = g.mode == MODE_LINES ? g.conns : g.total;
	int ls, ep, n, i, fd, *ready = arg;

	if (setns(g.ns_server, CLONE_NEWNET) < 0) {
		fail("server: setns");
		goto out;
	}
	inet_pton(AF_INET, SERVER_ADDR, &sin.sin_addr);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ls < 0 || ep < 0 || sock_opt(ls, SOL_SOCKET, SO_REUSEADDR, 1) < 0 ||
	    bind(ls, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(ls, 65535) < 0 || ep_add(ep, ls, EPOLLIN) < 0) {
		fail("server: listen on " SERVER_ADDR);
		goto out;
	}
	*ready = 1;
	efd_post(g.ready_efd);
	while (atomic_load(&g.closed) < expect) {
		n = epoll_wait(ep, ev, EVENTS, RUN_TIMEOUT_S * 1000);
		if (n <= 0) {
			if (wait_failed(n, "server"))
				break;
			continue;
		}
		for (i = 0; i < n; i++) {
			fd = ev[i].data.fd;
			if (fd != ls) {
				if (g.mode == MODE_LINES)
					server_lines(fd, ep);
				else
					server_session(fd, ep);
				continue;
			}
			while ((fd = accept4(ls, NULL, NULL,
					     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				if (fd >= MAX_CONNS * 2 + 64) {
					close(fd);
					continue;
				}
				g.accepted++;
				sconns[fd].len = 0;
				sock_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
				send_all(fd, "220 bench\r\n");
				ep_add(ep, fd, EPOLLIN);
			}
		}
	}
	close(ls);
	close(ep);
out:
	if (!*ready)
		efd_post(g.ready_efd);
	return NULL;
}

/* ---- the client ---- */

static struct conn *cconns; /* by fd */

static int client_connect(int ep)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(g.port) };
	int fd;

	inet_pton(AF_INET, SERVER_ADDR, &sin.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || fd >= MAX_CONNS * 2 + 64) {
		fail("client: socket");
		return -1;
	}
	sock_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	/* Writable only once nothing written is left unsent. */
	sock_opt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, 1);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
	    errno != EINPROGRESS) {
		fail("client: connect");
		close(fd);
		return -1;
	}
	memset(&cconns[fd], 0, sizeof(cconns[fd]));
	cconns[fd].state = C_CONNECTING;
	cconns[fd].left = g.lines;
	if (ep_add(ep, fd, EPOLLOUT) < 0)
		return -1;
	return fd;
}

/* A connect finished: 0, or -1 with the error noted. */
static int client_connected(int fd, int ep)
{
	int err = 0;
	socklen_t len = sizeof(err);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		errno = err;
		fail("client: connect");
		return -1;
	}
	cconns[fd].state = C_GREETING;
	return ep_mod(ep, fd, EPOLLIN);
}

/* Lines: connect every connection and read its greeting. */
static int lines_setup(int ep)
{
	struct epoll_event ev[EVENTS];
	unsigned int opened = 0, pending = 0, greeted = 0;
	char line[128];
	int n, i, fd;

	while (greeted < g.conns) {
		while (opened < g.conns && pending < CONNECT_WAVE) {
			fd = client_connect(ep);
			if (fd < 0)
				return -1;
			g.client_fds[g.n_client_fds++] = fd;
			opened++;
			pending++;
		}
		n = epoll_wait(ep, ev, EVENTS, RUN_TIMEOUT_S * 1000);
		if (n <= 0) {
			if (wait_failed(n, "client: connecting"))
				return -1;
			continue;
		}
		for (i = 0; i < n; i++) {
			struct conn *c = &cconns[ev[i].data.fd];

			fd = ev[i].data.fd;
			if (c->state == C_CONNECTING) {
				if (client_connected(fd, ep) < 0)
					return -1;
				continue;
			}
			if (conn_read(fd, c) <= 0 && errno != EAGAIN) {
				fail("client: greeting");
				return -1;
			}
			if (!conn_line(c, line, sizeof(line)))
				continue;
			c->state = C_READY;
			pending--;
			greeted++;
			if (ep_mod(ep, fd, EPOLLOUT) < 0)
				return -1;
		}
	}
	return 0;
}

/* Block until the server frees half the window. */
static void lines_wait(void)
{
	uint64_t inflight;

	atomic_store(&g.waiting, 1);
	inflight = atomic_load(&g.sent) - atomic_load(&g.received);
	if (inflight <= g.window / 2 && atomic_exchange(&g.waiting, 0))
		return;
	efd_wait(g.wake_efd);
}

static void lines_send(int ep)
{
	struct epoll_event ev[EVENTS];
	uint64_t total = (uint64_t)g.conns * g.lines, sent = 0;
	int n, i, fd;

	while (sent < total) {
		n = epoll_wait(ep, ev, EVENTS, RUN_TIMEOUT_S * 1000);
		if (n <= 0) {
			if (wait_failed(n, "client: sending"))
				return;
			continue;
		}
		for (i = 0; i < n && sent < total; i++) {
			struct conn *c = &cconns[ev[i].data.fd];

			fd = ev[i].data.fd;
			while (sent - atomic_load(&g.received) >= g.window)
				lines_wait();
			if (write(fd, LINE, sizeof(LINE) - 1) !=
			    sizeof(LINE) - 1) {
				if (errno == EAGAIN)
					continue;
				fail("client: write");
				return;
			}
			sent = atomic_fetch_add(&g.sent, 1) + 1;
			if (sent == 1)
				g.t_first = now_ns();
			if (--c->left == 0)
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		}
	}
}

/* Sessions: one step of session @fd on an event. -1 on an error. */
static int session_step(int fd, int ep, unsigned int *done)
{
	struct conn *c = &cconns[fd];
	char line[128];
	ssize_t n;

	if (c->state == C_CONNECTING)
		return client_connected(fd, ep);
	n = conn_read(fd, c);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n == 0 && c->state == C_EOF) {
		epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		c->state = C_FREE;
		(*done)++;
		return 0;
	}
	if (n <= 0) {
		fail("client: session");
		return -1;
	}
	while (conn_line(c, line, sizeof(line))) {
		switch (c->state) {
		case C_GREETING:
			c->state = C_PASV;
			send_all(fd, "PASV\r\n");
			break;
		case C_PASV:
			if (!strncmp(line, "227 ", 4))
				g.ok++;
			c->state = C_QUIT;
			send_all(fd, "QUIT\r\n");
			break;
		case C_QUIT:
			c->state = C_EOF;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void sessions_run(int ep)
{
	struct epoll_event ev[EVENTS];
	unsigned int started = 0, done = 0;
	int n, i;

	g.t_first = now_ns();
	while (done < g.total) {
		while (started < g.total && started - done < g.conns) {
			if (client_connect(ep) < 0)
				return;
			started++;
		}
		n = epoll_wait(ep, ev, EVENTS, RUN_TIMEOUT_S * 1000);
		if (n <= 0) {
			if (wait_failed(n, "client: sessions"))
				return;
			continue;
		}
		for (i = 0; i < n; i++)
			if (session_step(ev[i].data.fd, ep, &done) < 0)
				return;
	}
	g.t_last = now_ns();
}

static void *client_main(void *arg)
{
	int ep;

	(void)arg;
	if (setns(g.ns_client, CLONE_NEWNET) < 0) {
		fail("client: setns");
		goto out;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		fail("client: epoll");
		goto out;
	}
	if (g.mode == MODE_LINES) {
		if (lines_setup(ep) < 0)
			goto out;
		efd_post(g.ready_efd);
		if (efd_wait(g.go_efd) < 0)
			goto out;
		lines_send(ep);
	} else {
		efd_post(g.ready_efd);
		if (efd_wait(g.go_efd) < 0)
			goto out;
		sessions_run(ep);
		efd_post(g.done_efd);
	}
	close(ep);
	return NULL;
out:
	efd_post(g.ready_efd);
	efd_post(g.done_efd);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: vm-bench lines PORT CONNS LINES WINDOW [PID]\n"
			"       vm-bench sessions PORT CONC TOTAL [PID]\n");
	exit(2);
}

static void args(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "lines") && (argc == 6 || argc == 7)) {
		g.mode = MODE_LINES;
		g.conns = num(argv[3], 1, MAX_CONNS);
		g.lines = num(argv[4], 1, 1000000000);
		g.window = num(argv[5], 2, 1000000);
		g.pid = argc == 7 ? (pid_t)num(argv[6], 0, 1u << 30) : 0;
	} else if (!strcmp(argv[1], "sessions") && (argc == 5 || argc == 6)) {
		g.mode = MODE_SESSIONS;
		g.conns = num(argv[3], 1, MAX_CONNS);
		g.total = num(argv[4], 1, 1000000000);
		g.pid = argc == 6 ? (pid_t)num(argv[5], 0, 1u << 30) : 0;
	} else {
		usage();
	}
	g.port = (uint16_t)num(argv[2], 1, 65535);
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 4 * MAX_CONNS + 256, 4 * MAX_CONNS + 256 };
	pthread_t server, client;
	struct snap a, b;
	int ready = 0, ns_router, rc = 0;
	unsigned int i;

	args(argc, argv);
	setrlimit(RLIMIT_NOFILE, &rl);
	sconns = calloc(MAX_CONNS * 2 + 64, sizeof(*sconns));
	cconns = calloc(MAX_CONNS * 2 + 64, sizeof(*cconns));
	if (!sconns || !cconns)
		return 1;
	g.ns_client = ns_open("client");
	g.ns_server = ns_open("server");
	ns_router = ns_open("router");
	if (setns(ns_router, CLONE_NEWNET) < 0) {
		perror("vm-bench: setns router");
		return 1;
	}
	/* Bound to the router's namespace when opened. */
	netdev_fd = open("/proc/thread-self/net/dev", O_RDONLY | O_CLOEXEC);
	g.ready_efd = eventfd(0, EFD_CLOEXEC);
	g.go_efd = eventfd(0, EFD_CLOEXEC);
	g.done_efd = eventfd(0, EFD_CLOEXEC);
	g.wake_efd = eventfd(0, EFD_CLOEXEC);
	if (netdev_fd < 0 || g.ready_efd < 0 || g.go_efd < 0 ||
	    g.done_efd < 0 || g.wake_efd < 0) {
		perror("vm-bench: setup");
		return 1;
	}

	if (pthread_create(&server, NULL, server_main, &ready))
		return 1;
	efd_wait(g.ready_efd);
	if (!ready) {
		fprintf(stderr, "vm-bench: %s\n", g.error);
		return 1;
	}
	if (pthread_create(&client, NULL, client_main, NULL))
		return 1;
	if (efd_wait(g.ready_efd) < 0 || g.error[0])
		goto fail;
	snap_take(&a);
	efd_post(g.go_efd);
	if (efd_wait(g.done_efd) < 0 || g.error[0])
		goto fail;
	snap_take(&b);
	/* t_first: the first line or connect; the last: read or closed. */
	b.t = g.t_last;
	a.t = g.t_first;

	if (g.mode == MODE_LINES) {
		/* Reset, so that nothing lingers in TIME_WAIT. */
		struct linger lg = { 1, 0 };

		for (i = 0; i < g.n_client_fds; i++) {
			setsockopt(g.client_fds[i], SOL_SOCKET, SO_LINGER, &lg,
				   sizeof(lg));
			close(g.client_fds[i]);
		}
	}
	pthread_join(client, NULL);
	pthread_join(server, NULL);

	printf("mode=%s conns=%u ", g.mode == MODE_LINES ? "lines" : "sessions",
	       g.conns);
	if (g.mode == MODE_LINES)
		printf("lines=%" PRIu64 " window=%u ", atomic_load(&g.received),
		       g.window);
	else
		printf("sessions=%u ok=%u ", g.total, g.ok);
	printf("ms=%.3f pkts=%" PRIu64
	       " daemon_cpu_ms=%.3f daemon_user_ms=%" PRIu64
	       " daemon_sys_ms=%" PRIu64 " guest_busy_ms=%" PRIu64
	       " guest_ms=%" PRIu64 "\n",
	       (double)(b.t - a.t) / 1e6, b.pkts - a.pkts,
	       (double)(b.daemon_ns - a.daemon_ns) / 1e6,
	       (b.daemon_user - a.daemon_user) * 1000 /
		   (uint64_t)sysconf(_SC_CLK_TCK),
	       (b.daemon_sys - a.daemon_sys) * 1000 /
		   (uint64_t)sysconf(_SC_CLK_TCK),
	       (b.busy - a.busy) * 1000 / (uint64_t)sysconf(_SC_CLK_TCK),
	       (b.all - a.all) * 1000 / (uint64_t)sysconf(_SC_CLK_TCK));
	if (g.mode == MODE_SESSIONS && g.ok != g.total) {
		fprintf(stderr, "vm-bench: %u of %u sessions got a 227\n", g.ok,
			g.total);
		rc = 1;
	}
	if (g.error[0]) {
		fprintf(stderr, "vm-bench: %s\n", g.error);
		rc = 1;
	}
	return rc;

fail:
	fprintf(stderr, "vm-bench: %s\n", g.error[0] ? g.error : "timed out");
	return 1;
}
