#!/bin/sh
# bench-memory.sh PARDEMO STREAM_REF N - pardemo memory's triad beside the
# reference STREAM (bench/reference/stream_ref.c, built by the Makefile with
# the same compiler and flags), on N doubles an array and every allowed CPU.
# A shared virtual machine's memory bandwidth swings by a fifth from one run
# to the next, so the two alternate for ROUNDS rounds (default 5), each
# with STREAM's 10 passes (pardemo: -r 9 after its warm-up pass, as
# stream.c drops its first). Prints every round, then the best and the
# median of each and their ratios. Target: within 10 %.
set -eu
pd=$1 ref=$2 n=$3
rounds=${ROUNDS:-5}
cpus=$(nproc)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pardemo-bench-memory-$$-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

uptime
echo "triad, $cpus threads, $n doubles an array, MB/s:"
i=1
while [ "$i" -le "$rounds" ]; do
    r=$(OMP_NUM_THREADS=$cpus "$ref" |
        awk '/^Triad:/ {print $2} /Failed/ {print "failed"}')
    p=$("$pd" memory -q -t "$cpus" -r 9 -n "$n" --format csv |
        awk -F, -v t="$cpus" '$1 == "stream" && $2 == t {
            printf "%.1f", $6 / 1e6 }')
    case "$r$p" in *failed*|"") echo "bench-memory: a run failed" >&2
                                exit 1 ;; esac
    echo "$r" >> "$tmp/ref"
    echo "$p" >> "$tmp/pd"
    echo "  round $i: reference STREAM $r, pardemo memory $p"
    i=$((i + 1))
done
stat() {    # best and median of a column of numbers
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f", v[NR], m }'
}
set -- $(stat "$tmp/ref") $(stat "$tmp/pd")
echo "best:   reference STREAM $1, pardemo memory $3, ratio" \
    "$(awk "BEGIN {printf \"%.3f\", $3 / $1}")"
echo "median: reference STREAM $2, pardemo memory $4, ratio" \
    "$(awk "BEGIN {printf \"%.3f\", $4 / $2}")"
uptime
