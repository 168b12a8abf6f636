#!/bin/sh
# check-claims.sh - does every "What to notice" sentence agree with its
# numbers? Runs every topic with --quick --format json under three
# conditions - quiet, pinned to one CPU (taskset -c 0), and with a busy
# loop pinned to CPU 1 - and checks each claim mechanically
# (scripts/check_claims.py). Not part of `make test`: it measures, so it
# takes minutes. Zero contradictions is the bar.
# usage: scripts/check-claims.sh [PARDEMO] [TOPIC...]
set -u
bin=${1:-./pardemo}
[ $# -gt 0 ] && shift
here=$(dirname "$0")
out=$(mktemp -d "${TMPDIR:-/tmp}/check-claims.XXXXXX") || exit 1
busy=
cleanup() {
    [ -n "$busy" ] && kill "$busy" 2>/dev/null && wait "$busy" 2>/dev/null
    rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ $# -gt 0 ]; then
    topics=$*
else    # the lecture topics; tools and the interactive shell left out
    topics=$("$bin" list | awk '{print $1}' |
             grep -vxE 'gen|bench|plot|tour|quiz|spark')
fi
cpus=$(nproc)
status=0
for cond in quiet taskset-0 busy-cpu1; do
    case $cond in
    quiet)     pre= ;;
    taskset-0) pre="taskset -c 0" ;;
    busy-cpu1)
        if [ "$cpus" -lt 2 ]; then
            echo "== $cond: skipped, 1 CPU"; continue
        fi
        taskset -c 1 sh -c 'while :; do :; done' &
        busy=$!
        pre= ;;
    esac
    echo "== $cond (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    for t in $topics; do
        f="$out/$t-$cond.json"
        # shellcheck disable=SC2086
        if ! $pre "$bin" "$t" --quick --format json >"$f" \
                2>"$out/$t-$cond.err" </dev/null; then
            echo "$t: exit $? ($(tail -1 "$out/$t-$cond.err"))"
            status=1
            continue
        fi
        if [ -s "$out/$t-$cond.err" ]; then
            sed "s/^/$t: stderr: /" "$out/$t-$cond.err"
        fi
        python3 "$here/check_claims.py" "$f" >"$out/result" || status=1
        sed "s|^$out/||" "$out/result"
    done
    if [ -n "$busy" ]; then
        kill "$busy" 2>/dev/null; wait "$busy" 2>/dev/null; busy=
    fi
done
[ "$status" = 0 ] && echo "check-claims: no contradiction" ||
    echo "check-claims: CONTRADICTIONS or failures above"
exit $status
