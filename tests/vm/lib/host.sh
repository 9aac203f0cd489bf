# SPDX-License-Identifier: GPL-2.0-or-later
# The host side of the vm tier, sourced by tests/vm/run (bash): fetch the
# pinned kernels and the guest's programs into the cache, build the
# guest's initramfs, boot it. Functions print what went wrong on stderr
# and return non-zero; VM_SKIP is set when the cause is something this
# machine lacks rather than a fault.

MULTIARCH=x86_64-linux-gnu
VM_CACHE=${CTALG_VM_CACHE:-$VM_DIR/cache}
VM_ROOT=$VM_CACHE/root
VM_DEBS=$VM_CACHE/debs
VM_SKIP=""

# needs FIELD FILE...: the words of every "# vm-FIELD:" line, in order,
# each once.
needs() {
	local field=$1
	shift
	sed -n "s/^# vm-$field:[[:space:]]*//p" "$@" | tr -s ' \t' '\n\n' |
		awk 'NF && !seen[$0]++'
}

# All scenarios and the library together: the base initramfs holds the
# union, so one cached base per kernel serves every scenario.
NEED_FILES=("$VM_DIR/lib/guest.sh" "$VM_DIR"/scenarios/*.sh)

cache_lock() {
	mkdir -p "$VM_CACHE"
	exec 9>"$VM_CACHE/.lock"
	flock 9
}

cache_unlock() {
	exec 9>&-
}

# apt_get ARGS...: apt-get, and once more after `apt-get update` when the
# package lists are missing or stale (a fresh CI machine).
apt_get() {
	if apt-get -q "$@" >"$VM_CACHE/apt.log" 2>&1; then
		return 0
	fi
	if [ "$(id -u)" -eq 0 ] && [ -z "${_apt_updated:-}" ]; then
		_apt_updated=1
		apt-get -qq update >>"$VM_CACHE/apt.log" 2>&1
		apt-get -q "$@" >"$VM_CACHE/apt.log" 2>&1 && return 0
	fi
	return 1
}

# fetch_kernel NAME: the pinned kernel package NAME (a line of
# tests/vm/kernels), downloaded and unpacked once. Sets KPKG, KROOT, KVER,
# VMLINUZ.
fetch_kernel() {
	KPKG=$(awk -v k="$1" '$1 == k { print $2 }' "$VM_DIR/kernels")
	if [ -z "$KPKG" ]; then
		echo "no kernel named $1 in tests/vm/kernels" >&2
		return 1
	fi
	KROOT=$VM_CACHE/kernel/$KPKG
	if [ ! -e "$KROOT/.done" ]; then
		mkdir -p "$VM_CACHE/kernel"
		rm -rf "$KROOT" "$VM_CACHE/kernel/$KPKG"_*.deb
		if ! (cd "$VM_CACHE/kernel" && apt_get download "$KPKG"); then
			VM_SKIP="cannot download $KPKG: $(tail -n 1 "$VM_CACHE/apt.log")"
			return 1
		fi
		dpkg-deb -x "$VM_CACHE/kernel/$KPKG"_*.deb "$KROOT.tmp" &&
			depmod -b "$KROOT.tmp" "$(ls "$KROOT.tmp/lib/modules")" &&
			mv "$KROOT.tmp" "$KROOT" && touch "$KROOT/.done" || return 1
	fi
	KVER=$(ls "$KROOT/lib/modules")
	VMLINUZ=$KROOT/boot/vmlinuz-$KVER
}

# The packages to download: the ones named, and the libraries they depend
# on, recursively, so that every program in the guest resolves its
# libraries from one consistent set instead of whatever this host has.
# glibc stays the host's: its loader and libc must be one build, and ldd
# runs the host's loader.
package_closure() {
	apt-cache depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances "$@" |
		grep -v '^[ <]' | sort -u |
		awk -v named=" $* " 'index(named, " " $0 " ") ||
			($0 ~ /^lib/ && $0 !~ /^libc6$|^libc-|-perl$|^libperl|^libpam-/)'
}

# fetch_packages: every package the scenarios name, with their libraries,
# downloaded once into $VM_DEBS and unpacked (never installed) into
# $VM_ROOT.
fetch_packages() {
	local names key closure missing p
	names=$(needs packages "${NEED_FILES[@]}" | sort)
	key=$(echo "$names" | sha256sum | cut -c1-16)
	mkdir -p "$VM_DEBS"
	closure=$VM_DEBS/closure-$key
	if [ ! -s "$closure" ]; then
		if ! package_closure $names >"$closure.tmp" ||
			[ ! -s "$closure.tmp" ]; then
			apt_get update
			if ! package_closure $names >"$closure.tmp"; then
				VM_SKIP="apt does not know all of:$(printf ' %s' $names)"
				return 1
			fi
		fi
		mv "$closure.tmp" "$closure"
	fi
	missing=""
	for p in $(cat "$closure"); do
		ls "$VM_DEBS/${p}"_*.deb >/dev/null 2>&1 || missing="$missing $p"
	done
	if [ -n "$missing" ] &&
		! (cd "$VM_DEBS" && apt_get download $missing); then
		VM_SKIP="cannot download the guest's packages:$missing ($(tail -n 1 "$VM_CACHE/apt.log"))"
		return 1
	fi
	key=$(printf '%s\n' "$VM_DEBS"/*.deb | sha256sum | cut -c1-16)
	[ "$(cat "$VM_ROOT/.debs" 2>/dev/null)" = "$key" ] && return 0
	rm -rf "$VM_ROOT" "$VM_ROOT.tmp"
	mkdir -p "$VM_ROOT.tmp"
	for p in "$VM_DEBS"/*.deb; do
		dpkg-deb -x "$p" "$VM_ROOT.tmp" || return 1
	done
	echo "$key" >"$VM_ROOT.tmp/.debs"
	mv "$VM_ROOT.tmp" "$VM_ROOT"
}

# guest_path PATH: where PATH lives in the guest, whose /bin, /sbin, /lib
# and /lib64 are links into /usr (Debian 12 packages still ship files in
# both places).
guest_path() {
	case $1 in
	/bin/* | /sbin/* | /lib/* | /lib64/*) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# put SRC GUESTPATH: copy a file into the stage, following links.
put() {
	mkdir -p "$STAGE$(dirname "$2")" && cp -L --preserve=mode "$1" "$STAGE$2"
}

# root_find NAME: the path in $VM_ROOT of a program NAME or absolute path.
root_find() {
	local d
	case $1 in
	/*)
		[ -e "$VM_ROOT$1" ] && echo "$1" && return 0
		;;
	*)
		for d in /usr/sbin /usr/bin /sbin /bin; do
			[ -e "$VM_ROOT$d/$1" ] && echo "$d/$1" && return 0
		done
		;;
	esac
	echo "$1: not found in the guest's packages ($VM_ROOT)" >&2
	return 1
}

# put_libraries FILE...: copy the shared libraries the ELF files need,
# resolved by ldd against the package root first. Libraries of the
# project's build go to /usr/local/lib/$MULTIARCH. Static programs make
# ldd fail: that is not an error here (vm_testing.md trap 18).
put_libraries() {
	local out lib dest
	[ $# -gt 0 ] || return 0
	out=$(LD_LIBRARY_PATH=$VM_ROOT/usr/lib/$MULTIARCH:$VM_ROOT/lib/$MULTIARCH \
		ldd "$@" 2>&1) || true
	if echo "$out" | grep -q 'not found'; then
		echo "libraries not found:" >&2
		echo "$out" | grep -e ':$' -e 'not found' >&2
		return 1
	fi
	for lib in $(echo "$out" | sed -n -e 's/.*=> \(\/[^ ]*\) (0x.*/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u); do
		case $lib in
		"$VM_ROOT"/*) dest=$(guest_path "${lib#"$VM_ROOT"}") ;;
		"${BUILDDIR:-/nonexistent}"/*) dest=/usr/local/lib/$MULTIARCH/${lib##*/} ;;
		*) dest=$(guest_path "$lib") ;;
		esac
		if [ -n "${BASE_LIST:-}" ] && grep -qxF ".$dest" "$BASE_LIST"; then
			continue
		fi
		[ -e "$STAGE$dest" ] || put "$lib" "$dest" || return 1
	done
}

# module_paths NAME...: the files of the modules and of their
# dependencies, in load order, relative to $KROOT. A name ending in "?" is
# optional: some modules are built into one kernel and absent from the
# other (nft_objref).
module_paths() {
	local m opt out
	for m in "$@"; do
		opt=""
		case $m in *\?) opt=1 m=${m%\?} ;; esac
		if ! out=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>&1); then
			[ -n "$opt" ] && continue
			echo "kernel $KVER: module $m: $out" >&2
			return 1
		fi
		echo "$out" | sed -n "s|^insmod $KROOT\([^ ]*\).*|\1|p"
	done | awk '!seen[$0]++'
}

# The guest's view of a module file: busybox's insmod loads plain .ko
# only, so the 6.12 kernel's .ko.xz are decompressed.
module_guest_path() {
	echo "/usr${1%.xz}"
}

_write_etc() {
	mkdir -p "$STAGE/etc"
	cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
ftp:x:100:101:ftp:/srv/ftp:/usr/sbin/nologin
tftp:x:101:102:tftp:/srv/tftp:/usr/sbin/nologin
_rpc:x:102:65534::/run/rpcbind:/usr/sbin/nologin
tcpdump:x:103:104::/nonexistent:/usr/sbin/nologin
EOF
	cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
ftp:x:101:
tftp:x:102:
tcpdump:x:104:
nogroup:x:65534:
EOF
	cat >"$STAGE/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
shadow: files
hosts: files
networks: files
protocols: files
services: files
rpc: files
EOF
	cat >"$STAGE/etc/hosts" <<'EOF'
127.0.0.1	localhost
::1	localhost
10.0.1.2	client
10.0.2.2	server
fd00:1::2	client
fd00:2::2	server
EOF
}

# build_base NAME: the kernel's base initramfs: busybox, every program,
# file and module that any scenario or the library names, with their
# libraries. Cached by a hash of those inputs; sets BASE and BASE_LIST.
build_base() {
	local programs files modules key f p m lst elf
	programs=$(needs programs "${NEED_FILES[@]}")
	files=$(needs files "${NEED_FILES[@]}")
	modules="$(needs modules "${NEED_FILES[@]}")
		$(needs modules-later "${NEED_FILES[@]}")"
	key=$({
		echo "$KPKG $KVER"
		printf '%s\n' "$VM_DEBS"/*.deb
		echo "$programs $files $modules"
		cat "$VM_DIR/lib/host.sh"
	} | sha256sum | cut -c1-16)
	mkdir -p "$VM_CACHE/base"
	BASE=$VM_CACHE/base/$1-$key.cpio.gz
	BASE_LIST=$VM_CACHE/base/$1-$key.list
	[ -s "$BASE" ] && [ -s "$BASE_LIST" ] && return 0

	STAGE=$VM_CACHE/base/stage-$1
	rm -rf "$STAGE" "$VM_CACHE/base/$1"-*
	mkdir -p "$STAGE"/usr/bin "$STAGE"/usr/sbin "$STAGE"/usr/lib/busybox \
		"$STAGE"/usr/lib64 "$STAGE"/proc "$STAGE"/sys "$STAGE"/dev \
		"$STAGE"/tmp "$STAGE"/run "$STAGE"/root "$STAGE"/srv \
		"$STAGE"/var/log "$STAGE"/vm
	for d in bin sbin lib lib64; do
		ln -s usr/$d "$STAGE/$d"
	done
	ln -s ../run "$STAGE/var/run"
	ln -s ../run/lock "$STAGE/var/lock"
	ln -s ../tmp "$STAGE/var/tmp"
	_write_etc

	# busybox: applet links in their own folder, last on the guest's
	# PATH, so a real program of the same name always wins when exec'd.
	put "$VM_ROOT/bin/busybox" /usr/bin/busybox || return 1
	for p in $("$VM_ROOT/bin/busybox" --list); do
		[ "$p" = busybox ] && continue
		ln -s /usr/bin/busybox "$STAGE/usr/lib/busybox/$p"
	done
	ln -s busybox "$STAGE/usr/bin/sh"

	elf=""
	for p in $programs; do
		f=$(root_find "$p") || return 1
		put "$VM_ROOT$f" "$(guest_path "$f")" || return 1
		elf="$elf $VM_ROOT$f"
	done
	for f in $files; do
		root_find "$f" >/dev/null || return 1
		mkdir -p "$STAGE$(dirname "$(guest_path "$f")")"
		cp -RL --preserve=mode "$VM_ROOT$f" "$STAGE$(guest_path "$f")" ||
			return 1
	done
	# Plugins and other libraries among the files need their libraries
	# too. (The xtables extensions need only libxtables and libc, which
	# xtables-legacy-multi already brings: ldd on each of them would
	# make the build several seconds slower.)
	for f in $(cd "$STAGE" && find . -name '*.so' -type f \
		! -path "./usr/lib/$MULTIARCH/xtables/*"); do
		elf="$elf $STAGE/${f#./}"
	done
	BASE_LIST="" put_libraries $elf || return 1

	for m in $(module_paths $modules); do
		mkdir -p "$STAGE$(dirname "$(module_guest_path "$m")")"
		case $m in
		*.xz) xz -dc "$KROOT$m" >"$STAGE$(module_guest_path "$m")" ;;
		*) cp "$KROOT$m" "$STAGE$(module_guest_path "$m")" ;;
		esac || return 1
	done

	lst=$BASE_LIST.tmp
	(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort >"$lst" &&
		cpio -o -H newc -R 0:0 --quiet <"$lst" | gzip -1) \
		>"$BASE.tmp" || return 1
	mv "$lst" "$BASE_LIST"
	mv "$BASE.tmp" "$BASE"
	rm -rf "$STAGE"
}

# build_outputs: "FILE GUESTPATH" for each program and library the
# project's build made: installed targets at their install path (under
# /usr/local), and the tools of tests/vm in /usr/local/bin.
build_outputs() {
	local intro=${BUILDDIR:-}/meson-info/intro-targets.json
	[ -n "${BUILDDIR:-}" ] && [ -e "$intro" ] || return 0
	python3 - "$intro" "$VM_DIR" <<'EOF'
import json, os, sys
targets = json.load(open(sys.argv[1]))
vm_dir = os.path.realpath(sys.argv[2])
for t in targets:
    if t['type'] not in ('executable', 'shared library', 'shared module'):
        continue
    for i, f in enumerate(t['filename']):
        if not os.path.exists(f):
            continue
        if t.get('installed') and t.get('install_filename'):
            print(f, t['install_filename'][i])
        elif os.path.dirname(os.path.realpath(t['defined_in'])) == vm_dir:
            print(f, '/usr/local/bin/' + os.path.basename(f))
EOF
}

# build_run WORK SCENARIO KERNEL: the per-run archive, appended to the
# base (the kernel unpacks concatenated archives in order): init, the
# library, the scenario, its module list, and the project's build outputs
# with their libraries. Writes WORK/initrd.
build_run() {
	local work=$1 scenario=$2 kname=$3 f dest elf="" m
	STAGE=$work/stage
	rm -rf "$STAGE"
	mkdir -p "$STAGE/vm"
	install -m 755 "$VM_DIR/lib/init" "$STAGE/init"
	cp "$VM_DIR/lib/guest.sh" "$STAGE/vm/guest.sh"
	cp "$scenario" "$STAGE/vm/scenario.sh"
	for m in $(module_paths $(needs modules "$VM_DIR/lib/guest.sh" \
		"$scenario")); do
		module_guest_path "$m"
	done >"$STAGE/vm/modules" || return 1
	# Modules the scenario loads itself, when it chooses (load_module):
	# "NAME FILE" for the module and its dependencies, in load order.
	for m in $(needs modules-later "$scenario"); do
		for f in $(module_paths "$m"); do
			echo "${m%\?} $(module_guest_path "$f")"
		done
	done >"$STAGE/vm/modules.later" || return 1
	{
		echo "VM_KERNEL=$kname"
		echo "VM_SCENARIO=$(basename "$scenario" .sh)"
		echo "CTALG_VM_NOHELPER=${CTALG_VM_NOHELPER:-0}"
		echo "CTALG_VM_TRACE=${CTALG_VM_TRACE:-0}"
		# Settings for the scenario (bench/run passes its own): one
		# NAME=VALUE a line, the value kept whole (quoted for the
		# guest's shell, which sources this file).
		printf '%s\n' "${CTALG_VM_ENV:-}" |
			sed -n "/^[A-Za-z_][A-Za-z0-9_]*=/{s/'/'\\\\''/g;s/=/='/;s/\$/'/;p}"
	} >"$STAGE/vm/env"
	while read -r f dest; do
		put "$f" "$dest" || return 1
		elf="$elf $f"
	done <<EOF
$(build_outputs)
EOF
	put_libraries $elf || return 1
	(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$work/run.cpio.gz" &&
		cat "$BASE" "$work/run.cpio.gz" >"$work/initrd"
}

# boot WORK SECONDS: boot the kernel with WORK/initrd; the serial console
# goes to WORK/console.log. No network device exists in the guest (-nic
# none): nothing it does can reach another machine. Plain emulation
# unless CTALG_VM_ACCEL says otherwise: a /dev/kvm that opens is no
# promise that KVM works (nested virtualisation here stops the guest
# with "KVM internal error" at its first cmpxchg16b).
boot() {
	timeout -k 5 "$2" qemu-system-x86_64 \
		-machine "accel=${CTALG_VM_ACCEL:-tcg}" -cpu "${CTALG_VM_CPU:-qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt}" \
		-m "${CTALG_VM_MEM:-768}" -smp "${CTALG_VM_SMP:-1}" ${CTALG_VM_QEMU_ARGS:-} -nodefaults -no-user-config -display none \
		-serial stdio -no-reboot -nic none -kernel "$VMLINUZ" \
		-initrd "$1/initrd" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/init" \
		</dev/null >"$1/console.log" 2>"$1/qemu.err"
}
