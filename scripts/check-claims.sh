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
else    # the lecture topics and plot; the other tools and the shell left out
    topics=$("$bin" list | awk '{print $1}' |
             grep -vxE 'gen|bench|tour|quiz|spark')
fi

# One topic's JSON into $1 (stderr into $2), under the prefix $pre. plot
# speaks of a sweep: bench measures one under this condition (race and
# threads, workers 1 and 2), then plot's summary says what it says of it.
run() {
    # shellcheck disable=SC2086
    if [ "$t" != plot ]; then
        $pre "$bin" "$t" --quick -q --format json >"$1" 2>"$2" </dev/null
        return
    fi
    for k in race threads; do   # race's unsynchronised kernel loses
        rm -f "$out/sweep-$k.csv"   # updates: bench exits 1, the CSV says
        $pre "$bin" bench $k --quick -q -r 3 -w 1,2 -o "$out/sweep-$k.csv" \
            >/dev/null 2>/dev/null </dev/null
        [ -s "$out/sweep-$k.csv" ] || return 1
    done
    "$bin" plot "$out/sweep-race.csv" --summary --format json >"$1" 2>>"$2" &&
    "$bin" plot "$out/sweep-threads.csv" --summary --format json \
        >"$1.threads" 2>>"$2"
}
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
        : >"$out/$t-$cond.err"
        if ! run "$f" "$out/$t-$cond.err"; then
            echo "$t: exit $? ($(tail -1 "$out/$t-$cond.err"))"
            status=1
            continue
        fi
        if [ -s "$out/$t-$cond.err" ]; then
            sed "s/^/$t: stderr: /" "$out/$t-$cond.err"
        fi
        python3 "$here/check_claims.py" "$f" $(ls "$f.threads" 2>/dev/null) \
            >"$out/result" || status=1
        sed "s|^$out/||" "$out/result"
    done
    if [ -n "$busy" ]; then
        kill "$busy" 2>/dev/null; wait "$busy" 2>/dev/null; busy=
    fi
done
[ "$status" = 0 ] && echo "check-claims: no contradiction" ||
    echo "check-claims: CONTRADICTIONS or failures above"
exit $status
