#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Boots the stack of build-stack.sh in qemu-system-aarch64 (TrustZone: secure=on), runs a
# list of cases in the normal-world guest and prints a pass/fail table.
#
#   run-guest.sh --stack OUT --cases FILE [--add HOST:GUEST]... [--work DIR]
#                [--timeout SECONDS] [--case-timeout SECONDS]
#
# FILE: one case per line, `NAME|shell command` (busybox sh in the guest; `#` comments).
# A case passes when its command exits 0 within --case-timeout (default 120 s); a line
# "@@TZM-KNOWN NAME TEXT" it prints (a failure it saw that is not tzmediator's, e.g.
# OP-TEE's) is counted in its row and listed after the table. --add
# copies a host file or directory into the guest's root file system (TAs go to
# /lib/optee_armtz/, programs anywhere, e.g. /usr/bin/). The whole boot is bounded by
# --timeout (default 900 s). Exit status: 0 when every case passed, 1 otherwise.
#
# Guest: Debian's arm64 kernel (its tee.ko and optee.ko), busybox-static, the cross
# toolchain's arm64 glibc, tee-supplicant and libteec from OUT/optee_client/export. The
# two Debian packages are fetched once with `apt-get download` into OUT/debs (the host
# must have the arm64 architecture enabled: dpkg --add-architecture arm64).
# Logs: WORK/console.log (normal world), WORK/console.secure.log (OP-TEE's console).
set -euo pipefail

usage() {
	echo "usage: $0 --stack OUT --cases FILE [--add HOST:GUEST]... [--work DIR]" \
		"[--timeout S] [--case-timeout S]" >&2
	exit 64
}

stack= cases= work= timeout_s=900 case_timeout=120
adds=()
while [ $# -gt 0 ]; do
	case $1 in
	--stack) stack=$2; shift 2 ;;
	--cases) cases=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--work) work=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--case-timeout) case_timeout=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$stack" ] && [ -n "$cases" ] || usage
stack=$(cd "$stack" && pwd)
for f in fw/bl1.bin fw/bl32.bin fw/bl33.bin optee_client/export/sbin/tee-supplicant; do
	[ -e "$stack/$f" ] || { echo "$0: $stack/$f missing: run build-stack.sh" >&2; exit 66; }
done
[ -r "$cases" ] || { echo "$0: cannot read $cases" >&2; exit 66; }
[ -n "$work" ] || work=$stack/run
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# ---- Debian's arm64 kernel and busybox (download once, extract only) ----
debs=$stack/debs
mkdir -p "$debs"
if ! ls "$debs"/busybox-static_*_arm64.deb >/dev/null 2>&1; then
	(cd "$debs" && apt-get download busybox-static:arm64)
fi
if ! ls "$debs"/linux-image-*-arm64-unsigned_*_arm64.deb >/dev/null 2>&1; then
	kpkg=$(apt-cache depends linux-image-arm64:arm64 |
		grep -o 'linux-image-[0-9][0-9.]*-[0-9]*-arm64' | head -1)
	[ -n "$kpkg" ] || { echo "$0: no arm64 kernel package known to apt" >&2; exit 69; }
	(cd "$debs" && apt-get download "$kpkg-unsigned:arm64")
fi
x=$work/x
mkdir -p "$x"
dpkg-deb -x "$(ls "$debs"/busybox-static_*_arm64.deb | tail -1)" "$x"
dpkg-deb -x "$(ls "$debs"/linux-image-*-arm64-unsigned_*_arm64.deb | tail -1)" "$x"
kimage=$(ls "$x"/boot/vmlinuz-* | tail -1)

# ---- root file system ----
root=$work/rootfs
mkdir -p "$root"/{bin,sbin,lib,usr/bin,proc,sys,dev,tmp,var/lib/tee,lib/optee_armtz,etc}
cp "$x/bin/busybox" "$root/bin/busybox"
for m in tee optee; do
	ko=$(find "$x/lib/modules" -path "*/drivers/tee/*" -name "$m.ko*" | head -1)
	[ -n "$ko" ] || { echo "$0: $m.ko not in the kernel package" >&2; exit 69; }
	case $ko in
	*.xz) xz -dc "$ko" >"$root/lib/$m.ko" ;;
	*.zst) zstd -qdc "$ko" >"$root/lib/$m.ko" ;;
	*) cp "$ko" "$root/lib/$m.ko" ;;
	esac
done
# glibc for dynamically linked programs (tee-supplicant, anything built with the cross gcc)
cp -a /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 /usr/aarch64-linux-gnu/lib/lib*.so* \
	"$root/lib/" 2>/dev/null || true
# libteec.so only when optee_client was built shared (tzm-run links libteec.a)
cp -a "$stack"/optee_client/export/lib/libteec.so* "$root/lib/" 2>/dev/null || true
cp "$stack/optee_client/export/sbin/tee-supplicant" "$root/sbin/"
for a in "${adds[@]}"; do
	src=${a%%:*} dst=${a#*:}
	[ -e "$src" ] || { echo "$0: --add $src: no such file" >&2; exit 66; }
	mkdir -p "$root$(dirname "$dst")"
	cp -a "$src" "$root$dst"
done
grep -v '^[[:space:]]*\(#\|$\)' "$cases" >"$root/cases"

cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
ip link set lo up
insmod /lib/tee.ko && insmod /lib/optee.ko
tee-supplicant >/tmp/tee-supplicant.log 2>&1 &
i=0
while [ ! -e /dev/tee0 ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
echo "@@TZM-BOOTED tee0=\$(ls /dev/tee0 2>/dev/null)"
while IFS='|' read -r name cmd; do
	echo "@@TZM-CASE-START \$name"
	timeout $case_timeout sh -c "\$cmd" </dev/null
	echo "@@TZM-CASE-END \$name rc=\$?"
done </cases
echo "@@TZM-DONE"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/rootfs.cpio.gz"

# ---- boot (firmware is loaded by semihosting from the current directory) ----
cp "$stack"/fw/*.bin "$work/"
cp "$kimage" "$work/Image"
cd "$work"
start=$(date +%s)
set +e
timeout "$timeout_s" qemu-system-aarch64 -nographic -smp 2 -m 1024 \
	-cpu max,pauth-impdef=on \
	-machine virt,acpi=off,secure=on,gic-version=2,virtualization=false \
	-d unimp -semihosting-config enable=on,target=native \
	-bios bl1.bin -kernel Image -initrd rootfs.cpio.gz \
	-append 'console=ttyAMA0,115200 rdinit=/init quiet' \
	-nic none -serial file:console.log -serial file:console.secure.log \
	-monitor none </dev/null >qemu.log 2>&1
qrc=$?
set -e
elapsed=$(($(date +%s) - start))

# ---- table ----
tr -d '\r' <console.log >console.txt
fails=0
printf '%-28s %s\n' CASE RESULT
while IFS='|' read -r name _; do
	end=$(grep -a "^@@TZM-CASE-END $name rc=" console.txt | tail -1 || true)
	if [ -z "$end" ]; then
		res="FAIL (no result)"
	elif [ "${end##*rc=}" = 0 ]; then
		res=PASS
	else
		res="FAIL (exit ${end##*rc=})"
	fi
	[ "$res" = PASS ] || fails=$((fails + 1))
	known=$(grep -ac "^@@TZM-KNOWN $name " console.txt || true)
	[ "$known" -gt 0 ] && res="$res, $known known issue(s) not ours (below)"
	printf '%-28s %s\n' "$name" "$res"
done <"$root/cases"
# a case's "@@TZM-KNOWN NAME TEXT" lines: what it saw fail that is not tzmediator's
grep -a '^@@TZM-KNOWN ' console.txt | sed 's/^@@TZM-KNOWN /known: /' || true
if ! grep -aq '^@@TZM-DONE' console.txt; then
	echo "guest did not finish (qemu exit $qrc)"
	# QEMU's own complaint (a missing firmware file, a bad option) is the likely cause
	# when the console is empty.
	[ -s console.txt ] || sed 's/^/qemu: /' qemu.log
	fails=$((fails + 1))
fi
echo "boot + cases: ${elapsed}s wall; logs: $work/console.txt, $work/console.secure.log"
[ "$fails" -eq 0 ]
