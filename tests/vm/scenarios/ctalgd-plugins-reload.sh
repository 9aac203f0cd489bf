# SPDX-License-Identifier: GPL-2.0-or-later
# ctalgd with helpers from plugins, and reloads:
# - the ferry example (examples/ferry, a made-up file protocol) loaded from
#   the HelperDirectory opens its data connection through the policy-drop
#   router, IPv4 and IPv6;
# - vm-multi, a plugin with two expectation classes, is registered with
#   both classes' policies as configured;
# - SIGHUP with a broken file: the error names file and line, and the
#   running configuration stays (ferry still works);
# - SIGHUP with new policies: ferry keeps working on its kept queue; 6.12
#   holds both classes' new values, while 6.1 copies the first class's
#   values into every class on an update, which ctalgd detects and says;
# - deleting an unrelated helper: on 6.1 that hides the helper of every
#   iptables CT template (new connections get none until the rules are
#   loaded again); 6.12 is not affected. Both are pinned here, as the
#   README's kernel notes say.
# vm-packages: socat
# vm-programs: socat

net_setup || return 1
mkdir -p /srv
head -c 100000 /dev/urandom >/srv/data.bin
cat >/tmp/vm/ferryd.sh <<'EOF'
#!/bin/sh
read -r _cmd _name
socat -u FILE:/srv/data.bin TCP6-LISTEN:40123,reuseaddr,ipv6only=0 &
sleep 0.5
printf 'FERRY 40123\r\n'
sleep 3
EOF
chmod +x /tmp/vm/ferryd.sh
spawn ferryd server socat TCP6-LISTEN:7070,reuseaddr,fork,ipv6only=0 \
	EXEC:/tmp/vm/ferryd.sh
check "the ferry server listens on port 7070" wait_port server tcp 7070

# config DATA_MAX DATA_TIMEOUT INDEX_MAX INDEX_TIMEOUT [BROKEN]
# (GENERAL: more General options, on the same line, so that the
# broken file's line stays 13)
config() {
	cat >/tmp/vm/ctalgd.conf <<EOF
General {
	LogFile $VM_LOG/ctalgd.log
	UNIX { Path $CTALGD_SOCK }
	HelperDirectory /usr/local/bin ${GENERAL:-}
}
Helper {
	Type ferry inet tcp { QueueNum 0 }
	Type ferry inet6 tcp { QueueNum 0 }
	Type multi inet udp {
		QueueNum 0
		Policy data { ExpectMax $1 ExpectTimeout $2 }
		Policy index { ExpectMax $3 ExpectTimeout $4 }
		${5:-}
	}
}
EOF
}

config 3 100 2 50
listed=$(ctalgd -L -C /tmp/vm/ctalgd.conf 2>/dev/null)
check "ctalgd -L lists the plugins' helpers with their files" sh -c "
	echo '$listed' | grep -q '^ferry .*\[/usr/local/bin/ferry.so\]' &&
	echo '$listed' | grep -q '^multi .*udp.*data(max 3, 100s),index(max 2, 50s)'"
spawn ctalgd router ctalgd -C /tmp/vm/ctalgd.conf
check "ctalgd binds queue 0" wait_for 10 queue_bound 0
check "ruleset attaching ferry to tcp/7070" router_rules iptables tcp/7070=ferry

# policies CLASS0 CLASS1: the kernel's policies of multi, as "max/timeout".
policies() {
	ctalg -o json helper get multi inet udp | tr '{' '\n' |
		sed -n 's/.*"max_expected":\([0-9]*\),"timeout":\([0-9]*\).*/\1\/\2/p' |
		tr '\n' ' '
}
check_eq "multi: the kernel holds both classes' policies" "$(policies)" \
	"3/100 2/50 "

# fetch HOST: the ferry exchange, then the data over the expected
# connection.
fetch() {
	rm -f /tmp/vm/got.bin
	(printf 'FETCH data\r\n'; sleep 2) |
		in_ns client socat - "TCP:$1:7070" >/tmp/vm/ferry.reply &
	wait_for 10 grep -q FERRY /tmp/vm/ferry.reply || return 1
	in_ns client socat -u "TCP:$1:40123,connect-timeout=5" \
		OPEN:/tmp/vm/got.bin,creat,trunc &&
		cmp /srv/data.bin /tmp/vm/got.bin
}
check "ferry: the file comes over the expected connection (IPv4)" \
	fetch "$SERVER4"
check "ferry: the file comes over the expected connection (IPv6)" \
	fetch "[$SERVER6]"

# A broken file: refused with file and line, the running one stays.
config 3 100 2 50 "ExpectBogus 1"
kill -HUP "$(pidof ctalgd)"
check "SIGHUP, broken file: the error names file and line" \
	wait_for 10 grep -q \
	'reload: /tmp/vm/ctalgd.conf:13: unknown keyword ExpectBogus in Type block; the running configuration is kept' \
	"$VM_LOG/ctalgd.log"
check "SIGHUP, broken file: ferry still works" fetch "$SERVER4"
check_eq "SIGHUP, broken file: multi's policies are unchanged" "$(policies)" \
	"3/100 2/50 "

# New policies.
config 5 120 4 60
kill -HUP "$(pidof ctalgd)"
check "SIGHUP, new policies: reloaded" \
	wait_for 10 grep -q 'reloaded: 3 helpers on 1 queues' "$VM_LOG/ctalgd.log"
if [ "$VM_KERNEL" = 6.1 ]; then
	check_eq "SIGHUP, new policies, 6.1: the first class's values in every class" \
		"$(policies)" "5/120 5/120 "
	check "SIGHUP, new policies, 6.1: ctalgd says the kernel changed them" \
		grep -q 'helper multi: the kernel changed the expectation policies on this update' \
		"$VM_LOG/ctalgd.log"
else
	check_eq "SIGHUP, new policies: the kernel holds both classes' new values" \
		"$(policies)" "5/120 4/60 "
fi
check "SIGHUP, new policies: ferry still works (IPv6)" fetch "[$SERVER6]"

# ExpectEvents off, then on again, by reloads: the expectations are made
# either way; only while it is on are the kernel's events counted.
events() {
	ctalg -o json status socket "$CTALGD_SOCK" |
		sed -n 's/.*"events":\([0-9]*\).*/\1/p'
}
reloads() {
	[ "$(grep -c 'reloaded: 3 helpers' "$VM_LOG/ctalgd.log")" -ge "$1" ]
}
ev0=$(events)
GENERAL="ExpectEvents off" config 5 120 4 60
kill -HUP "$(pidof ctalgd)"
check "SIGHUP, ExpectEvents off: reloaded" wait_for 10 reloads 2
check "ExpectEvents off: ctalg status says the events are off" sh -c \
	"ctalg status socket $CTALGD_SOCK | grep -q '^expectation events off'"
check "ExpectEvents off: ferry still works" fetch "$SERVER4"
check_eq "ExpectEvents off: no event counted" "$(events)" "$ev0"
config 5 120 4 60
kill -HUP "$(pidof ctalgd)"
check "SIGHUP, ExpectEvents on again: reloaded" wait_for 10 reloads 3
events_above() {
	[ "$(events)" -gt "$1" ]
}
counted() {
	fetch "$SERVER4" && wait_for 5 events_above "$ev0"
}
check "ExpectEvents on again: ferry works and its expectation is counted" \
	counted
check "SIGHUP: ctalgd still runs, no error but the broken file's" sh -c \
	"pidof ctalgd >/dev/null &&
	! grep ' error: ' $VM_LOG/ctalgd.log | grep -qv ExpectBogus"

# Deleting a helper no rule names (multi).
check "ctalg helper delete multi inet udp" ctalg helper delete multi inet udp
if [ "$VM_KERNEL" = 6.1 ]; then
	check_fails "6.1, after deleting another helper: the CT templates lost ferry" \
		fetch "$SERVER4"
	check "6.1: the same rules loaded again" \
		router_rules iptables tcp/7070=ferry
	check "6.1: with the rules loaded again ferry works" fetch "$SERVER4"
else
	check "after deleting another helper: ferry still works" fetch "$SERVER4"
fi
