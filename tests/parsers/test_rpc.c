// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RPC helper from byte vectors. Each vector is a session: segments
 * (TCP) or datagrams (UDP) from the client and the server, in order, and
 * what the helper must make of them: the requests, a part of the first
 * error (or none) and, for TCP, the bytes carried at the end. Every vector
 * is also run
 *   - on each prefix of the session, in a fresh connection: no read past
 *     the end (every call's data is in an exact-size allocation; the ASan
 *     build of this test catches it), no request the whole does not make
 *     and, over TCP, no error the whole does not have;
 *   - over TCP, cut in two at every position and byte by byte, through the
 *     daemon's carry (stream.c): the same requests, error and carry.
 *
 * The bytes are written in a small notation (rpc_hex()): hexadecimal
 * words; "[" ... "]" is a record with its mark (last fragment) and
 * "{" ... "}" a fragment that is not the last, the length filled in;
 * 'text' is an XDR string (length, bytes, padding). Captures of real peers
 * are written out in plain hexadecimal, mark included, field by field.
 *
 * The real peers, captured in two network namespaces joined by a veth
 * (server 192.0.2.1 / 2001:db8::1, client 192.0.2.2 / 2001:db8::2), all
 * from Debian 12: rpcbind 1.2.6 as the server; as clients rpcinfo (from
 * the rpcbind package), mount.nfs and showmount from nfs-common 2.6.2,
 * and libtirpc 1.3.3's pmap_getport() and rpcb_getaddr(). mountd was
 * registered on port 20048 and nfs on 2049 as the wildcard addresses
 * "0.0.0.0.78.80" and "::.8.1"; rpcbind answers with the address the
 * client reached instead.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "rpc_check.h"
#include "stream.h"
#include "tap.h"

enum conn_kind {
	T4,   /* TCP 192.0.2.2:40000 -> 192.0.2.1:111 */
	T6,   /* TCP [2001:db8::2]:40000 -> [2001:db8::1]:111 */
	U4,   /* UDP, the same addresses */
	U6,   /* UDP, the same addresses */
	T4LO, /* TCP 127.0.0.1:40000 -> 127.0.0.1:111 */
	N_CONNS,
};

#define C4 "192.0.2.2"
#define S4 "192.0.2.1"
#define C6 "2001:db8::2"
#define S6 "2001:db8::1"
#define LO "127.0.0.1"

#define ORIG  CTALG_DIR_ORIGINAL
#define REPLY CTALG_DIR_REPLY
#define TCP   IPPROTO_TCP
#define UDP   IPPROTO_UDP

#define SEGS_MAX 12
#define WANT_MAX 4

struct seg {
	enum ctalg_dir dir;
	const char *hex; /* rpc_hex() notation */
	bool gap;	 /* bytes before it were lost */
};

/* A request as the test expects it: from the client, any source port. */
struct want {
	const char *dst;
	uint16_t port;
	uint8_t proto;
};

struct rpc_vec {
	const char *name;
	enum conn_kind conn;
	struct seg segs[SEGS_MAX];
	const char *error; /* part of the first error; NULL: none */
	size_t keep;	   /* TCP: carried at the end, last segment's way */
	struct want exp[WANT_MAX];
};

/* Crafted messages. */
// clang-format off
#define NOAUTH "00000000 00000000 00000000 00000000" /* cred, verf: none */
/* xid, CALL, RPC v2, portmap v2 GETPORT, no authentication */
#define GETPORT(xid) xid " 00000000 00000002 000186a0 00000002 00000003 " NOAUTH " "
/* xid, CALL, RPC v2, rpcbind VERS GETADDR, no authentication */
#define GETADDR(xid, vers) xid " 00000000 00000002 000186a0 " vers " 00000003 " NOAUTH " "
/* xid, REPLY, accepted, no verifier, SUCCESS */
#define REPLY_OK(xid) xid " 00000001 00000000 00000000 00000000 00000000 "
#define MOUNTD3 "000186a5 00000003"
#define NFS3	"000186a3 00000003"
#define A_TCP	" 'tcp' '' ''"
// clang-format on

static const struct rpc_vec vectors[] = {
	/*
	 * Real clients against Debian's rpcbind. Debian's rpcinfo, showmount
	 * and mount.nfs over IPv6 use rpcbind v4 GETADDR, which conntrackd's
	 * helper ignores: with it, these lookups open nothing.
	 */
	{ "rpcinfo -T tcp 192.0.2.1 100005 3: rpcbind v4 GETADDR over TCP",
	  T4,
	  { { ORIG, "80000058" /* mark: last fragment, 88 bytes */
		    "17914e15 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* RPC v2, rpcbind
							     v4 GETADDR */
		    "00000000 00000000" /* cred: none */
		    "00000000 00000000" /* verf: none */
		    "000186a5 00000003" /* prog 100005 (mountd) v3 */
		    "00000003 74637000" /* netid "tcp" */
		    "0000000f 3139322e 302e322e 312e302e 31313100" /* address
			"192.0.2.1.0.111": the rpcbind asked */
		    "00000008 6c696274 69727063" /* owner "libtirpc" */ },
	    { REPLY, "8000002c" /* mark: last fragment, 44 bytes */
		     "17914e15 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted, verf
			none, SUCCESS */
		     "0000000f 3139322e 302e322e 312e3738 2e383000" /* address
			"192.0.2.1.78.80" */ } },
	  .exp = { { S4, 20048, TCP } } },
	{ "rpcinfo -T udp 192.0.2.1 100003 3: rpcbind v4 GETADDR over UDP",
	  U4,
	  { { ORIG, "6b0dbcf2 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a3 00000003" /* prog 100003 (nfs) v3 */
		    "00000003 75647000" /* netid "udp" */
		    "0000000f 3139322e 302e322e 312e302e 31313100" /* address
			"192.0.2.1.0.111" */
		    "00000008 6c696274 69727063" /* owner "libtirpc" */ },
	    { REPLY, "6b0dbcf2 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted,
			SUCCESS */
		     "0000000d 3139322e 302e322e 312e382e 31000000" /* address
			"192.0.2.1.8.1" */ } },
	  .exp = { { S4, 2049, UDP } } },
	{ "rpcinfo -T tcp6 2001:db8::1 100005 3: rpcbind v4 GETADDR, IPv6",
	  T6,
	  { { ORIG, "8000005c" /* mark: last fragment, 92 bytes */
		    "a66b44a6 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003" /* prog 100005 v3 */
		    "00000004 74637036" /* netid "tcp6" */
		    "00000011 32303031 3a646238 3a3a312e 302e3131 31000000" /*
			address "2001:db8::1.0.111" */
		    "00000008 6c696274 69727063" /* owner "libtirpc" */ },
	    { REPLY, "80000030" /* mark: last fragment, 48 bytes */
		     "a66b44a6 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted,
			SUCCESS */
		     "00000011 32303031 3a646238 3a3a312e 37382e38 30000000" /*
			address "2001:db8::1.78.80" */ } },
	  .exp = { { S6, 20048, TCP } } },
	{ "mount.nfs -o nfsvers=3 192.0.2.1: portmap v2 GETPORT nfs over TCP",
	  T4,
	  { { ORIG, "80000038" /* mark: last fragment, 56 bytes */
		    "d3a60893 00000000" /* xid, CALL */
		    "00000002 000186a0 00000002 00000003" /* portmap v2
							     GETPORT */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a3 00000003 00000006 00000000" /* nfs v3, TCP,
			port 0 */ },
	    { REPLY, "8000001c" /* mark: last fragment, 28 bytes */
		     "d3a60893 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted,
			SUCCESS */
		     "00000801" /* port 2049 */ } },
	  .exp = { { S4, 2049, TCP } } },
	{ "mount.nfs -o nfsvers=3 192.0.2.1: portmap v2 GETPORT mountd, UDP",
	  U4,
	  { { ORIG, "6b041e57 00000000" /* xid, CALL */
		    "00000002 000186a0 00000002 00000003" /* portmap v2
							     GETPORT */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003 00000011 00000000" /* mountd v3, UDP,
			port 0 */ },
	    { REPLY, "6b041e57 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted,
			SUCCESS */
		     "00004e50" /* port 20048 */ } },
	  .exp = { { S4, 20048, UDP } } },
	{ "mount.nfs -o nfsvers=3 [2001:db8::1]: v4 GETADDR nfs, tcp6",
	  T6,
	  { { ORIG, "80000054" /* mark: last fragment, 84 bytes */
		    "193361bc 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a3 00000003" /* prog 100003 v3 */
		    "00000004 74637036" /* netid "tcp6" */
		    "00000011 32303031 3a646238 3a3a312e 302e3131 31000000" /*
			address "2001:db8::1.0.111" */
		    "00000000" /* owner "" */ },
	    { REPLY, "8000002c" /* mark: last fragment, 44 bytes */
		     "193361bc 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted,
			SUCCESS */
		     "0000000f 32303031 3a646238 3a3a312e 382e3100" /* address
			"2001:db8::1.8.1" */ } },
	  .exp = { { S6, 2049, TCP } } },
	{ "mount.nfs -o nfsvers=3 [2001:db8::1]: v4 GETADDR mountd, udp6",
	  U6,
	  { { ORIG, "6b04a833 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003" /* prog 100005 v3 */
		    "00000004 75647036" /* netid "udp6" */
		    "00000011 32303031 3a646238 3a3a312e 302e3131 31000000" /*
			address "2001:db8::1.0.111" */
		    "00000000" /* owner "" */ },
	    { REPLY, "6b04a833 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* accepted,
			SUCCESS */
		     "00000011 32303031 3a646238 3a3a312e 37382e38 30000000" /*
			address "2001:db8::1.78.80" */ } },
	  .exp = { { S6, 20048, UDP } } },
	/*
	 * libtirpc's pmap_getport() asks over UDP from one reserved port, so
	 * both lookups are one conntrack: with conntrackd's maximum of 1 the
	 * second expectation would evict the first.
	 */
	{ "libtirpc pmap_getport(): mountd over TCP, then nfs over UDP, one "
	  "UDP conntrack",
	  U4,
	  { { ORIG, "6b056084 00000000" /* xid, CALL */
		    "00000002 000186a0 00000002 00000003" /* portmap v2
							     GETPORT */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003 00000006 00000000" /* mountd, TCP */ },
	    { REPLY, "6b056084 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00004e50" /* port 20048 */ },
	    { ORIG, "6b056fa3 00000000" /* xid, CALL */
		    "00000002 000186a0 00000002 00000003" /* portmap v2
							     GETPORT */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a3 00000003 00000011 00000000" /* nfs v3, UDP */ },
	    { REPLY, "6b056fa3 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00000801" /* port 2049 */ } },
	  .exp = { { S4, 20048, TCP }, { S4, 2049, UDP } } },
	{ "rpcinfo -p: v4 GETADDR of the portmapper itself, then DUMP: "
	  "nothing (conntrackd 1.4.7 expects port 111)",
	  T4,
	  { { ORIG, "80000058" /* mark: last fragment, 88 bytes */
		    "4bd07373 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a0 00000002" /* prog 100000 (portmapper) v2 */
		    "00000003 74637000" /* netid "tcp" */
		    "0000000f 3139322e 302e322e 312e302e 31313100" /* address
			"192.0.2.1.0.111" */
		    "00000008 6c696274 69727063" /* owner "libtirpc" */ },
	    { REPLY, "8000002c" /* mark: last fragment, 44 bytes */
		     "4bd07373 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "0000000f 3139322e 302e322e 312e302e 31313100" /* address
			"192.0.2.1.0.111" */ },
	    { ORIG, "80000028" /* mark: last fragment, 40 bytes */
		    "4bd0745a 00000000" /* xid, CALL */
		    "00000002 000186a0 00000002 00000004" /* portmap v2
							     DUMP */
		    "00000000 00000000 00000000 00000000" /* cred, verf */ } } },
	{ "rpcinfo -l: v4 GETADDRLIST is not a lookup the helper reads",
	  T4,
	  { { ORIG, "80000050" /* mark: last fragment, 80 bytes */
		    "59ebd735 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 0000000b" /* rpcbind v4
							     GETADDRLIST */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003" /* prog 100005 v3 */
		    "00000003 74637000" /* netid "tcp" */
		    "0000000f 3139322e 302e322e 312e302e 31313100" /* address
			"192.0.2.1.0.111" */
		    "00000000" /* owner "" */ },
	    { REPLY, "80000084 59ebd735 00000001" /* mark, xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00000001" /* an entry follows */
		     "0000000f 3139322e 302e322e 312e3738 2e383000" /*
			"192.0.2.1.78.80" */
		     "00000003 75647000 00000001 00000004 696e6574 00000003"
		     "75647000" /* "udp", CLTS, "inet", "udp" */
		     "00000001" /* an entry follows */
		     "0000000f 3139322e 302e322e 312e3738 2e383000" /*
			"192.0.2.1.78.80" */
		     "00000003 74637000 00000003 00000004 696e6574 00000003"
		     "74637000" /* "tcp", COTS_ORD, "inet", "tcp" */
		     "00000000" /* the end */ } } },
	{ "rpcbind v4 GETVERSADDR (crafted call, rpcbind's reply)",
	  T4,
	  { { ORIG, "80000054" /* mark: last fragment, 84 bytes */
		    "5a000001 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000009" /* rpcbind v4
							     GETVERSADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003" /* prog 100005 v3 */
		    "00000003 74637000" /* netid "tcp" */
		    "0000000f 3139322e 302e322e 312e302e 31313100" /* address
			"192.0.2.1.0.111" */
		    "00000001 78000000" /* owner "x" */ },
	    { REPLY, "8000002c" /* mark: last fragment, 44 bytes */
		     "5a000001 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "0000000f 3139322e 302e322e 312e3738 2e383000" /* address
			"192.0.2.1.78.80" */ } },
	  .exp = { { S4, 20048, TCP } } },
	{ "rpcbind v3 GETADDR (crafted call, rpcbind's reply)",
	  T4,
	  { { ORIG, "80000040" /* mark: last fragment, 64 bytes */
		    "5a000002 00000000" /* xid, CALL */
		    "00000002 000186a0 00000003 00000003" /* rpcbind v3
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003" /* prog 100005 v3 */
		    "00000003 74637000" /* netid "tcp" */
		    "00000000 00000000" /* address "", owner "" */ },
	    { REPLY, "8000002c" /* mark: last fragment, 44 bytes */
		     "5a000002 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "0000000f 3139322e 302e322e 312e3738 2e383000" /* address
			"192.0.2.1.78.80" */ } },
	  .exp = { { S4, 20048, TCP } } },
	{ "GETADDR of a program not registered: the empty address, nothing",
	  T4,
	  { { ORIG, "80000040" /* mark: last fragment, 64 bytes */
		    "5a000003 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "00018703 00000001" /* prog 100099 v1 */
		    "00000003 74637000 00000000 00000000" /* "tcp", "", "" */ },
	    { REPLY, "8000001c" /* mark: last fragment, 28 bytes */
		     "5a000003 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00000000" /* address "" */ } } },
	/*
	 * rpcbind looks the program up by the netid of the transport the
	 * call came over: nlockmgr, registered for "tcp" only, is not found
	 * by a UDP GETADDR asking for "tcp".
	 */
	{ "UDP GETADDR for \"tcp\": rpcbind answers from its \"udp\" map",
	  U4,
	  { { ORIG, "5a000006 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186b5 00000004" /* prog 100021 (nlockmgr) v4 */
		    "00000003 74637000" /* netid "tcp" */
		    "00000000 00000000" /* address "", owner "" */ },
	    { REPLY, "5a000006 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00000000" /* address "": not registered */ } } },
	{ "GETPORT with an AUTH_SYS credential (rpcbind's reply)",
	  U4,
	  { { ORIG, "5a00000d 00000000" /* xid, CALL */
		    "00000002 000186a0 00000002 00000003" /* portmap v2
							     GETPORT */
		    "00000001 00000020" /* cred: AUTH_SYS, 32 bytes */
		    "12345678 00000006 636c6965 6e740000" /* stamp,
			"client" */
		    "00000000 00000000 00000001 00000000" /* uid 0, gid 0, one
			group: 0 */
		    "00000000 00000000" /* verf: none */
		    "000186a5 00000003 00000011 00000000" /* mountd v3,
			UDP */ },
	    { REPLY, "5a00000d 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00004e50" /* port 20048 */ } },
	  .exp = { { S4, 20048, UDP } } },
	/*
	 * rpcbind takes the r_addr of a GETADDR as a hint of the interface
	 * to answer with: a client asking with "127.0.0.1" gets the loopback
	 * address. Asked as written; ctalgd's policy refuses it (not the
	 * server's address).
	 */
	{ "GETADDR with a hint of another address: rpcbind names loopback",
	  T4,
	  { { ORIG, "80000050" /* mark: last fragment, 80 bytes */
		    "5a000011 00000000" /* xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* rpcbind v4
							     GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003" /* prog 100005 v3 */
		    "00000003 74637000" /* netid "tcp" */
		    "0000000f 3132372e 302e302e 312e302e 31313100" /* address
			"127.0.0.1.0.111" */
		    "00000000" /* owner "" */ },
	    { REPLY, "8000002c" /* mark: last fragment, 44 bytes */
		     "5a000011 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "0000000f 3132372e 302e302e 312e3738 2e383000" /* address
			"127.0.0.1.78.80" */ } },
	  .exp = { { LO, 20048, TCP } } },
	{ "portmap v5: rpcbind answers PROG_MISMATCH, nothing",
	  U4,
	  { { ORIG, "5a000008 00000000 00000002 000186a0 00000005 00000003" NOAUTH
		    "000186a5 00000003 00000006 00000000" },
	    { REPLY, "5a000008 00000001" /* xid, REPLY */
		     "00000000 00000000 00000000 00000002" /* accepted,
			PROG_MISMATCH */
		     "00000002 00000004" /* low 2, high 4 */ } } },
	{ "two calls pipelined in one segment, rpcbind's two replies",
	  T4,
	  { { ORIG, "80000040 5a000012 00000000" /* mark, xid, CALL */
		    "00000002 000186a0 00000004 00000003" /* v4 GETADDR */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a5 00000003 00000003 74637000" /* mountd v3 "tcp" */
		    "00000000 00000000" /* "", "" */
		    "80000038 5a000013 00000000" /* mark, xid, CALL */
		    "00000002 000186a0 00000002 00000003" /* v2 GETPORT */
		    "00000000 00000000 00000000 00000000" /* cred, verf */
		    "000186a3 00000003 00000006 00000000" /* nfs v3, TCP */ },
	    { REPLY, "8000002c 5a000012 00000001" /* mark, xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "0000000f 3139322e 302e322e 312e3738 2e383000" /*
			"192.0.2.1.78.80" */ },
	    { REPLY, "8000001c 5a000013 00000001" /* mark, xid, REPLY */
		     "00000000 00000000 00000000 00000000" /* SUCCESS */
		     "00000801" /* port 2049 */ } },
	  .exp = { { S4, 20048, TCP }, { S4, 2049, TCP } } },

	/* Records over TCP: how the bytes are cut does not matter. */
	{ "two replies in one segment (conntrackd reads the first only)",
	  T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") MOUNTD3 A_TCP "]"
		    "[" GETPORT("00000002") NFS3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.0.2.1.78.80']"
		     "[" REPLY_OK("00000002") "00000801]" } },
	  .exp = { { S4, 20048, TCP }, { S4, 2049, TCP } } },
	{ "a reply split in three segments, the mark cut",
	  T4,
	  { { ORIG, "[" GETPORT("00000007") NFS3 " 00000006 00000000]" },
	    { REPLY, "8000" },
	    { REPLY, "001c 00000007 00000001 00000000" },
	    { REPLY, "00000000 00000000 00000000 00000801" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "a call and its reply after other calls on the connection",
	  T4,
	  { { ORIG, "[00000001 00000000 00000002 000186a0 00000004 00000000 "
		    NOAUTH "]" /* NULL */ },
	    { REPLY, "[" REPLY_OK("00000001") "]" },
	    { ORIG, "[" GETADDR("00000002", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000002") "'192.0.2.1.8.1']" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "an incomplete record is carried", T4,
	  { { ORIG, "[" GETPORT("00000007") NFS3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000007") "00000801]"
		     "8000001c 00000008 00000001" } },
	  .keep = 12, .exp = { { S4, 2049, TCP } } },
	{ "a call in two fragments, joined (rpcbind itself answers "
	  "GARBAGE_ARGS)",
	  T4,
	  { { ORIG, "{" GETADDR("00000003", "00000004") "}"
		    "[" MOUNTD3 A_TCP "]" },
	    { REPLY, "{" REPLY_OK("00000003") "}{}['192.0.2.1.78.80']" } },
	  .exp = { { S4, 20048, TCP } } },
	{ "a lookup in 9 fragments",
	  T4,
	  { { ORIG, "{" GETPORT("00000001") "}{" NFS3 "}{}{}{}{}{}{}"
		    "[00000006 00000000]"
		    "[" GETPORT("00000004") NFS3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000001") "00000801]"
		     "[" REPLY_OK("00000004") "00000801]" } },
	  .error = "call: lookup in more than 8 fragments",
	  .exp = { { S4, 2049, TCP } } },
	{ "a reply in 9 fragments", T4,
	  { { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]" },
	    { REPLY, "{" REPLY_OK("00000001") "}{}{}{}{}{}{}{}[00000801]" } },
	  .error = "reply: in more than 8 fragments" },
	{ "another record in 9 fragments is skipped silently", T4,
	  { { ORIG, "{00000001}{00000000}{}{}{}{}{}{}[00000002]"
		    "[" GETPORT("00000004") NFS3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000004") "00000801]" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "an empty record", T4, { { ORIG, "[]" } },
	  .error = "shorter than an RPC header" },

	/* What goes into the expectation. */
	{ "GETADDR reply with the IPv4 wildcard: the server's address",
	  T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'0.0.0.0.8.1']" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "GETADDR reply with the IPv6 wildcard: the server's address",
	  T6,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 " 'tcp6' '' ''"
		    "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'::.8.1']" } },
	  .exp = { { S6, 2049, TCP } } },
	{ "GETADDR reply naming another host: asked as written", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'10.9.9.9.156.66']" } },
	  .exp = { { "10.9.9.9", 40002, TCP } } },
	{ "GETADDR reply with an IPv4-mapped IPv6 host: asked as written", T6,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 " 'tcp6' '' ''"
		    "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'::ffff:192.0.2.1.8.1']" } },
	  .exp = { { "::ffff:192.0.2.1", 2049, TCP } } },
	{ "GETADDR reply with leading zeros in the numbers", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.000.002.001.008.001']" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "GETADDR reply with the highest port", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.0.2.1.255.255']" } },
	  .exp = { { S4, 65535, TCP } } },
	{ "UDP GETADDR asking for a TCP service: a TCP expectation", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.8.1'" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "TCP GETPORT asking for a UDP service: a UDP expectation", T4,
	  { { ORIG, "[" GETPORT("00000001") MOUNTD3 " 00000011 00000000]" },
	    { REPLY, "[" REPLY_OK("00000001") "00004e50]" } },
	  .exp = { { S4, 20048, UDP } } },
	{ "GETPORT over IPv6 (rpcbind answers it)", U6,
	  { { ORIG, GETPORT("5a000010") MOUNTD3 " 00000011 00000000" },
	    { REPLY, REPLY_OK("5a000010") "00004e50" } },
	  .exp = { { S6, 20048, UDP } } },
	{ "GETPORT with a port in the call: ignored, as RFC 1833 says "
	  "(conntrackd refuses it)",
	  U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000801" },
	    { REPLY, REPLY_OK("00000001") "00000801" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "loopback: the server's address is the client's", T4LO,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'127.0.0.1.8.1']" } },
	  .exp = { { LO, 2049, TCP } } },
	{ "GETPORT port 1 is asked for (ctalgd's port floor decides)", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000001" } },
	  .exp = { { S4, 1, TCP } } },

	/* Lookups that make nothing. */
	{ "GETPORT of the portmapper itself", U4,
	  { { ORIG, GETPORT("00000001") "000186a0 00000002 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "0000006f" } } },
	{ "GETPORT for neither TCP nor UDP", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000084 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" } } },
	{ "GETPORT answered with port 0 (not registered)", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000000" } } },
	{ "GETADDR for netid \"tcp6\" on an IPv4 connection", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 " 'tcp6' '' ''"
		    "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.0.2.1.8.1']" } } },
	{ "GETADDR for netid \"tcp\" on an IPv6 connection", T6,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'2001:db8::1.8.1']" } } },
	{ "GETADDR for netid \"local\"", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 " 'local' '' ''"
		    "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'/run/rpcbind.sock']" } } },
	{ "GETADDR for netid \"TCP\" (netids are case-sensitive)", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000004") NFS3 " 'TCP' '' ''"
		    "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.0.2.1.8.1']" } } },
	{ "rpcbind version 5 is no lookup", T4,
	  { { ORIG, "[" GETADDR("00000001", "00000005") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.0.2.1.8.1']" } } },
	{ "a call to another program on port 111", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a3 00000004 00000003 "
		    NOAUTH NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.8.1'" } } },
	{ "MSG_DENIED (AUTH_ERROR): nothing", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000001 00000001" } } },
	{ "PROC_UNAVAIL: nothing", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000000 00000000 00000000 00000003" } } },
	{ "SYSTEM_ERR: nothing", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000000 00000000 00000000 00000005" } } },
	{ "a reply without a call (conntrackd matches xid 0 to its zeroed "
	  "state)",
	  U4, { { REPLY, REPLY_OK("00000000") "00000801" } } },
	{ "a reply with another xid", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000002") "00000801" } } },
	{ "a second reply to the same call is ignored", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" },
	    { REPLY, REPLY_OK("00000001") "00004e50" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "a retransmitted call is kept once", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" },
	    { REPLY, REPLY_OK("00000001") "00000801" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "a retransmitted newest call keeps the older one", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { ORIG, GETPORT("00000002") MOUNTD3 " 00000011 00000000" },
	    { ORIG, GETPORT("00000002") MOUNTD3 " 00000011 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" },
	    { REPLY, REPLY_OK("00000002") "00004e50" } },
	  .exp = { { S4, 2049, TCP }, { S4, 20048, UDP } } },
	{ "a reply frees its slot for the next call", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { ORIG, GETPORT("00000002") MOUNTD3 " 00000011 00000000" },
	    { REPLY, REPLY_OK("00000002") "00004e50" },
	    { ORIG, GETPORT("00000003") MOUNTD3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" },
	    { REPLY, REPLY_OK("00000003") "00004e50" } },
	  .exp = { { S4, 20048, UDP },
		   { S4, 2049, TCP },
		   { S4, 20048, TCP } } },
	{ "a call replaced by a call of its xid that is no lookup", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { ORIG, GETPORT("00000001") "000186a0 00000002 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" } } },
	{ "three calls outstanding: the oldest is forgotten", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { ORIG, GETPORT("00000002") NFS3 " 00000011 00000000" },
	    { ORIG, GETPORT("00000003") MOUNTD3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" },
	    { REPLY, REPLY_OK("00000002") "00000801" },
	    { REPLY, REPLY_OK("00000003") "00004e50" } },
	  .exp = { { S4, 2049, UDP }, { S4, 20048, TCP } } },
	{ "a REPLY from the client and a CALL from the server are ignored",
	  U4,
	  { { ORIG, REPLY_OK("00000001") "00000801" },
	    { REPLY, GETPORT("00000002") NFS3 " 00000006 00000000" },
	    { ORIG, REPLY_OK("00000002") "00000801" } } },

	/* Hostile calls. */
	{ "call: RPC version 3", U4,
	  { { ORIG, "00000001 00000000 00000003 000186a0 00000002 00000003 "
		    NOAUTH NFS3 " 00000006 00000000" } },
	  .error = "RPC version other than 2" },
	{ "message type 2", U4, { { ORIG, "00000001 00000002" } },
	  .error = "neither CALL nor REPLY" },
	{ "a datagram of 7 bytes", U4, { { ORIG, "00000001 000000" } },
	  .error = "shorter than an RPC header" },
	{ "call: header cut after the program", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0" } },
	  .error = "call: header past the end" },
	{ "call: credential of 401 bytes", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0 00000002 00000003 "
		    "00000001 00000191" } },
	  .error = "credential body over 400 bytes" },
	{ "call: credential length 0xffffffff", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0 00000002 00000003 "
		    "00000001 ffffffff" } },
	  .error = "credential body over 400 bytes" },
	{ "call: credential past the end", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0 00000002 00000003 "
		    "00000001 00000010 00000000" } },
	  .error = "credential past the end" },
	{ "call: credential of 5 bytes, its padding missing", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0 00000002 00000003 "
		    "00000001 00000005 00000000 00" } },
	  .error = "credential past the end" },
	{ "call: verifier of 401 bytes", U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0 00000002 00000003 "
		    "00000000 00000000 00000000 00000191" } },
	  .error = "verifier body over 400 bytes" },
	{ "GETPORT: arguments cut", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006" } },
	  .error = "GETPORT: arguments past the end" },
	{ "GETPORT: bytes after the arguments", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" } },
	  .error = "GETPORT: bytes after the arguments" },
	{ "GETADDR: netid length 0xffffffff", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " ffffffff" } },
	  .error = "netid over 32 bytes" },
	{ "GETADDR: netid of 33 bytes", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3
		    " '012345678901234567890123456789012' '' ''" } },
	  .error = "netid over 32 bytes" },
	{ "GETADDR: netid of 32 bytes is no error", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3
		    " '01234567890123456789012345678901' '' ''" } } },
	{ "GETADDR: netid of 200 bytes, none there (rpcbind answers from "
	  "stale bytes)",
	  U4,
	  { { ORIG, GETADDR("5a00000b", "00000004") MOUNTD3 " 000000c8" },
	    { REPLY, REPLY_OK("5a00000b") "'192.0.2.1.78.80'" } },
	  .error = "netid over 32 bytes" },
	{ "GETADDR: netid past the end", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " 00000014 74637000" } },
	  .error = "netid past the end" },
	{ "version 2 procedure 3 is GETPORT: GETADDR arguments are malformed",
	  T4,
	  { { ORIG, "[" GETADDR("00000001", "00000002") NFS3 A_TCP "]" },
	    { REPLY, "[" REPLY_OK("00000001") "'192.0.2.1.8.1']" } },
	  .error = "GETPORT: bytes after the arguments" },
	{ "version 3 procedure 3 is GETADDR: GETPORT arguments are malformed",
	  U4,
	  { { ORIG, "00000001 00000000 00000002 000186a0 00000003 00000003 "
		    NOAUTH NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801" } },
	  .error = "GETADDR: netid past the end" },
	{ "GETADDR: NUL in the netid (\"tcp\\0\" is \"tcp\" to rpcbind)", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3
		    " 00000004 74637000 00000000 00000000" },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.8.1'" } },
	  .error = "NUL byte in the netid" },
	{ "GETADDR: address of 65 bytes", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " 'tcp' "
		    "'01234567890123456789012345678901234567890123456789"
		    "012345678901234' ''" } },
	  .error = "GETADDR: address over 64 bytes" },
	{ "GETADDR: owner length 200, past the end", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3
		    " 'tcp' '' 000000c8 41424344" } },
	  .error = "owner past the end" },
	{ "GETADDR: owner of 257 bytes", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " 'tcp' '' 00000101" } },
	  .error = "owner over 256 bytes" },
	{ "GETADDR: bytes after the arguments", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP " 00000000" } },
	  .error = "GETADDR: bytes after the arguments" },
	{ "GETADDR: a bad call does not keep an older one of its xid", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { ORIG, GETADDR("00000001", "00000004") NFS3 " ffffffff" },
	    { REPLY, REPLY_OK("00000001") "00000801" } },
	  .error = "netid over 32 bytes" },

	/* Hostile replies. */
	{ "reply: status 2", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000002" } },
	  .error = "status neither accepted nor denied" },
	{ "reply: cut after its type", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001" } },
	  .error = "reply: status past the end" },
	{ "reply: verifier of 401 bytes", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000000 00000000 00000191" } },
	  .error = "reply: verifier body over 400 bytes" },
	{ "reply: accept status 6", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000000 00000000 00000000 00000006" } },
	  .error = "unknown accept status" },
	{ "reply: accept status cut", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, "00000001 00000001 00000000 00000000 00000000" } },
	  .error = "accept status past the end" },
	{ "GETPORT reply: port 65536 + 2049 (conntrackd reads 2049)", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00010801" } },
	  .error = "port above 65535" },
	{ "GETPORT reply: port cut", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "0000" } },
	  .error = "GETPORT reply: port past the end" },
	{ "GETPORT reply: bytes after the port", U4,
	  { { ORIG, GETPORT("00000001") NFS3 " 00000006 00000000" },
	    { REPLY, REPLY_OK("00000001") "00000801 00000000" } },
	  .error = "bytes after the port" },
	{ "GETADDR reply: address length 0xffffffff", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "ffffffff" } },
	  .error = "GETADDR reply: address over 64 bytes" },
	{ "GETADDR reply: address past the end", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "0000000d 3139322e 302e322e" } },
	  .error = "GETADDR reply: address past the end" },
	{ "GETADDR reply: bytes after the address", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.8.1' 00000000" } },
	  .error = "bytes after the address" },
	{ "GETADDR reply: NUL in the address", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "0000000e 3139322e 302e322e 312e382e"
					  "31000000" } },
	  .error = "NUL byte in the address" },
	{ "GETADDR reply: a port byte of 256", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.256.1'" } },
	  .error = "port bytes not two numbers of 0-255" },
	{ "GETADDR reply: a port byte of 4 digits", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.8.0001'" } },
	  .error = "port bytes not two numbers of 0-255" },
	{ "GETADDR reply: a signed port byte", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.+8.1'" } },
	  .error = "port bytes not two numbers of 0-255" },
	{ "GETADDR reply: an empty port byte", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1..1'" } },
	  .error = "port bytes not two numbers of 0-255" },
	{ "GETADDR reply: port 0", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.0.0'" } },
	  .error = "GETADDR reply: port 0" },
	{ "GETADDR reply: no port", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192'" } },
	  .error = "no port in the address" },
	{ "GETADDR reply: the host alone", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1'" } },
	  .error = "host not an IPv4 address" },
	{ "GETADDR reply: five host numbers", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'1.192.0.2.1.8.1'" } },
	  .error = "host not an IPv4 address" },
	{ "GETADDR reply: a host octet of 256", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.256.8.1'" } },
	  .error = "host not an IPv4 address" },
	{ "GETADDR reply: a host name", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'server.8.1'" } },
	  .error = "host not an IPv4 address" },
	{ "GETADDR reply: blanks", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "' 192.0.2.1.8.1'" } },
	  .error = "host not an IPv4 address" },
	{ "GETADDR reply: an IPv6 address on an IPv4 connection", U4,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 A_TCP },
	    { REPLY, REPLY_OK("00000001") "'2001:db8::1.8.1'" } },
	  .error = "host not an IPv4 address" },
	{ "GETADDR reply: an IPv4 address on an IPv6 connection", U6,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " 'udp6' '' ''" },
	    { REPLY, REPLY_OK("00000001") "'192.0.2.1.8.1'" } },
	  .error = "host not an IPv6 address" },
	{ "GETADDR reply: an IPv6 address with a zone", U6,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " 'udp6' '' ''" },
	    { REPLY, REPLY_OK("00000001") "'fe80::1%eth0.8.1'" } },
	  .error = "host not an IPv6 address" },
	{ "GETADDR reply: an IPv6 address with two \"::\"", U6,
	  { { ORIG, GETADDR("00000001", "00000004") NFS3 " 'udp6' '' ''" },
	    { REPLY, REPLY_OK("00000001") "'2001::db8::1.8.1'" } },
	  .error = "host not an IPv6 address" },
	{ "a bad reply does not hide the next one", T4,
	  { { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]"
		    "[" GETPORT("00000002") MOUNTD3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000001") "00010801]"
		     "[" REPLY_OK("00000002") "00004e50]" } },
	  .error = "port above 65535", .exp = { { S4, 20048, TCP } } },

	/* Lost bytes: find where a record starts again. */
	{ "resync: the reply direction finds the reply after lost bytes", T4,
	  { { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]" },
	    { REPLY, "0000 0000 8000001c 00000009 00000001", .gap = true },
	    { REPLY, "[" REPLY_OK("00000001") "00000801]" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "resync: the client direction finds the call after lost bytes", T4,
	  { { ORIG, "00 0000 00000001 00000001 00", .gap = true },
	    { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000001") "00000801]" } },
	  .exp = { { S4, 2049, TCP } } },
	{ "resync: a reply to no kept call is no place to start", T4,
	  { { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]" },
	    { REPLY, "[" REPLY_OK("00000005") "00000801]"
		     "[" REPLY_OK("00000001") "00000801]", .gap = true } },
	  .exp = { { S4, 2049, TCP } } },
	{ "resync: the bytes too few to tell are carried", T4,
	  { { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]" },
	    { REPLY, "01020304 05060708 090a0b0c 0d0e0f10 1112", .gap = true } },
	  .keep = 15 },
	{ "resync ends a skipped record", T4,
	  { { ORIG, "[" GETPORT("00000001") NFS3 " 00000006 00000000]" },
	    { REPLY, "80001000 00000009 00000001 00000000 00000000 00000000"
		     "00000000" },
	    { REPLY, "[" REPLY_OK("00000001") "00000801]", .gap = true } },
	  .exp = { { S4, 2049, TCP } } },
};

static const char *const conn_names[] = { "T4", "T6", "U4", "U6", "T4LO" };
static struct ctalg_conn conns[N_CONNS];

static void conns_init(void)
{
	static const struct {
		uint8_t family, proto;
		const char *client, *server;
	} c[N_CONNS] = {
		[T4] = { AF_INET, TCP, C4, S4 },
		[T6] = { AF_INET6, TCP, C6, S6 },
		[U4] = { AF_INET, UDP, C4, S4 },
		[U6] = { AF_INET6, UDP, C6, S6 },
		[T4LO] = { AF_INET, TCP, LO, LO },
	};
	int i;

	for (i = 0; i < N_CONNS; i++)
		if (!stream_conn_make(&conns[i], c[i].family, c[i].proto,
				      c[i].client, 40000, c[i].server, 111))
			abort();
}

static bool conn_tcp(enum conn_kind k)
{
	return conns[k].l4proto == IPPROTO_TCP;
}

/* A vector's bytes, decoded. */
struct dseg {
	enum ctalg_dir dir;
	bool gap;
	uint8_t *b;
	size_t len;
};

struct session {
	struct dseg seg[SEGS_MAX];
	size_t n, total;
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Decode the notation into @out (room for @max bytes): hexadecimal digits
 * in pairs, blanks between; "[" ... "]" a record, its last-fragment mark
 * filled in, "{" ... "}" a fragment that is not the last; 'text' an XDR
 * string. A malformed vector is a bug in this test: abort.
 */
static size_t rpc_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0, mark = 0, k;
	bool open = false;
	int hi, lo;

	while (*s) {
		if (*s == ' ') {
			s++;
		} else if (*s == '[' || *s == '{') {
			if (open || n + 4 > max)
				abort();
			open = true;
			mark = n;
			n += 4;
			s++;
		} else if (*s == ']' || *s == '}') {
			if (!open)
				abort();
			put_be32(out + mark, (uint32_t)(n - mark - 4) |
						 (*s == ']' ? 0x80000000u : 0));
			open = false;
			s++;
		} else if (*s == '\'') {
			const char *end = strchr(s + 1, '\'');

			if (!end)
				abort();
			k = (size_t)(end - s - 1);
			if (n + 4 + ((k + 3) & ~(size_t)3) > max)
				abort();
			put_be32(out + n, (uint32_t)k);
			memcpy(out + n + 4, s + 1, k);
			memset(out + n + 4 + k, 0, ((k + 3) & ~(size_t)3) - k);
			n += 4 + ((k + 3) & ~(size_t)3);
			s = end + 1;
		} else {
			hi = hex_digit(s[0]);
			lo = s[1] ? hex_digit(s[1]) : -1;
			if (hi < 0 || lo < 0 || n + 1 > max)
				abort();
			out[n++] = (uint8_t)(hi << 4 | lo);
			s += 2;
		}
	}
	if (open)
		abort();
	return n;
}

static void session_make(const struct seg *segs, struct session *d)
{
	uint8_t buf[16384];
	size_t i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < SEGS_MAX && segs[i].hex; i++) {
		d->seg[i].dir = segs[i].dir;
		d->seg[i].gap = segs[i].gap;
		d->seg[i].len = rpc_hex(segs[i].hex, buf, sizeof(buf));
		d->seg[i].b = malloc(d->seg[i].len ? d->seg[i].len : 1);
		if (!d->seg[i].b)
			abort();
		memcpy(d->seg[i].b, buf, d->seg[i].len);
		d->total += d->seg[i].len;
	}
	d->n = i;
}

static void session_free(struct session *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->seg[i].b);
}

static bool rpc_stream_init(struct stream *s, enum conn_kind k)
{
	if (!stream_init(
		s, conn_tcp(k) ? &ctalg_helper_rpc_tcp : &ctalg_helper_rpc_udp,
		&conns[k]))
		return false;
	/* The carry is TCP's: a UDP parser's consumed means nothing. */
	s->strict_carry = conn_tcp(k);
	s->check = rpc_req_check;
	return true;
}

/*
 * Feed the first @limit bytes of session @d: segments as given, but the
 * one holding byte @cut (if inside it) cut there, or every byte alone.
 */
static const char *session_feed(struct stream *s, const struct session *d,
				size_t limit, size_t cut, bool bytewise)
{
	size_t i, g = 0, k, end;
	const char *bad = NULL;

	for (i = 0; i < d->n && g < limit && !bad; g += d->seg[i++].len) {
		const struct dseg *x = &d->seg[i];

		end = d->seg[i].len < limit - g ? x->len : limit - g;
		if (bytewise) {
			for (k = 0; k < end && !bad; k++)
				bad = stream_feed(s, x->dir, x->b + k, 1,
						  !k && x->gap);
		} else if (cut > g && cut < g + end) {
			bad = stream_feed(s, x->dir, x->b, cut - g, x->gap);
			if (!bad)
				bad = stream_feed(s, x->dir, x->b + (cut - g),
						  end - (cut - g), false);
		} else {
			bad = stream_feed(s, x->dir, x->b, end, x->gap);
		}
	}
	return bad;
}

static unsigned int want_count(const struct rpc_vec *v)
{
	unsigned int n = 0;

	while (n < WANT_MAX && v->exp[n].dst)
		n++;
	return n;
}

static bool req_matches(const struct ctalg_exp_req *e, const struct want *w,
			const struct ctalg_conn *conn)
{
	union ctalg_addr dst = { 0 };

	if (inet_pton(conn->family, w->dst, &dst) != 1)
		return false;
	return !memcmp(&e->dst, &dst, sizeof(dst)) && e->dport == w->port &&
	       e->l4proto == w->proto &&
	       !memcmp(&e->src, &conn->tuple[CTALG_DIR_ORIGINAL].src,
		       sizeof(e->src));
}

/* The first @n requests of @s are the vector's first @n. */
static bool reqs_prefix(const struct stream *s, const struct rpc_vec *v,
			unsigned int n)
{
	unsigned int i;

	if (n > want_count(v) || s->exp_overflow)
		return false;
	for (i = 0; i < n; i++)
		if (!req_matches(&s->exp[i], &v->exp[i], &s->conn))
			return false;
	return true;
}

static bool error_matches(const struct stream *s, const struct rpc_vec *v)
{
	if (!v->error)
		return s->errors == 0;
	return s->errors && strstr(s->first_error, v->error);
}

static void vec_print(const struct rpc_vec *v, const struct session *d,
		      const struct stream *s, const char *violation)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned int i;
	size_t k, j;

	if (violation)
		tap_diag("SDK contract broken: %s", violation);
	tap_diag("the helper did this (check it before pasting):");
	tap_diag("{ \"%s\", %s,", v->name, conn_names[v->conn]);
	for (k = 0; k < d->n; k++) {
		printf("#   { %s, \"", d->seg[k].dir == ORIG ? "ORIG" : "REPLY");
		for (j = 0; j < d->seg[k].len; j++)
			printf("%s%02x", j && !(j % 4) ? " " : "",
			       d->seg[k].b[j]);
		printf("\"%s },\n", d->seg[k].gap ? ", .gap = true" : "");
	}
	if (s->errors)
		tap_diag("  .error = \"%s\",", s->first_error);
	if (conn_tcp(v->conn) && d->n)
		tap_diag("  .keep = %u,",
			 stream_carry(s, d->seg[d->n - 1].dir, NULL));
	for (i = 0; i < s->n_exp; i++) {
		inet_ntop(s->conn.family, &s->exp[i].dst, addr, sizeof(addr));
		tap_diag("  .exp[%u] = { \"%s\", %u, %s },", i, addr,
			 s->exp[i].dport,
			 s->exp[i].l4proto == IPPROTO_TCP ? "TCP" : "UDP");
	}
	tap_diag("},");
}

/* The whole session as given. */
static void vec_once(const struct rpc_vec *v, const struct session *d)
{
	const enum ctalg_dir last = d->n ? d->seg[d->n - 1].dir : ORIG;
	struct stream s;
	const char *bad;
	bool ok;

	if (!rpc_stream_init(&s, v->conn))
		abort();
	bad = session_feed(&s, d, d->total, 0, false);
	ok = !bad && s.n_exp == want_count(v) &&
	     reqs_prefix(&s, v, want_count(v)) && error_matches(&s, v);
	if (conn_tcp(v->conn))
		ok = ok && stream_carry(&s, last, NULL) == v->keep &&
		     stream_carry(&s, !last, NULL) == 0;
	if (!tap_ok(ok, "%s", v->name))
		vec_print(v, d, &s, bad);
	stream_free(&s);
}

/*
 * Every prefix in a fresh connection, the last segment's part in its own
 * exact-size buffer. Over TCP, no request or error the whole does not
 * make. A cut datagram is another message (a reply cut before bytes that
 * made it malformed is a valid one), so over UDP only the SDK contract.
 */
static void vec_prefixes(const struct rpc_vec *v, const struct session *d)
{
	const char *bad = NULL;
	size_t k, at = 0;

	for (k = 0; k <= d->total && !bad; k++) {
		struct stream s;

		if (!rpc_stream_init(&s, v->conn))
			abort();
		bad = session_feed(&s, d, k, 0, false);
		if (!bad && conn_tcp(v->conn) && !reqs_prefix(&s, v, s.n_exp))
			bad = "a request the whole does not make";
		if (!bad && conn_tcp(v->conn) && s.errors && !v->error)
			bad = "an error in a prefix only";
		at = k;
		stream_free(&s);
	}
	if (!tap_ok(!bad, "%s: every prefix", v->name))
		tap_diag("%s (the first %zu bytes)", bad, at);
}

/* TCP: cut in two at every position, and byte by byte. */
static void vec_cuts(const struct rpc_vec *v, const struct session *d)
{
	const char *bad = NULL;
	uint32_t carry[2];
	struct stream s;
	size_t k, at = 0;
	int dir;

	if (!rpc_stream_init(&s, v->conn))
		abort();
	session_feed(&s, d, d->total, 0, false);
	for (dir = 0; dir < 2; dir++)
		carry[dir] = stream_carry(&s, dir, NULL);
	stream_free(&s);
	for (k = 1; k <= d->total && !bad; k++) {
		/* k < total: one cut at k; k == total: every byte alone. */
		if (!rpc_stream_init(&s, v->conn))
			abort();
		bad = session_feed(&s, d, d->total, k, k == d->total);
		if (!bad && (s.n_exp != want_count(v) ||
			     !reqs_prefix(&s, v, want_count(v))))
			bad = "other requests than in one piece";
		if (!bad && !error_matches(&s, v))
			bad = "another error than in one piece";
		for (dir = 0; dir < 2 && !bad; dir++)
			if (stream_carry(&s, dir, NULL) != carry[dir])
				bad = "another carry than in one piece";
		at = k;
		stream_free(&s);
	}
	if (!tap_ok(!bad, "%s: cut anywhere", v->name))
		tap_diag("%s (cut at %zu%s)", bad, at,
			 at == d->total ? ": byte by byte" : "");
}

static void run_vector(const struct rpc_vec *v)
{
	struct session d;

	session_make(v->segs, &d);
	vec_once(v, &d);
	vec_prefixes(v, &d);
	if (conn_tcp(v->conn))
		vec_cuts(v, &d);
	session_free(&d);
}

/*
 * Records too long to be a lookup, built here: skipped without being
 * carried, whole or cut, and what follows them still read.
 */
static void test_long_records(void)
{
	enum { DUMP = 1792 };
	static const char call[] = "[" GETPORT("00000001") NFS3
	    " 00000006 00000000]";
	static const char reply[] = "[" REPLY_OK("00000001") "00000801]";
	char *hex = malloc(2 * DUMP + 4096);
	struct rpc_vec v;
	size_t n;

	if (!hex)
		abort();
	/*
	 * The rpcbind v3 DUMP reply rpcinfo -s got: 1796 bytes with its
	 * mark, its entries here zeros; then a lookup and its reply.
	 */
	n = (size_t)snprintf(hex, 64, "80000700 %s", "d0c78191 00000001");
	memset(hex + n, '0', 2 * (DUMP - 8));
	n += 2 * (DUMP - 8);
	hex[n] = 0;
	v = (struct rpc_vec){
		.name = "a DUMP reply of 1796 bytes is skipped, not carried",
		.conn = T4,
		.segs = { { ORIG, call }, { REPLY, hex }, { REPLY, reply } },
		.exp = { { S4, 2049, TCP } },
	};
	run_vector(&v);

	v.name = "a lookup call of 1216 bytes is skipped, with an error";
	n = (size_t)snprintf(hex, 128, "800004c0 %s",
			     GETPORT("00000002") " 00000001 00000000");
	memset(hex + n, '0', 2 * (1216 - 48));
	n += 2 * (1216 - 48);
	hex[n] = 0;
	v.segs[0] = (struct seg){ ORIG, hex };
	v.segs[1] = (struct seg){ ORIG, call };
	v.segs[2] = (struct seg){ REPLY, reply };
	v.error = "call: lookup longer than 1212 bytes";
	run_vector(&v);

	v.name = "a record of 2^31 - 1 bytes: skipped as it comes";
	v.segs[0] = (struct seg){ ORIG, "ffffffff 00000001 00000000 00000002 "
					"000186a0 00000004 00000003 00000000" };
	v.segs[1] = (struct seg){ ORIG, "00000000 00000000 00000000" };
	v.segs[2] = (struct seg){ 0 };
	v.error = "call: lookup longer than 1212 bytes";
	memset(v.exp, 0, sizeof(v.exp));
	run_vector(&v);

	v.name = "a reply to a lookup over 1212 bytes, in fragments";
	v.segs[0] = (struct seg){ ORIG, call };
	n = (size_t)snprintf(hex, 128, "%s", "00000200 00000001 00000001");
	memset(hex + n, '0', 2 * (512 - 8));
	n += 2 * (512 - 8);
	n += (size_t)snprintf(hex + n, 32, "%s", " 00000300");
	memset(hex + n, '0', 2 * 768);
	n += 2 * 768;
	n += (size_t)snprintf(hex + n, 32, "%s", " 80000400");
	memset(hex + n, '0', 2 * 1024);
	n += 2 * 1024;
	hex[n] = 0;
	v.segs[1] = (struct seg){ REPLY, hex };
	v.segs[2] = (struct seg){ REPLY, reply };
	v.error = "reply: longer than 1212 bytes";
	run_vector(&v);
	free(hex);
}

static void test_definition(void)
{
	const struct ctalg_helper *h[2] = { &ctalg_helper_rpc_tcp,
					    &ctalg_helper_rpc_udp };
	int i;

	for (i = 0; i < 2; i++) {
		tap_ok(h[i]->abi == CTALG_HELPER_ABI &&
			   !strcmp(h[i]->name, "rpc") &&
			   h[i]->l4proto == (i ? UDP : TCP) &&
			   h[i]->families ==
			       (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
			   h[i]->ports[0] == 111 && h[i]->ports[1] == 0 &&
			   h[i]->min_port == 1024,
		       "rpc (%s): port 111, IPv4 and IPv6, ports from 1024",
		       i ? "udp" : "tcp");
		tap_ok(h[i]->n_classes == 1 &&
			   !strcmp(h[i]->classes[0].name, "rpc") &&
			   h[i]->classes[0].max_expected == 4 &&
			   h[i]->classes[0].timeout == 300,
		       "rpc (%s): one class \"rpc\", at most 4, 300 s",
		       i ? "udp" : "tcp");
		tap_ok(h[i]->priv_size <= CTALG_HELPER_PRIV_MAX &&
			   h[i]->carry_max <= CTALG_HELPER_CARRY_MAX,
		       "rpc (%s): private state %u bytes, carry %u bytes",
		       i ? "udp" : "tcp", h[i]->priv_size, h[i]->carry_max);
	}
}

/*
 * The ctalgd.conf blocks of doc/helpers/rpc.md ("```ctalgd.conf" fences) must be
 * accepted by `ctalgd -t -C`.
 */
static void test_doc(void)
{
	const char *src = getenv("SRCDIR"), *bld = getenv("BUILDDIR");
	char path[4096], daemon[4096], conf[] = "/tmp/ctalg-rpc-doc-XXXXXX";
	char line[1024];
	unsigned int blocks = 0;
	bool in = false;
	FILE *f, *out = NULL;
	int fd, st;
	pid_t pid;

	if (!src || !bld) {
		tap_skip("doc/helpers/rpc.md: SRCDIR and BUILDDIR not set");
		return;
	}
	snprintf(path, sizeof(path), "%s/doc/helpers/rpc.md", src);
	snprintf(daemon, sizeof(daemon), "%s/daemon/ctalgd", bld);
	f = fopen(path, "r");
	if (!tap_ok(f != NULL, "doc/helpers/rpc.md is there"))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!in && !strcmp(line, "```ctalgd.conf\n")) {
			snprintf(conf, sizeof(conf), "%s",
				 "/tmp/ctalg-rpc-doc-XXXXXX");
			fd = mkstemp(conf);
			out = fd >= 0 ? fdopen(fd, "w") : NULL;
			if (!out)
				abort();
			in = true;
			continue;
		}
		if (!in)
			continue;
		if (strcmp(line, "```\n")) {
			fputs(line, out);
			continue;
		}
		in = false;
		fclose(out);
		blocks++;
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			execl(daemon, "ctalgd", "-t", "-C", conf, (char *)NULL);
			_exit(127);
		}
		st = -1;
		if (pid > 0)
			waitpid(pid, &st, 0);
		tap_ok(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		       "doc/helpers/rpc.md: ctalgd -t accepts configuration "
		       "block %u",
		       blocks);
		unlink(conf);
	}
	fclose(f);
	tap_ok(blocks > 0 && !in,
	       "doc/helpers/rpc.md has configuration "
	       "blocks (%u)",
	       blocks);
}

int main(void)
{
	size_t i;

	conns_init();
	test_definition();
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		run_vector(&vectors[i]);
	test_long_records();
	test_doc();
	return tap_done();
}
