#!/bin/sh
# mkdeb.sh - the Debian package, from a hardened build of pardemo.
# usage: scripts/mkdeb.sh BINARY OUTDIR      (from the top of the tree)
# Stages `make install PREFIX=/usr INSTALL_BIN=BINARY` in build/deb/root,
# strips the binary there, compresses the man page, adds
# packaging/copyright (DEP-5) and packaging/changelog (gzip -9n) under
# /usr/share/doc/pardemo, computes Depends with dpkg-shlibdeps (Open
# MPI's runtime is recommended when the binary links libmpi), writes
# DEBIAN/control with dpkg-gencontrol and DEBIAN/md5sums, and builds
# OUTDIR/pardemo_VERSION_ARCH.deb, with packaging/lintian-overrides (each
# with its reason). Every file is dated
# by the changelog's last entry (SOURCE_DATE_EPOCH): building the same
# binary again gives the same .deb, byte for byte.
set -eu
bin=$1
out=$2
work=$(pwd)/build/deb
root=$work/root
src=$work/src

version=$(sed -n 's/^#define PARDEMO_VERSION "\(.*\)"/\1/p' \
    $(find lib -name pardemo.h))
logged=$(dpkg-parsechangelog -l packaging/changelog -S Version)
if [ "$logged" != "$version" ]; then
    echo "pardemo: make deb: packaging/changelog's last entry is $logged" \
         "but pardemo.h says $version: add an entry (dch -v $version)" >&2
    exit 1
fi
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l packaging/changelog -S Timestamp)
export SOURCE_DATE_EPOCH

rm -rf "$work" "$out"/pardemo_*.deb
mkdir -p "$src/debian"
# INSTALL_BIN: the hardened binary; installing builds nothing
${MAKE:-make} -s install INSTALL_BIN="$bin" DESTDIR="$root" PREFIX=/usr \
    >/dev/null
strip --remove-section=.comment --remove-section=.note --strip-unneeded \
    "$root/usr/bin/pardemo"
gzip -9n "$root/usr/share/man/man1/pardemo.1"
doc=$root/usr/share/doc/pardemo
install -d "$doc"
install -m 644 packaging/copyright "$doc/copyright"
gzip -9n < packaging/changelog > "$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"
install -D -m 644 packaging/lintian-overrides \
    "$root/usr/share/lintian/overrides/pardemo"

cp packaging/control packaging/changelog "$src/debian/"
install -d "$root/DEBIAN"
(
    cd "$src"
    dpkg-shlibdeps -Tdebian/substvars "$root/usr/bin/pardemo"
    if grep -q '^shlibs:Depends=.*libopenmpi' debian/substvars; then
        echo "mpi:Recommends=openmpi-bin" >> debian/substvars
    else
        echo "mpi:Recommends=" >> debian/substvars
    fi
    dpkg-gencontrol -ppardemo -P"$root" -Tdebian/substvars -fdebian/files
)
(
    cd "$root"
    find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort |
        xargs -d '\n' md5sum > DEBIAN/md5sums
)
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
arch=$(dpkg --print-architecture)
dpkg-deb --root-owner-group --build "$root" \
    "$out/pardemo_${version}_${arch}.deb" >/dev/null
echo "built $out/pardemo_${version}_${arch}.deb"
