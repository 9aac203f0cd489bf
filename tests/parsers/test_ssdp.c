// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SSDP helpers from byte vectors (helper_vec.h) and sessions.
 *
 * Real traffic, captured between two namespaces: miniupnpd 2.3.1 (a UPnP
 * Internet Gateway Device) and, as control points, upnpc 2.2.4 (search,
 * description, SOAP control) and curl 7.88 (SUBSCRIBE); miniupnpd then
 * sent its event NOTIFY to a listener that answered "200 OK". Then every
 * form UDA 1.1/2.0 and RFC 9112 allow, the bounds one past their limit,
 * bodies holding request lines, and the reference's defects shown fixed.
 */
#include "builtin.h"
#include "helper_vec.h"
#include "udp_check.h"

/*
 * Captured between two namespaces (the file's comment says how).
 */
/* upnpc 2.2.4's search for an IGD over IPv4 */
#define CAP_MSEARCH4                                                  \
	"M-SEARCH * HTTP/1.1\r\n"                                     \
	"HOST: 239.255.255.250:1900\r\n"                              \
	"ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n" \
	"MAN: \"ssdp:discover\"\r\n"                                  \
	"MX: 2\r\n"                                                   \
	"\r\n"

/* miniupnpd 2.3.1's unicast answer to it */
#define CAP_ANSWER4                                                        \
	"HTTP/1.1 200 OK\r\n"                                              \
	"CACHE-CONTROL: max-age=120\r\n"                                   \
	"ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"      \
	"USN: uuid:12345678-1234-1234-1234-123456789abc::urn:schemas-upnp" \
	"-org:device:InternetGatewayDevice:1\r\n"                          \
	"EXT:\r\n"                                                         \
	"SERVER: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n"      \
	"LOCATION: http://192.0.2.20:5000/rootDesc.xml\r\n"                \
	"OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"            \
	"01-NLS: 1795457847\r\n"                                           \
	"BOOTID.UPNP.ORG: 1795457847\r\n"                                  \
	"CONFIGID.UPNP.ORG: 1337\r\n"                                      \
	"\r\n"

/* miniupnpd's ssdp:alive to 239.255.255.250 */
#define CAP_NOTIFY4                                                       \
	"NOTIFY * HTTP/1.1\r\n"                                           \
	"HOST: 239.255.255.250:1900\r\n"                                  \
	"CACHE-CONTROL: max-age=60\r\n"                                   \
	"LOCATION: http://192.0.2.20:5000/rootDesc.xml\r\n"               \
	"SERVER: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n"     \
	"NT: upnp:rootdevice\r\n"                                         \
	"USN: uuid:12345678-1234-1234-1234-123456789abc::upnp:rootdevice" \
	"\r\n"                                                            \
	"NTS: ssdp:alive\r\n"                                             \
	"OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"           \
	"01-NLS: 1795457847\r\n"                                          \
	"BOOTID.UPNP.ORG: 1795457847\r\n"                                 \
	"CONFIGID.UPNP.ORG: 1337\r\n"                                     \
	"\r\n"

/* upnpc -6: the search to ff02::c, from a link-local address */
#define CAP_MSEARCH6                                                  \
	"M-SEARCH * HTTP/1.1\r\n"                                     \
	"HOST: [FF02::C]:1900\r\n"                                    \
	"ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n" \
	"MAN: \"ssdp:discover\"\r\n"                                  \
	"MX: 2\r\n"                                                   \
	"\r\n"

/* miniupnpd's answer from its link-local address, naming its global one */
#define CAP_ANSWER6                                                        \
	"HTTP/1.1 200 OK\r\n"                                              \
	"CACHE-CONTROL: max-age=120\r\n"                                   \
	"ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"      \
	"USN: uuid:12345678-1234-1234-1234-123456789abc::urn:schemas-upnp" \
	"-org:device:InternetGatewayDevice:1\r\n"                          \
	"EXT:\r\n"                                                         \
	"SERVER: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n"      \
	"LOCATION: http://[2001:db8::20]:5000/rootDesc.xml\r\n"            \
	"OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"            \
	"01-NLS: 1795457847\r\n"                                           \
	"BOOTID.UPNP.ORG: 1795457847\r\n"                                  \
	"CONFIGID.UPNP.ORG: 1337\r\n"                                      \
	"\r\n"

/* miniupnpd's ssdp:alive to ff05::c from its global address */
#define CAP_NOTIFY6                                                       \
	"NOTIFY * HTTP/1.1\r\n"                                           \
	"HOST: [FF05::C]:1900\r\n"                                        \
	"CACHE-CONTROL: max-age=60\r\n"                                   \
	"LOCATION: http://[2001:db8::20]:5000/rootDesc.xml\r\n"           \
	"SERVER: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n"     \
	"NT: upnp:rootdevice\r\n"                                         \
	"USN: uuid:12345678-1234-1234-1234-123456789abc::upnp:rootdevice" \
	"\r\n"                                                            \
	"NTS: ssdp:alive\r\n"                                             \
	"OPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n"           \
	"01-NLS: 1795457847\r\n"                                          \
	"BOOTID.UPNP.ORG: 1795457847\r\n"                                 \
	"CONFIGID.UPNP.ORG: 1337\r\n"                                     \
	"\r\n"

/* upnpc fetching the description */
#define CAP_GET                                                          \
	"GET /rootDesc.xml HTTP/1.1\r\n"                                 \
	"Host: 192.0.2.20:5000\r\n"                                      \
	"Connection: Close\r\n"                                          \
	"User-Agent: Debian/bookworm/sid, UPnP/1.1, MiniUPnPc/2.2.4\r\n" \
	"\r\n"

/* upnpc's SOAP call GetStatusInfo, with its body */
#define CAP_POST                                                           \
	"POST /ctl/IPConn HTTP/1.1\r\n"                                    \
	"Host: 192.0.2.20:5000\r\n"                                        \
	"User-Agent: Debian/bookworm/sid, UPnP/1.1, MiniUPnPc/2.2.4\r\n"   \
	"Content-Length: 271\r\n"                                          \
	"Content-Type: text/xml\r\n"                                       \
	"SOAPAction: \"urn:schemas-upnp-org:service:WANIPConnection:2#Get" \
	"StatusInfo\"\r\n"                                                 \
	"Connection: Close\r\n"                                            \
	"Cache-Control: no-cache\r\n"                                      \
	"Pragma: no-cache\r\n"                                             \
	"\r\n"                                                             \
	"<?xml version=\"1.0\"?>\r\n"                                      \
	"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/"  \
	"\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/"   \
	"\"><s:Body><u:GetStatusInfo xmlns:u=\"urn:schemas-upnp-org:servi" \
	"ce:WANIPConnection:2\"></u:GetStatusInfo></s:Body></s:Envelope>"  \
	"\r\n"

/* miniupnpd's SOAP answer, with its body */
#define CAP_POST_REPLY                                                     \
	"HTTP/1.1 200 OK\r\n"                                              \
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"                    \
	"Connection: close\r\n"                                            \
	"Content-Length: 422\r\n"                                          \
	"Server: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n"      \
	"Ext:\r\n"                                                         \
	"\r\n"                                                             \
	"<?xml version=\"1.0\"?>\r\n"                                      \
	"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/"  \
	"\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/"   \
	"\"><s:Body><u:GetStatusInfoResponse xmlns:u=\"urn:schemas-upnp-o" \
	"rg:service:WANIPConnection:2\"><NewConnectionStatus>Connected</N" \
	"ewConnectionStatus><NewLastConnectionError>ERROR_NONE</NewLastCo" \
	"nnectionError><NewUptime>5</NewUptime></u:GetStatusInfoResponse>" \
	"</s:Body></s:Envelope>\r\n"

/* curl -X SUBSCRIBE with CALLBACK and NT to miniupnpd's event URL */
#define CAP_SUB                                         \
	"SUBSCRIBE /evt/L3F HTTP/1.1\r\n"               \
	"Host: 192.0.2.20:5000\r\n"                     \
	"User-Agent: curl/7.88.1\r\n"                   \
	"Accept: */*\r\n"                               \
	"CALLBACK: <http://192.0.2.10:49200/event>\r\n" \
	"NT: upnp:event\r\n"                            \
	"TIMEOUT: Second-1800\r\n"                      \
	"\r\n"

/* miniupnpd accepting the subscription */
#define CAP_SUB_REPLY                                                 \
	"HTTP/1.1 200 OK\r\n"                                         \
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"               \
	"Connection: close\r\n"                                       \
	"Content-Length: 0\r\n"                                       \
	"Server: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n" \
	"Ext:\r\n"                                                    \
	"Timeout: Second-1800\r\n"                                    \
	"SID: uuid:12345678-1234-1234-1234-12345678a079\r\n"          \
	"\r\n"

/* miniupnpd's first event, on its own connection to the callback */
#define CAP_EVENT                                                          \
	"NOTIFY /event HTTP/1.1\r\n"                                       \
	"Host: 192.0.2.10:49200\r\n"                                       \
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"                    \
	"Content-Length: 249\r\n"                                          \
	"NT: upnp:event\r\n"                                               \
	"NTS: upnp:propchange\r\n"                                         \
	"SID: uuid:12345678-1234-1234-1234-12345678a079\r\n"               \
	"SEQ: 0\r\n"                                                       \
	"Connection: close\r\n"                                            \
	"Cache-Control: no-cache\r\n"                                      \
	"\r\n"                                                             \
	"<e:propertyset xmlns:e=\"urn:schemas-upnp-org:event-1-0\"><e:pro" \
	"perty><DefaultConnectionService>uuid:12345678-1234-1234-1234-123" \
	"456789abe:WANConnectionDevice:2,urn:upnp-org:serviceId:WANIPConn" \
	"1</DefaultConnectionService></e:property></e:propertyset>\r\n"

/* the listener's 200 to the event */
#define CAP_EVENT_REPLY         \
	"HTTP/1.1 200 OK\r\n"   \
	"Content-Length: 0\r\n" \
	"\r\n"

/* the same SUBSCRIBE over IPv6 */
#define CAP_SUB6                                             \
	"SUBSCRIBE /evt/L3F HTTP/1.1\r\n"                    \
	"Host: [2001:db8::20]:5000\r\n"                      \
	"User-Agent: curl/7.88.1\r\n"                        \
	"Accept: */*\r\n"                                    \
	"CALLBACK: <http://[2001:db8::10]:49200/event6>\r\n" \
	"NT: upnp:event\r\n"                                 \
	"\r\n"

/* the same event over IPv6 */
#define CAP_EVENT6                                                         \
	"NOTIFY /event6 HTTP/1.1\r\n"                                      \
	"Host: [2001:db8::10]:49200\r\n"                                   \
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"                    \
	"Content-Length: 249\r\n"                                          \
	"NT: upnp:event\r\n"                                               \
	"NTS: upnp:propchange\r\n"                                         \
	"SID: uuid:12345678-1234-1234-1234-12345678ee50\r\n"               \
	"SEQ: 0\r\n"                                                       \
	"Connection: close\r\n"                                            \
	"Cache-Control: no-cache\r\n"                                      \
	"\r\n"                                                             \
	"<e:propertyset xmlns:e=\"urn:schemas-upnp-org:event-1-0\"><e:pro" \
	"perty><DefaultConnectionService>uuid:12345678-1234-1234-1234-123" \
	"456789abe:WANConnectionDevice:2,urn:upnp-org:serviceId:WANIPConn" \
	"1</DefaultConnectionService></e:property></e:propertyset>\r\n"
#define DESC_HEAD                                                     \
	"HTTP/1.1 200 OK\r\n"                                         \
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"               \
	"Connection: close\r\n"                                       \
	"Content-Length: 3084\r\n"                                    \
	"Server: Debian/6.18.44-fc-v669 UPnP/1.1 MiniUPnPd/2.3.1\r\n" \
	"Ext:\r\n"                                                    \
	"\r\n"

/* The UDP helper's connections. */
enum {
	MS4, /* 192.0.2.10:38690 -> 239.255.255.250:1900, upnpc's search */
	AN4, /* 192.0.2.20:1900 -> 192.0.2.10:38690, an expected answer */
	NT4, /* 192.0.2.20:35725 -> 239.255.255.250:1900, a device's NOTIFY */
	MS6, /* [fe80::f4e8:b0ff:fec5:e432]:46926 -> [ff02::c]:1900 */
	AN6, /* [fe80::3081:b7ff:fe4c:ab3e]:1900 -> the searcher's 46926 */
	NT6, /* [2001:db8::20]:55764 -> [ff05::c]:1900 */
	SS6, /* [2001:db8::10]:40000 -> [ff05::c]:1900, a site search */
	SA6, /* [2001:db8::20]:1900 -> [2001:db8::10]:40000, its answer */
	GL6, /* [2001:db8::10]:40000 -> [ff0e::c]:1900 */
	OT6, /* [2001:db8::10]:40000 -> [ff03::c]:1900, not a UDA scope */
	US4, /* 192.0.2.10:40000 -> 192.0.2.20:1900, a unicast search */
	SP4, /* 192.0.2.10:1900 -> 239.255.255.250:1900 */
	PR4, /* 192.0.2.10:900 -> 239.255.255.250:1900 */
	DP4, /* 192.0.2.10:40000 -> 239.255.255.250:1901 */
	UN4, /* 192.0.2.20:40001 -> 192.0.2.10:1900, a NOTIFY to one host */
};

static const struct hv_conn udp_conns[] = {
	[MS4] = { "MS4", AF_INET, "192.0.2.10", 38690, "239.255.255.250", 1900 },
	[AN4] = { "AN4", AF_INET, "192.0.2.20", 1900, "192.0.2.10", 38690 },
	[NT4] = { "NT4", AF_INET, "192.0.2.20", 35725, "239.255.255.250", 1900 },
	[MS6] = { "MS6", AF_INET6, "fe80::f4e8:b0ff:fec5:e432", 46926,
		  "ff02::c", 1900 },
	[AN6] = { "AN6", AF_INET6, "fe80::3081:b7ff:fe4c:ab3e", 1900,
		  "fe80::f4e8:b0ff:fec5:e432", 46926 },
	[NT6] = { "NT6", AF_INET6, "2001:db8::20", 55764, "ff05::c", 1900 },
	[SS6] = { "SS6", AF_INET6, "2001:db8::10", 40000, "ff05::c", 1900 },
	[SA6] = { "SA6", AF_INET6, "2001:db8::20", 1900, "2001:db8::10", 40000 },
	[GL6] = { "GL6", AF_INET6, "2001:db8::10", 40000, "ff0e::c", 1900 },
	[OT6] = { "OT6", AF_INET6, "2001:db8::10", 40000, "ff03::c", 1900 },
	[US4] = { "US4", AF_INET, "192.0.2.10", 40000, "192.0.2.20", 1900 },
	[SP4] = { "SP4", AF_INET, "192.0.2.10", 1900, "239.255.255.250", 1900 },
	[PR4] = { "PR4", AF_INET, "192.0.2.10", 900, "239.255.255.250", 1900 },
	[DP4] = { "DP4", AF_INET, "192.0.2.10", 40000, "239.255.255.250", 1901 },
	[UN4] = { "UN4", AF_INET, "192.0.2.20", 40001, "192.0.2.10", 1900 },
};

#define SEARCH(addr, port)                            \
	"UDP from any port * to " addr " port " #port \
	" class 1 permanent helper"
#define SEARCH4 SEARCH("192.0.2.10", 38690)
#define LOC(src, addr, port)                                          \
	"TCP from " src " port * to " addr " port " #port " class 0 " \
	"permanent helper"
#define LOC4 LOC("192.0.2.10/32", "192.0.2.20", 5000)

/* An M-SEARCH to the IPv4 group with the fields given. */
#define MSEARCH(fields) "M-SEARCH * HTTP/1.1\r\n" fields "\r\n"
#define MSEARCH_OK                               \
	MSEARCH("HOST: 239.255.255.250:1900\r\n" \
		"MAN: \"ssdp:discover\"\r\n"     \
		"MX: 2\r\n"                      \
		"ST: ssdp:all\r\n")
/* An answer with the LOCATION given. */
#define ANSWER(loc)                        \
	"HTTP/1.1 200 OK\r\n"              \
	"CACHE-CONTROL: max-age=120\r\n"   \
	"ST: upnp:rootdevice\r\n"          \
	"USN: uuid:1::upnp:rootdevice\r\n" \
	"LOCATION: " loc "\r\n"            \
	"\r\n"
#define NOTIFY(nts, more)                \
	"NOTIFY * HTTP/1.1\r\n"          \
	"HOST: 239.255.255.250:1900\r\n" \
	"NT: upnp:rootdevice\r\n"        \
	"NTS: " nts "\r\n"               \
	"USN: uuid:1::upnp:rootdevice\r\n" more "\r\n"

// clang-format off
static const struct hv_vec udp_vectors[] = {
	/* Captured. */
	{ "upnpc's M-SEARCH to 239.255.255.250 (captured)", B(CAP_MSEARCH4),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "miniupnpd's answer, LOCATION http://192.0.2.20:5000/rootDesc.xml "
	  "(captured)", B(CAP_ANSWER4), .conn = AN4, .exp = { LOC4 } },
	{ "miniupnpd's ssdp:alive to the group asks for nothing (captured)",
	  B(CAP_NOTIFY4), .conn = NT4 },
	{ "upnpc -6's M-SEARCH to ff02::c (captured)", B(CAP_MSEARCH6), .conn = MS6,
	  .exp = { SEARCH("fe80::f4e8:b0ff:fec5:e432", 46926) } },
	/*
	 * The answer to a link-local search comes from the device's
	 * link-local address and names its global one: the control point
	 * connects from its own global address, so any source; ctalgd's
	 * policy refuses it unless the Type says AnyAddress (the doc).
	 */
	{ "miniupnpd's IPv6 answer from fe80::, naming 2001:db8::20 "
	  "(captured)", B(CAP_ANSWER6), .conn = AN6,
	  .exp = { LOC("any", "2001:db8::20", 5000) } },
	{ "miniupnpd's ssdp:alive to ff05::c (captured)", B(CAP_NOTIFY6), .conn = NT6 },

	/* M-SEARCH. */
	{ "M-SEARCH", B(MSEARCH_OK), .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH with field names in lower case",
	  B(MSEARCH("host: 239.255.255.250:1900\r\nman: \"ssdp:discover\"\r\n"
		    "mx: 1\r\nst: ssdp:all\r\n")),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH with MAN unquoted",
	  B(MSEARCH("MAN: ssdp:discover\r\nMX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH with MX 120 (UDA 1.0)",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 120\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH with blanks around the values",
	  B(MSEARCH("MAN:   \"ssdp:discover\"  \r\nMX:\t5 \r\nST:  upnp:rootdevice\r\n")),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH with ST folded onto the next line",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2\r\nST:\r\n ssdp:all\r\n")),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH ended by LF alone",
	  B("M-SEARCH * HTTP/1.1\nMAN: \"ssdp:discover\"\nMX: 2\nST: ssdp:all\n\n"),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH without its empty line (the datagram ends it)",
	  B("M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all"),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH in HTTP/1.0",
	  B("M-SEARCH * HTTP/1.0\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n"),
	  .conn = MS4, .exp = { SEARCH4 } },
	{ "M-SEARCH to ff05::c from a global address", B(MSEARCH_OK),
	  .conn = SS6, .exp = { SEARCH("2001:db8::10", 40000) } },
	{ "M-SEARCH to ff0e::c", B(MSEARCH_OK), .conn = GL6,
	  .exp = { SEARCH("2001:db8::10", 40000) } },
	{ "M-SEARCH from port 1900", B(MSEARCH_OK), .conn = SP4,
	  .exp = { SEARCH("192.0.2.10", 1900) } },
	{ "M-SEARCH to one device: answered on its connection",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n")), .conn = US4 },
	{ "M-SEARCH to ff03::c (no UDA scope)", B(MSEARCH_OK), .conn = OT6 },
	{ "M-SEARCH to the group on port 1901", B(MSEARCH_OK), .conn = DP4 },
	{ "M-SEARCH on an answer's connection", B(MSEARCH_OK), .conn = AN4 },
	{ "M-SEARCH from a port below 1024", B(MSEARCH_OK), .conn = PR4,
	  .error = "from a port below 1024" },
	{ "M-SEARCH without MAN", B(MSEARCH("MX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "without MAN" },
	{ "M-SEARCH with another MAN",
	  B(MSEARCH("MAN: \"ssdp:alive\"\r\nMX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "without MAN" },
	{ "M-SEARCH without ST",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2\r\n")), .conn = MS4,
	  .error = "without a search target" },
	{ "M-SEARCH with an empty ST",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2\r\nST:   \r\n")), .conn = MS4,
	  .error = "without a search target" },
	{ "M-SEARCH to the group without MX",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n")), .conn = MS4,
	  .error = "without MX" },
	{ "M-SEARCH with MX 0",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 0\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "MX that is not 1-120" },
	{ "M-SEARCH with MX 121",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 121\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "MX that is not 1-120" },
	{ "M-SEARCH with MX 0002",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 0002\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "MX that is not 1-120" },
	{ "M-SEARCH with MX -1",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: -1\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "MX that is not 1-120" },
	{ "M-SEARCH with MX 2x",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2x\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "MX that is not 1-120" },
	{ "M-SEARCH with two MX",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2\r\nMX: 3\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "MX given twice" },
	{ "M-SEARCH for a target other than *",
	  B("M-SEARCH / HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n"),
	  .conn = MS4, .error = "another target than *" },
	{ "reference defect fixed: \"M-SEARCHING\" is no M-SEARCH",
	  B("M-SEARCHING for devices\r\n\r\n"), .conn = MS4,
	  .error = "neither a request line" },
	{ "m-search in lower case is another method", B("m-search * HTTP/1.1\r\n\r\n"),
	  .conn = MS4 },
	{ "M-SEARCH in HTTP/2.0", B("M-SEARCH * HTTP/2.0\r\n\r\n"), .conn = MS4,
	  .error = "neither a request line" },
	{ "M-SEARCH with a NUL in a field",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:\0all\r\n")),
	  .conn = MS4, .error = "a control character" },
	{ "M-SEARCH with a bare CR in a field",
	  B(MSEARCH("MAN: \"ssdp:discover\"\r\nMX: 2\rST: ssdp:all\r\n")),
	  .conn = MS4, .error = "a control character" },
	{ "M-SEARCH with a blank before a colon",
	  B(MSEARCH("MAN : \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "not followed by a colon" },
	{ "M-SEARCH with a line without a colon",
	  B(MSEARCH("MAN \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "not followed by a colon" },
	{ "M-SEARCH whose first field is a continuation",
	  B(MSEARCH(" MAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "a continuation line" },
	{ "M-SEARCH with a field without a name",
	  B(MSEARCH(": x\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n")),
	  .conn = MS4, .error = "without a field name" },

	/* Answers. */
	{ "an answer, LOCATION on port 80 by default",
	  B(ANSWER("http://192.0.2.20/description.xml")), .conn = AN4,
	  .exp = { LOC("192.0.2.10/32", "192.0.2.20", 80) } },
	{ "an answer, LOCATION with an empty port",
	  B(ANSWER("http://192.0.2.20:/description.xml")), .conn = AN4,
	  .exp = { LOC("192.0.2.10/32", "192.0.2.20", 80) } },
	{ "an answer, LOCATION without a path", B(ANSWER("http://192.0.2.20:5000")),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer, LOCATION with a query", B(ANSWER("http://192.0.2.20:5000?x=1")),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer, the scheme in capitals", B(ANSWER("HTTP://192.0.2.20:5000/")),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer, port 65535", B(ANSWER("http://192.0.2.20:65535/")),
	  .conn = AN4, .exp = { LOC("192.0.2.10/32", "192.0.2.20", 65535) } },
	{ "an answer, port 05000", B(ANSWER("http://192.0.2.20:05000/")),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer, a host name stands for the sender",
	  B(ANSWER("http://router.example:5000/rootDesc.xml")), .conn = AN4,
	  .exp = { LOC4 } },
	{ "an answer, a fully qualified host name",
	  B(ANSWER("http://router.example.:5000/rootDesc.xml")), .conn = AN4,
	  .exp = { LOC4 } },
	{ "an answer in HTTP/1.1 200 without a reason",
	  B("HTTP/1.1 200\r\nLOCATION: http://192.0.2.20:5000/\r\n\r\n"),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer, the field name in lower case",
	  B("HTTP/1.1 200 OK\r\nlocation: http://192.0.2.20:5000/\r\n\r\n"),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer, LOCATION folded",
	  B("HTTP/1.1 200 OK\r\nLOCATION:\r\n\thttp://192.0.2.20:5000/\r\n\r\n"),
	  .conn = AN4, .exp = { LOC4 } },
	{ "an answer naming another host: asked as written (the policy "
	  "refuses it)", B(ANSWER("http://198.51.100.7:5000/")), .conn = AN4,
	  .exp = { LOC("192.0.2.10/32", "198.51.100.7", 5000) } },
	{ "an answer to a unicast search, on its connection",
	  B(ANSWER("http://192.0.2.20:5000/")), .conn = US4, .dir = REPLY,
	  .exp = { LOC("192.0.2.10/32", "192.0.2.20", 5000) } },
	{ "an answer to a site search from a global address",
	  B(ANSWER("http://[2001:db8::20]:5000/")), .conn = SA6,
	  .exp = { LOC("2001:db8::10/128", "2001:db8::20", 5000) } },
	{ "an answer naming a link-local address with a zone",
	  B(ANSWER("http://[fe80::3081:b7ff:fe4c:ab3e%25eth0]:5000/")),
	  .conn = AN6,
	  .exp = { LOC("fe80::f4e8:b0ff:fec5:e432/128",
		       "fe80::3081:b7ff:fe4c:ab3e", 5000) } },
	{ "a 404 answer asks for nothing", B("HTTP/1.1 404 Not Found\r\n\r\n"),
	  .conn = AN4 },
	{ "an answer without LOCATION", B("HTTP/1.1 200 OK\r\nST: ssdp:all\r\n\r\n"),
	  .conn = AN4, .error = "no LOCATION" },
	{ "an answer with an empty LOCATION", B(ANSWER("")), .conn = AN4,
	  .error = "no LOCATION" },
	{ "an answer with two LOCATIONs",
	  B("HTTP/1.1 200 OK\r\nLOCATION: http://192.0.2.20:5000/\r\n"
	    "LOCATION: http://192.0.2.20:5001/\r\n\r\n"),
	  .conn = AN4, .error = "LOCATION given twice" },
	{ "LOCATION of two words", B(ANSWER("http://192.0.2.20:5000/ x")),
	  .conn = AN4, .error = "not one URL" },
	{ "LOCATION https://", B(ANSWER("https://192.0.2.20:5000/")), .conn = AN4,
	  .error = "not http://" },
	{ "LOCATION with port 0", B(ANSWER("http://192.0.2.20:0/")), .conn = AN4,
	  .error = "the port is not 1-65535" },
	{ "LOCATION with port 65536", B(ANSWER("http://192.0.2.20:65536/")),
	  .conn = AN4, .error = "the port is not 1-65535" },
	{ "LOCATION with a port of 6 digits", B(ANSWER("http://192.0.2.20:005000/")),
	  .conn = AN4, .error = "the port is not 1-65535" },
	{ "LOCATION with a signed port", B(ANSWER("http://192.0.2.20:+80/")),
	  .conn = AN4, .error = "the port is not 1-65535" },
	{ "LOCATION with user information (a classic URL trick)",
	  B(ANSWER("http://192.0.2.20@198.51.100.7/")), .conn = AN4,
	  .error = "user information" },
	{ "LOCATION with an octet of 256", B(ANSWER("http://192.0.2.256/")),
	  .conn = AN4, .error = "malformed IPv4" },
	{ "LOCATION with three octets", B(ANSWER("http://192.0.2/")), .conn = AN4,
	  .error = "malformed IPv4" },
	{ "LOCATION without a host", B(ANSWER("http:///rootDesc.xml")),
	  .conn = AN4, .error = "no host" },
	{ "LOCATION with an underscore in the host", B(ANSWER("http://a_b/")),
	  .conn = AN4, .error = "malformed host name" },
	{ "LOCATION with a label of 64", B(ANSWER(
	  "http://a1234567890123456789012345678901234567890123456789012345678901bc/")),
	  .conn = AN4, .error = "malformed host name" },
	{ "LOCATION with a hyphen ending a label", B(ANSWER("http://router-.example/")),
	  .conn = AN4, .error = "malformed host name" },
	{ "LOCATION with an IPv6 address on an IPv4 connection",
	  B(ANSWER("http://[2001:db8::20]:5000/")), .conn = AN4,
	  .error = "an IPv6 address on an IPv4 connection" },
	{ "LOCATION with an IPv4 address on an IPv6 connection",
	  B(ANSWER("http://192.0.2.20:5000/")), .conn = SA6,
	  .error = "an IPv4 address on an IPv6 connection" },
	{ "LOCATION with an IPv6 address without its ]",
	  B(ANSWER("http://[2001:db8::20:5000/")), .conn = SA6,
	  .error = "without its ]" },
	{ "LOCATION with a malformed IPv6 address",
	  B(ANSWER("http://[2001:db8:::20]:5000/")), .conn = SA6,
	  .error = "malformed IPv6 address" },
	{ "LOCATION with a malformed zone", B(ANSWER("http://[fe80::1%eth0]/")),
	  .conn = AN6, .error = "malformed IPv6 address" },
	{ "LOCATION with text after the port", B(ANSWER("http://192.0.2.20:80x/")),
	  .conn = AN4, .error = "the port is not" },

	/* NOTIFY over UDP. */
	{ "ssdp:alive to the group asks for nothing",
	  B(NOTIFY("ssdp:alive", "LOCATION: http://192.0.2.20:5000/\r\n")),
	  .conn = NT4 },
	{ "ssdp:alive to one host is read as an answer",
	  B(NOTIFY("ssdp:alive", "LOCATION: http://192.0.2.20:5000/\r\n")),
	  .conn = UN4, .exp = { LOC4 } },
	{ "ssdp:update to one host", B(NOTIFY("ssdp:update",
	  "LOCATION: http://192.0.2.20:5000/\r\n")), .conn = UN4, .exp = { LOC4 } },
	{ "ssdp:byebye needs no LOCATION", B(NOTIFY("ssdp:byebye", "")),
	  .conn = NT4 },
	{ "ssdp:alive without LOCATION", B(NOTIFY("ssdp:alive", "")), .conn = NT4,
	  .error = "no LOCATION" },
	{ "NOTIFY with another NTS", B(NOTIFY("ssdp:dead", "")), .conn = NT4,
	  .error = "whose NTS is not" },
	{ "NOTIFY without NT",
	  B("NOTIFY * HTTP/1.1\r\nNTS: ssdp:byebye\r\n\r\n"), .conn = NT4,
	  .error = "NOTIFY without NT" },

	/* Other messages. */
	{ "a GET asks for nothing", B("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
	  .conn = MS4 },
	{ "text that is no HTTP", B("hello\r\n"), .conn = MS4,
	  .error = "neither a request line" },
	{ "a datagram of one CR", B("\r"), .conn = MS4,
	  .error = "neither a request line" },
};
// clang-format on

static const struct hv_suite udp_suite = {
	.helper = &ctalg_helper_ssdp,
	.conns = udp_conns,
	.n_conns = sizeof(udp_conns) / sizeof(udp_conns[0]),
	.check = ssdp_req_check,
};

/* The TCP helper's connections. */
enum {
	D4, /* 192.0.2.10:34640 -> 192.0.2.20:5000, control point to device */
	E4, /* 192.0.2.20:48290 -> 192.0.2.10:49200, an event connection */
	D6, /* [2001:db8::10]:52098 -> [2001:db8::20]:5000 */
	E6, /* [2001:db8::20]:48394 -> [2001:db8::10]:49200 */
};

static const struct hv_conn tcp_conns[] = {
	[D4] = { "D4", AF_INET, "192.0.2.10", 34640, "192.0.2.20", 5000 },
	[E4] = { "E4", AF_INET, "192.0.2.20", 48290, "192.0.2.10", 49200 },
	[D6] = { "D6", AF_INET6, "2001:db8::10", 52098, "2001:db8::20", 5000 },
	[E6] = { "E6", AF_INET6, "2001:db8::20", 48394, "2001:db8::10", 49200 },
};

#define EVENT(src, addr, port) \
	"TCP from " src " port * to " addr " port " #port " class 0 helper"
#define EVENT4 EVENT("192.0.2.20/32", "192.0.2.10", 49200)
#define EVENT6 EVENT("2001:db8::20/128", "2001:db8::10", 49200)

#define SUBSCRIBE(fields)                 \
	"SUBSCRIBE /evt/L3F HTTP/1.1\r\n" \
	"Host: 192.0.2.20:5000\r\n" fields "\r\n"
#define SUB_CB(cb) SUBSCRIBE("CALLBACK: " cb "\r\nNT: upnp:event\r\n")
/* A request whose body holds what looks like a SUBSCRIBE. */
#define FAKE_SUB                                                           \
	"SUBSCRIBE /e HTTP/1.1\r\nCALLBACK: <http://192.0.2.10:2222/>\r\n" \
	"NT: upnp:event\r\n\r\n"

// clang-format off
static const struct hv_vec tcp_vectors[] = {
	/* Captured. */
	{ "curl's SUBSCRIBE to miniupnpd (captured)", B(CAP_SUB), .conn = D4,
	  .exp = { EVENT4 } },
	{ "miniupnpd's 200 to it (captured)", B(CAP_SUB_REPLY), .conn = D4, .dir = REPLY },
	{ "curl's SUBSCRIBE over IPv6 (captured)", B(CAP_SUB6), .conn = D6,
	  .exp = { EVENT6 } },
	{ "upnpc's GET of the description (captured)", B(CAP_GET), .conn = D4 },
	{ "upnpc's SOAP POST with its body (captured)", B(CAP_POST), .conn = D4 },
	{ "miniupnpd's SOAP answer with its body (captured)", B(CAP_POST_REPLY),
	  .conn = D4, .dir = REPLY },
	{ "miniupnpd's event NOTIFY (captured)", B(CAP_EVENT), .conn = E4 },
	{ "miniupnpd's event NOTIFY over IPv6 (captured)", B(CAP_EVENT6), .conn = E6 },

	/* SUBSCRIBE. */
	{ "SUBSCRIBE with two callbacks",
	  B(SUB_CB("<http://192.0.2.10:49200/a> <http://192.0.2.10:49201/b>")),
	  .conn = D4, .exp = { EVENT4, EVENT("192.0.2.20/32", "192.0.2.10", 49201) } },
	{ "SUBSCRIBE with callbacks without blanks, and folded",
	  B(SUBSCRIBE("NT: upnp:event\r\nCALLBACK: <http://192.0.2.10:49200/a>"
		      "<http://192.0.2.10:49201/b>\r\n <http://192.0.2.10:49202/c>\r\n")),
	  .conn = D4, .exp = { EVENT4, EVENT("192.0.2.20/32", "192.0.2.10", 49201),
			       EVENT("192.0.2.20/32", "192.0.2.10", 49202) } },
	{ "SUBSCRIBE naming one callback twice asks once",
	  B(SUB_CB("<http://192.0.2.10:49200/a> <http://192.0.2.10:49200/b>")),
	  .conn = D4, .exp = { EVENT4 } },
	{ "SUBSCRIBE with a host name: the sender",
	  B(SUB_CB("<http://cp.example:49200/event>")), .conn = D4,
	  .exp = { EVENT4 } },
	{ "SUBSCRIBE with a callback on port 80: asked (the floor refuses)",
	  B(SUB_CB("<http://192.0.2.10/event>")), .conn = D4,
	  .exp = { EVENT("192.0.2.20/32", "192.0.2.10", 80) } },
	{ "SUBSCRIBE naming another host: asked (the policy refuses)",
	  B(SUB_CB("<http://198.51.100.7:49200/event>")), .conn = D4,
	  .exp = { EVENT("192.0.2.20/32", "198.51.100.7", 49200) } },
	{ "SUBSCRIBE, field names in lower case",
	  B(SUBSCRIBE("callback: <http://192.0.2.10:49200/>\r\nnt: UPNP:EVENT\r\n")),
	  .conn = D4, .exp = { EVENT4 } },
	{ "SUBSCRIBE after empty lines", B("\r\n\n" SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .exp = { EVENT4 } },
	{ "two SUBSCRIBEs in one segment",
	  B(SUB_CB("<http://192.0.2.10:49200/>") SUB_CB("<http://192.0.2.10:49201/>")),
	  .conn = D4, .exp = { EVENT4, EVENT("192.0.2.20/32", "192.0.2.10", 49201) } },
	{ "a renewal (SID only) asks for nothing",
	  B(SUBSCRIBE("SID: uuid:1\r\nTIMEOUT: Second-1800\r\n")), .conn = D4 },
	{ "UNSUBSCRIBE asks for nothing",
	  B("UNSUBSCRIBE /evt/L3F HTTP/1.1\r\nSID: uuid:1\r\n\r\n"), .conn = D4 },
	{ "subscribe in lower case is another method",
	  B("subscribe /evt HTTP/1.1\r\nCALLBACK: <http://192.0.2.10:49200/>\r\n"
	    "NT: upnp:event\r\n\r\n"), .conn = D4 },
	{ "nine callbacks: the first eight",
	  B(SUB_CB("<http://192.0.2.10:1/><http://192.0.2.10:2/><http://192.0.2.10:3/>"
		   "<http://192.0.2.10:4/><http://192.0.2.10:5/><http://192.0.2.10:6/>"
		   "<http://192.0.2.10:7/><http://192.0.2.10:8/><http://192.0.2.10:9/>")),
	  .conn = D4, .error = "more than 8 URLs",
	  .exp = { EVENT("192.0.2.20/32", "192.0.2.10", 1),
		   EVENT("192.0.2.20/32", "192.0.2.10", 2),
		   EVENT("192.0.2.20/32", "192.0.2.10", 3),
		   EVENT("192.0.2.20/32", "192.0.2.10", 4),
		   EVENT("192.0.2.20/32", "192.0.2.10", 5),
		   EVENT("192.0.2.20/32", "192.0.2.10", 6),
		   EVENT("192.0.2.20/32", "192.0.2.10", 7),
		   EVENT("192.0.2.20/32", "192.0.2.10", 8) } },
	{ "SUBSCRIBE with SID and CALLBACK",
	  B(SUBSCRIBE("SID: uuid:1\r\nCALLBACK: <http://192.0.2.10:49200/>\r\n")),
	  .conn = D4, .error = "with SID and CALLBACK" },
	{ "SUBSCRIBE with neither", B(SUBSCRIBE("TIMEOUT: Second-1800\r\n")),
	  .conn = D4, .error = "without CALLBACK or SID" },
	{ "SUBSCRIBE without NT",
	  B(SUBSCRIBE("CALLBACK: <http://192.0.2.10:49200/>\r\n")), .conn = D4,
	  .error = "NT is not upnp:event" },
	{ "SUBSCRIBE with another NT",
	  B(SUBSCRIBE("CALLBACK: <http://192.0.2.10:49200/>\r\nNT: upnp:propchange\r\n")),
	  .conn = D4, .error = "NT is not upnp:event" },
	{ "CALLBACK without brackets", B(SUB_CB("http://192.0.2.10:49200/")),
	  .conn = D4, .error = "not a list of <URL>" },
	{ "CALLBACK without its >", B(SUB_CB("<http://192.0.2.10:49200/")),
	  .conn = D4, .error = "not a list of <URL>" },
	{ "CALLBACK with a blank in a URL", B(SUB_CB("<http://192.0.2.10:49200/ a>")),
	  .conn = D4, .error = "not a list of <URL>" },
	{ "CALLBACK with text between URLs",
	  B(SUB_CB("<http://192.0.2.10:49200/>, <http://192.0.2.10:49201/>")),
	  .conn = D4, .error = "not a list of <URL>",
	  .exp = { EVENT4 } },
	{ "CALLBACK empty", B(SUB_CB("")), .conn = D4,
	  .error = "CALLBACK without a URL" },
	{ "CALLBACK <>", B(SUB_CB("<>")), .conn = D4, .error = "not http://" },
	{ "CALLBACK https", B(SUB_CB("<https://192.0.2.10:49200/>")), .conn = D4,
	  .error = "not http://" },
	{ "CALLBACK with port 0", B(SUB_CB("<http://192.0.2.10:0/>")), .conn = D4,
	  .error = "the port is not 1-65535" },
	{ "CALLBACK IPv4 on an IPv6 connection",
	  B(SUB_CB("<http://192.0.2.10:49200/>")), .conn = D6,
	  .error = "an IPv4 address on an IPv6 connection" },
	{ "two CALLBACK fields",
	  B(SUBSCRIBE("CALLBACK: <http://192.0.2.10:49200/>\r\nCALLBACK: "
		      "<http://192.0.2.10:49201/>\r\nNT: upnp:event\r\n")),
	  .conn = D4, .error = "CALLBACK given twice" },
	{ "a bad SUBSCRIBE does not stop the next one",
	  B(SUB_CB("<http://192.0.2.10:0/>") SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .error = "the port is not", .exp = { EVENT4 } },

	/* Framing: bodies are not read as messages. */
	{ "a POST body holding a SUBSCRIBE, then a SUBSCRIBE",
	  B("POST /ctl HTTP/1.1\r\nContent-Length: 78\r\n\r\n" FAKE_SUB
	    SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .exp = { EVENT4 } },
	{ "a chunked POST body holding a SUBSCRIBE, then a SUBSCRIBE",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "17\r\nSUBSCRIBE /e HTTP/1.1\r\n\r\n"
	    "37;ext=1\r\nCALLBACK: <http://192.0.2.10:2222/>\r\nNT: upnp:event\r\n\r\n\r\n"
	    "0\r\nX-Trailer: 1\r\n\r\n"
	    SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .exp = { EVENT4 } },
	{ "a chunked body with LF line ends and an empty trailer",
	  B("POST /ctl HTTP/1.1\nTransfer-Encoding: gzip, chunked\n\n"
	    "5\nabcde\n0\n\n" SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .exp = { EVENT4 } },
	{ "a body not yet complete is consumed, not carried",
	  B("POST /ctl HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" FAKE_SUB),
	  .conn = D4 },
	{ "a Content-Length of 4294967295", B("POST /ctl HTTP/1.1\r\n"
	  "Content-Length: 4294967295\r\n\r\n" FAKE_SUB), .conn = D4 },
	{ "an incomplete head is carried",
	  B("SUBSCRIBE /evt HTTP/1.1\r\nCALLBACK: <http://192.0.2.10:49200/>\r\n"),
	  .conn = D4, .keep = 63 },
	{ "an incomplete chunk-size line is carried",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1f"),
	  .conn = D4, .keep = 2 },
	{ "a CR alone after a chunk is carried",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r"),
	  .conn = D4, .keep = 1 },
	{ "a CR alone between messages is carried", B(CAP_GET "\r"), .conn = D4,
	  .keep = 1 },
	{ "both Transfer-Encoding and Content-Length",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
	    "abcde" SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .error = "both Transfer-Encoding and Content-Length" },
	{ "a request whose last coding is not chunked",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n" FAKE_SUB),
	  .conn = D4, .error = "last transfer coding is not chunked" },
	{ "two Content-Lengths",
	  B("POST /ctl HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nabcde"),
	  .conn = D4, .error = "Content-Length given twice" },
	{ "a Content-Length list", B("POST /ctl HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nabcde"),
	  .conn = D4, .error = "Content-Length is not a number" },
	{ "a signed Content-Length", B("POST /ctl HTTP/1.1\r\nContent-Length: +5\r\n\r\nabcde"),
	  .conn = D4, .error = "Content-Length is not a number" },
	{ "a Content-Length of 4294967296",
	  B("POST /ctl HTTP/1.1\r\nContent-Length: 4294967296\r\n\r\n"), .conn = D4,
	  .error = "Content-Length is not a number" },
	{ "a chunk size of 9 digits",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n000000001\r\nx\r\n"),
	  .conn = D4, .error = "a malformed chunk-size line" },
	{ "a chunk size that is not hexadecimal",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n"),
	  .conn = D4, .error = "a malformed chunk-size line" },
	{ "a chunk size followed by text",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nabcde\r\n"),
	  .conn = D4, .error = "a malformed chunk-size line" },
	{ "a chunk not followed by its line end",
	  B("POST /ctl HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n"),
	  .conn = D4, .error = "a chunk not followed by its line end" },
	{ "after an error that breaks the framing nothing more is read",
	  B("POST /ctl HTTP/1.1\r\nContent-Length: x\r\n\r\n"
	    SUB_CB("<http://192.0.2.10:49200/>")),
	  .conn = D4, .error = "Content-Length is not a number" },
	{ "a start line that is no request", B("SUBSCRIBE\r\n\r\n"), .conn = D4,
	  .error = "neither a request line" },
	{ "a request from the server side", B(CAP_SUB), .conn = D4, .dir = REPLY,
	  .error = "a request from the server side" },
	{ "a response from the client side", B(CAP_SUB_REPLY), .conn = D4,
	  .error = "a response from the client side" },
	{ "a NUL in a head", B(SUB_CB("<http://192.0.2.10:49200/\0>")), .conn = D4,
	  .error = "a control character" },
	{ "resync: nothing is read in that direction",
	  B(SUB_CB("<http://192.0.2.10:49200/>")), .conn = D4, .resync = true },

	/* Event NOTIFY. */
	{ "an event NOTIFY without SID",
	  B("NOTIFY /event HTTP/1.1\r\nNT: upnp:event\r\nNTS: upnp:propchange\r\n"
	    "Content-Length: 0\r\n\r\n"), .conn = E4, .error = "an event NOTIFY" },
	{ "an event NOTIFY with another NTS",
	  B("NOTIFY /event HTTP/1.1\r\nNT: upnp:event\r\nNTS: ssdp:alive\r\nSID: x\r\n"
	    "Content-Length: 0\r\n\r\n"), .conn = E4, .error = "an event NOTIFY" },
	{ "a 200 without an event NOTIFY asks for nothing", B(CAP_EVENT_REPLY), .conn = E4,
	  .dir = REPLY },
};
// clang-format on

static const struct hv_suite tcp_suite = {
	.helper = &ctalg_helper_ssdp_tcp,
	.conns = tcp_conns,
	.n_conns = sizeof(tcp_conns) / sizeof(tcp_conns[0]),
	.check = ssdp_tcp_req_check,
};

/* A session: what each side sent, segment by segment. */
struct seg {
	enum ctalg_dir dir;
	const char *text;
};

struct session {
	const char *name;
	unsigned int conn;
	struct seg segs[8];
	const char *exp[4];
};

#define EV_OK "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
#define EV_REFUSED \
	"HTTP/1.1 412 Precondition Failed\r\nContent-Length: 0\r\n\r\n"

static const struct session sessions[] = {
	{ "miniupnpd's event NOTIFY, the 200 renews (captured)",
	  E4,
	  { { ORIG, CAP_EVENT }, { REPLY, CAP_EVENT_REPLY } },
	  { EVENT4 } },
	{ "the same over IPv6 (captured)",
	  E6,
	  { { ORIG, CAP_EVENT6 }, { REPLY, CAP_EVENT_REPLY } },
	  { EVENT6 } },
	{ "curl subscribes, miniupnpd accepts (captured)",
	  D4,
	  { { ORIG, CAP_SUB }, { REPLY, CAP_SUB_REPLY } },
	  { EVENT4 } },
	{ "upnpc's SOAP call and its answer (captured)",
	  D4,
	  { { ORIG, CAP_POST }, { REPLY, CAP_POST_REPLY } },
	  { NULL } },
	{ "two events on one connection, two renewals",
	  E4,
	  { { ORIG, CAP_EVENT },
	    { REPLY, EV_OK },
	    { ORIG, CAP_EVENT },
	    { REPLY, EV_OK } },
	  { EVENT4, EVENT4 } },
	{ "a refused event renews nothing",
	  E4,
	  { { ORIG, CAP_EVENT }, { REPLY, EV_REFUSED } },
	  { NULL } },
	{ "100 Continue, then 200: one renewal",
	  E4,
	  { { ORIG, CAP_EVENT }, { REPLY, "HTTP/1.1 100 Continue\r\n\r\n" EV_OK } },
	  { EVENT4 } },
	{ "the answer to a HEAD has no body",
	  E4,
	  { { ORIG, "HEAD / HTTP/1.1\r\n\r\n" },
	    { REPLY, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" },
	    { ORIG, CAP_EVENT },
	    { REPLY, EV_OK } },
	  { EVENT4 } },
	{ "204 and 304 have no body",
	  E4,
	  { { ORIG, CAP_EVENT },
	    { REPLY, "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n" },
	    { ORIG, CAP_EVENT },
	    { REPLY,
	      "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n" },
	    { ORIG, CAP_EVENT },
	    { REPLY, EV_OK } },
	  { EVENT4 } },
	{ "an answer framed to the close, then a SUBSCRIBE",
	  D4,
	  { { ORIG, CAP_GET },
	    { REPLY, "HTTP/1.0 200 OK\r\n\r\n<root>" EV_OK },
	    { ORIG, CAP_SUB } },
	  { EVENT4 } },
	{ "a chunked answer, then a SUBSCRIBE",
	  D4,
	  { { ORIG, CAP_GET },
	    { REPLY, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "6\r\n<root>\r\n0\r\n\r\n" },
	    { ORIG, CAP_SUB },
	    { REPLY, CAP_SUB_REPLY } },
	  { EVENT4 } },
};

static unsigned int session_wants(const struct session *t)
{
	unsigned int n = 0;

	while (n < 4 && t->exp[n])
		n++;
	return n;
}

/* @bytewise: every byte its own segment; else the segments as listed. */
static const char *session_run(const struct session *t, bool bytewise,
			       struct stream *s)
{
	const struct seg *g;
	const char *bad = NULL;
	size_t i, len;

	hv_stream_init(&tcp_suite, s, t->conn);
	for (g = t->segs; g < t->segs + 8 && g->text && !bad; g++) {
		len = strlen(g->text);
		if (!bytewise) {
			bad = stream_feed(s, g->dir, g->text, len, false);
			continue;
		}
		for (i = 0; i < len && !bad; i++)
			bad = stream_feed(s, g->dir, g->text + i, 1, false);
	}
	return bad;
}

static void test_sessions(void)
{
	char text[HV_TEXT];
	size_t i;
	int b;

	for (i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++) {
		const struct session *t = &sessions[i];
		unsigned int n = session_wants(t), k;

		for (b = 0; b < 2; b++) {
			struct stream s;
			const char *bad = session_run(t, b, &s);

			if (!tap_ok(!bad && !s.errors && s.n_exp == n &&
					hv_reqs_are(&s, t->exp, n),
				    "session: %s%s", t->name,
				    b ? ", byte by byte" : "")) {
				tap_diag("%s", bad	  ? bad
					       : s.errors ? s.first_error
							  : "requests:");
				for (k = 0; k < s.n_exp; k++) {
					stream_req_text(&s.exp[k], s.conn.family,
							text, sizeof(text));
					tap_diag("  %s", text);
				}
			}
			stream_free(&s);
		}
	}
}

/*
 * The description upnpc fetched: miniupnpd's head as captured, a body of
 * the captured length (3084 bytes) made of lines that look like
 * messages; nothing in it is read, and the SUBSCRIBE after it counts.
 */
static void test_description(void)
{
	static const char head[] = DESC_HEAD;
	static const char line[] = "HTTP/1.1 200 OK\r\nNOTIFY /e HTTP/1.1\r\n";
	size_t hl = sizeof(head) - 1, len = hl + 3084, i;
	char *reply = malloc(len);
	struct stream s;
	const char *bad;
	int b;

	if (!reply)
		abort();
	memcpy(reply, head, hl);
	for (i = hl; i < len; i++)
		reply[i] = line[(i - hl) % (sizeof(line) - 1)];
	for (b = 0; b < 2; b++) {
		hv_stream_init(&tcp_suite, &s, D4);
		bad = stream_feed(&s, ORIG, CAP_GET, strlen(CAP_GET), false);
		for (i = 0; !bad && i < len; i += b ? 1 : len)
			bad = stream_feed(&s, REPLY, reply + i, b ? 1 : len,
					  false);
		if (!bad)
			bad = stream_feed(&s, ORIG, CAP_SUB, strlen(CAP_SUB),
					  false);
		tap_ok(!bad && !s.errors && s.n_exp == 1 &&
			   hv_reqs_are(&s, (const char *[]){ EVENT4 }, 1),
		       "a 3 KiB description (captured head) is skipped by its "
		       "Content-Length%s",
		       b ? ", byte by byte" : "");
		stream_free(&s);
	}
	free(reply);
}

/*
 * The bounds, built here: a head of 2048 bytes is read and one of 2049
 * refused, over TCP (whole or in any cut) and UDP; 64 fields are read and
 * 65 refused; a LOCATION of 1900 bytes is read (conntrackd's helper
 * copies a field into 256 bytes without checking the packet's end).
 */
static void test_bounds(void)
{
	static const char sub[] = "SUBSCRIBE /e HTTP/1.1\r\nNT: upnp:event\r\n"
				  "CALLBACK: <http://192.0.2.10:49200/>\r\nX: ";
	char *buf = malloc(4096);
	struct hv_vec v = { .conn = D4, .bytes = buf };
	size_t n = sizeof(sub) - 1, i;

	if (!buf)
		abort();
	memcpy(buf, sub, n);
	memset(buf + n, 'a', 2048 - n - 4);
	memcpy(buf + 2044, "\r\n\r\n", 4);
	v.len = 2048;
	v.name = "a SUBSCRIBE head of 2048 bytes";
	v.exp[0] = EVENT4;
	hv_run(&tcp_suite, &v);

	memmove(buf + n + 1, buf + n, 2048 - n);
	v.len = 2049;
	v.name = "a SUBSCRIBE head of 2049 bytes";
	v.exp[0] = NULL;
	v.error = "longer than 2048";
	hv_run(&tcp_suite, &v);

	v.len = 2049 - 4;
	v.name = "an incomplete head of 2045 bytes is carried";
	v.error = NULL;
	v.keep = v.len;
	hv_run(&tcp_suite, &v);

	memcpy(buf,
	       "M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\n"
	       "ST: ssdp:all\r\nX: ",
	       66);
	memset(buf + 66, 'a', 2048 - 66 - 4);
	memcpy(buf + 2044, "\r\n\r\n", 4);
	v = (struct hv_vec){ .name = "an M-SEARCH head of 2048 bytes",
			     .conn = MS4,
			     .bytes = buf,
			     .len = 2048,
			     .exp = { SEARCH4 } };
	hv_run(&udp_suite, &v);
	memmove(buf + 67, buf + 66, 2048 - 66);
	v.len = 2049;
	v.name = "an M-SEARCH head of 2049 bytes";
	v.exp[0] = NULL;
	v.error = "longer than 2048";
	hv_run(&udp_suite, &v);

	/* LOCATION and 63 more fields: 64; then 65. */
	n = (size_t)snprintf(buf, 4096,
			     "HTTP/1.1 200 OK\r\n"
			     "LOCATION: http://192.0.2.20:5000/\r\n");
	for (i = 0; i < 63; i++)
		n += (size_t)snprintf(buf + n, 4096 - n, "X-%zu: %zu\r\n", i, i);
	memcpy(buf + n, "\r\n", 2);
	v = (struct hv_vec){ .name = "an answer of 64 fields",
			     .conn = AN4,
			     .bytes = buf,
			     .len = n + 2,
			     .exp = { LOC4 } };
	hv_run(&udp_suite, &v);
	memcpy(buf + n, "X-more: 1\r\n\r\n", 13);
	v.len = n + 13;
	v.name = "an answer of 65 fields";
	v.exp[0] = NULL;
	v.error = "more than 64 header fields";
	hv_run(&udp_suite, &v);

	n = (size_t)snprintf(
	    buf, 4096, "HTTP/1.1 200 OK\r\nLOCATION: http://192.0.2.20:5000/");
	memset(buf + n, 'p', 1900 - n);
	memcpy(buf + 1900, "\r\n\r\n", 4);
	v = (struct hv_vec){ .name = "reference defect fixed: a LOCATION of "
				     "1900 bytes is read within bounds",
			     .conn = AN4,
			     .bytes = buf,
			     .len = 1904,
			     .exp = { LOC4 } };
	hv_run(&udp_suite, &v);
	free(buf);
}

static void test_definition(void)
{
	const struct ctalg_helper *u = &ctalg_helper_ssdp;
	const struct ctalg_helper *t = &ctalg_helper_ssdp_tcp;

	tap_ok(
	    u->abi == CTALG_HELPER_ABI && !strcmp(u->name, "ssdp") &&
		u->l4proto == IPPROTO_UDP &&
		u->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		u->ports[0] == 1900 && u->ports[1] == 0 && u->min_port == 80 &&
		u->priv_size == 0,
	    "ssdp (UDP): port 1900, IPv4 and IPv6, ports from 80 (LOCATION), "
	    "no state");
	tap_ok(u->n_classes == 2 && !strcmp(u->classes[0].name, "ssdp") &&
		   u->classes[0].max_expected == 8 &&
		   u->classes[0].timeout == 300 &&
		   !strcmp(u->classes[1].name, "ssdp-search") &&
		   u->classes[1].max_expected == 8 && u->classes[1].timeout == 30,
	       "ssdp (UDP): classes \"ssdp\" (8, 300 s, as conntrackd's) and "
	       "\"ssdp-search\" (8, 30 s)");
	tap_ok(t->abi == CTALG_HELPER_ABI && !strcmp(t->name, "ssdp") &&
		   t->l4proto == IPPROTO_TCP && t->families == u->families &&
		   t->ports[0] == 0 && t->min_port == 1024 &&
		   t->n_classes == 1 && !strcmp(t->classes[0].name, "ssdp") &&
		   t->classes[0].max_expected == 8 &&
		   t->classes[0].timeout == 300,
	       "ssdp (TCP): no port of its own, ports from 1024, class "
	       "\"ssdp\" (8, 300 s)");
	tap_ok(t->priv_size <= CTALG_HELPER_PRIV_MAX && t->carry_max == 2048 &&
		   t->carry_max <= CTALG_HELPER_CARRY_MAX,
	       "ssdp (TCP): %u bytes of state, a carry of %u bytes",
	       t->priv_size, t->carry_max);
}

int main(void)
{
	test_definition();
	hv_run_all(&udp_suite, udp_vectors,
		   sizeof(udp_vectors) / sizeof(udp_vectors[0]));
	hv_run_all(&tcp_suite, tcp_vectors,
		   sizeof(tcp_vectors) / sizeof(tcp_vectors[0]));
	test_sessions();
	test_description();
	test_bounds();
	return tap_done();
}
