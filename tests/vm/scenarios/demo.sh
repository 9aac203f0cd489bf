# SPDX-License-Identifier: GPL-2.0-or-later
# The demo (scripts/demo): ctalg doing its job, told step by step. A client,
# a firewall whose forward policy is drop and that admits only what a
# helper expects, and an FTP server; ctalgd on the firewall; a real FTP
# download that succeeds, and the expectation that made it work, shown with
# `ctalg expect watch` and `ctalg status`. Then the same download with the
# helper detached, which the firewall stops. Not part of the test suite:
# scripts/demo runs it in the vm tier's guest, or in network namespaces on
# a kernel that has user-space helpers.
# vm-packages: vsftpd curl
# vm-programs: vsftpd curl

say() {
	diag ""
	diag "$*"
}

say "1. Three network namespaces: client $CLIENT4 / $CLIENT6, firewall," \
	"server $SERVER4 / $SERVER6."
net_setup || return 1

vsftpd_start
head -c 1048576 /dev/urandom >/srv/ftp/file.bin

say "2. ctalgd on the firewall, with the ftp helper for IPv4 and IPv6:"
ctalgd_start "ftp inet tcp" "ftp inet6 tcp" || return 1
diag "$(cat /tmp/vm/ctalgd.conf)"
diag "ctalg helper list:"
diag "$(ctalg helper list)"

say "3. The firewall: forward policy drop; new connections only to port 21," \
	"which get the helper; established and related ones pass."
check "nft ruleset loaded on the firewall" router_rules nft tcp/21=ftp
diag "$(in_ns router nft list ruleset)"

say "4. ctalg expect watch on the firewall, then downloads through it:"
spawn watch router ctalg expect watch
sleep 1
# download WHAT HOST CURL_OPTIONS...: one download, checked.
download() {
	_what=$1
	_host=$2
	shift 2
	rm -f /tmp/vm/got.bin
	check "$_what: curl downloads ftp://$_host/file.bin through the firewall" \
		in_ns client curl -sS --max-time 20 "$@" -o /tmp/vm/got.bin \
		"ftp://$_host/file.bin"
	check "$_what: the file arrives intact" cmp /srv/ftp/file.bin /tmp/vm/got.bin
}
download "passive, IPv4" "$SERVER4" --disable-epsv
download "extended passive, IPv6" "[$SERVER6]"
download "active, IPv4" "$SERVER4" --disable-eprt -P "$CLIENT4"
sleep 1
stop watch
say "The expectations ctalgd made, as ctalg expect watch showed them" \
	"(NEW when made, DESTROY when the data connection used them):"
diag "$(cat "$VM_LOG/watch.log")"

say "5. ctalg status:"
diag "$(ctalg status socket "$CTALGD_SOCK")"

say "6. The same download with the helper detached from port 21:"
check "ruleset without the helper" router_rules nft tcp/21
check_fails "passive IPv4 without the helper: the firewall drops the data connection" \
	in_ns client curl -sS --max-time 8 --disable-epsv -o /tmp/vm/got.bin \
	"ftp://$SERVER4/file.bin"
say "Without the expectation the data connection is new, not related, and" \
	"the firewall's policy drops it."
ctalgd_stop
# It leaves its helpers registered and disabled; nothing names them now.
ctalg helper delete ftp >/dev/null 2>&1
