#!/bin/sh
# test-fresh.sh - `make run` and `make test` on a fresh Debian 12.
# usage: scripts/test-fresh.sh [TARGETS...]     (default: run test)
# A minimal bookworm (mmdebstrap --variant=minbase, plus make and git)
# is built once from this machine's Debian mirror and cached as
# build/fresh/base.tar; every run unpacks a new copy, clones this
# repository's HEAD into it (and ../shared beside it, read-only as in CI),
# and runs `make TARGET` for each target as root with CI=true, inside
# private mount, IPC, PID and UTS namespaces: its own /proc, /dev,
# /dev/pts, /dev/shm and /dev/mqueue, the host's network for apt.
# Downloaded .debs are kept in build/fresh/debs between runs (the install
# itself is done anew each time). Needs root; not part of CI.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)
targets=${*:-run test}
cache=$repo/build/fresh
base=$cache/base.tar

[ "$(id -u)" = 0 ] || { echo "test-fresh: needs root" >&2; exit 1; }
sh scripts/need.sh mmdebstrap:mmdebstrap unshare:util-linux git:git
mkdir -p "$cache/debs"

# The Debian sources this machine's apt uses: "URI SUITE COMPONENT" lines.
sources() {
    apt-get indextargets --format '$(ORIGIN)|$(SITE) $(RELEASE) $(COMPONENT)' \
        'Identifier: Packages' | sed -n 's/^Debian|//p' | sort -u
}
make_base() {
    src=$(sources | grep -E ' bookworm(-updates|-security)? ' \
        | sed 's/^/deb /' | tr '\n' '\t')
    [ -n "$src" ] || src="deb http://deb.debian.org/debian bookworm main"
    echo "test-fresh: building the base system from:" >&2
    printf '%s' "$src" | tr '\t' '\n' | sed 's/^/  /' >&2
    rm -f "$base.tmp"
    printf '%s' "$src" | tr '\t' '\n' | mmdebstrap --quiet --variant=minbase \
        --include=make,git,ca-certificates --format=tar bookworm "$base.tmp" -
    mv "$base.tmp" "$base"
}
[ -f "$base" ] || make_base

[ -z "$(git status --porcelain --untracked-files=no)" ] ||
    echo "test-fresh: note: uncommitted changes are not tested" \
         "(the copy is a clone of HEAD $(git rev-parse --short HEAD))" >&2
root=$(mktemp -d "$cache/root.XXXXXX")
cleanup() {
    # the namespace's mounts went with it; never cross into another fs
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
tar -C "$root" -xf "$base"
mkdir -p "$root/work"
git clone -q --no-hardlinks "$repo" "$root/work/pardemo"
git -C "$root/work/pardemo" checkout -q --detach "$(git rev-parse HEAD)"
if [ -d ../shared ]; then
    cp -a ../shared "$root/work/shared"
    chmod -R a-w "$root/work/shared"
fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

# Inside the namespaces: mount the private /proc, /dev and friends, then
# chroot and run the targets with a clean environment.
inner='
set -eu
r=$1; shift
# the root a mount point, as on a real machine (unshare -m needs it)
mount --bind "$r" "$r"
mount -t proc proc "$r/proc"
mount -t tmpfs -o mode=755,nosuid tmpfs "$r/dev"
for d in null zero full random urandom tty; do
    touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"
done
ln -s /proc/self/fd "$r/dev/fd"
ln -s /proc/self/fd/0 "$r/dev/stdin"
ln -s /proc/self/fd/1 "$r/dev/stdout"
ln -s /proc/self/fd/2 "$r/dev/stderr"
mkdir "$r/dev/pts" "$r/dev/shm" "$r/dev/mqueue"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$r/dev/pts"
ln -s pts/ptmx "$r/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/dev/shm"
mount -t mqueue mqueue "$r/dev/mqueue"
mount -t sysfs -o ro sysfs "$r/sys" 2>/dev/null ||
    mount --rbind -o ro /sys "$r/sys"
mount --bind "$DEBS" "$r/var/cache/apt/archives"
exec chroot "$r" env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
    sh -c "cd /work/pardemo && for t in \$0 \"\$@\"; do
        echo \"== test-fresh: make \$t ==\"; make \"\$t\" || exit; done
    left=\$(ls -A /tmp | grep pardemo || true)
    [ -z \"\$left\" ] || { echo \"test-fresh: left in /tmp: \$left\"; exit 1; }" \
    "$@"
'
start=$(date +%s)
status=0
DEBS="$cache/debs" unshare --mount --ipc --pid --uts --fork --kill-child \
    --propagation private sh -c "$inner" sh "$root" $targets || status=$?
secs=$(( $(date +%s) - start ))
if [ "$status" = 0 ]; then
    echo "test-fresh: PASS: make $targets on a fresh Debian 12 in ${secs} s"
else
    echo "test-fresh: FAIL (exit $status): make $targets on a fresh" \
         "Debian 12, after ${secs} s" >&2
fi
exit "$status"
