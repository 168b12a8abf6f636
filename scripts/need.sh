#!/bin/sh
# need.sh - install the Debian packages a make target needs, when missing.
# usage: scripts/need.sh CHECK:PACKAGE...
#   CHECK is a command name, or an absolute path to a file (a header).
# As root (or with password-less sudo) it runs apt-get install; otherwise
# it prints the exact apt-get line and fails. It runs apt-get update first
# when the package lists are empty, or when an install fails once. apt's
# own output is kept in a temp file and shown only when it fails.
set -u
missing=""
for pair in "$@"; do
    check=${pair%%:*}
    pkg=${pair#*:}
    case $check in
        /*) [ -e "$check" ] && continue ;;
        *) command -v "$check" >/dev/null 2>&1 && continue ;;
    esac
    case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "pardemo: missing packages:$missing" >&2
    echo "pardemo: run as root: apt-get install -y$missing" >&2
    exit 1
fi
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
export DEBIAN_FRONTEND=noninteractive
echo "pardemo: installing$missing" >&2
apt_install() {
    # shellcheck disable=SC2086
    $sudo apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends \
        $missing >>"$log" 2>&1
}
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    $sudo apt-get update -q >>"$log" 2>&1
fi
if ! apt_install; then
    $sudo apt-get update -q >>"$log" 2>&1
    apt_install || {
        tail -n 30 "$log" >&2
        echo "pardemo: could not install:$missing" >&2
        exit 1
    }
fi
