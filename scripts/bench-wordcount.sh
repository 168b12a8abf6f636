#!/bin/sh
# bench-wordcount.sh - pardemo wordcount next to standard tools, same run.
# usage: scripts/bench-wordcount.sh BYTES DIR PARDEMO TEXTGEN
# Inputs: BYTES of generated Zipf text (1M-word vocabulary) and hamlet.txt
# repeated to BYTES. Slow tools (sort | uniq, python3) run on a 32 MiB
# slice and their time is scaled to BYTES. Peak memory from /usr/bin/time.
# The machine may be shared: pardemo's job also runs REPS more times per
# thread count and the best time is shown, with the load average.
set -eu
bytes=$1 dir=$2 pardemo=$3 textgen=$4
slice=$((32 * 1024 * 1024))
hamlet=${PARDEMO_SHARED:-../shared}/data/hamlet.txt
mkdir -p "$dir"

size_of() { wc -c < "$1" | tr -d ' '; }
now() { date +%s.%N; }

make_inputs() {
    [ -f "$dir/zipf.txt" ] && [ "$(size_of "$dir/zipf.txt")" = "$bytes" ] ||
        "$textgen" text "$bytes" 42 > "$dir/zipf.txt"
    if ! [ -f "$dir/hamlet.txt" ] ||
       [ "$(size_of "$dir/hamlet.txt")" != "$bytes" ]; then
        : > "$dir/hamlet.tmp"
        while [ "$(size_of "$dir/hamlet.tmp")" -lt "$bytes" ]; do
            cat "$hamlet" "$hamlet" "$hamlet" "$hamlet" >> "$dir/hamlet.tmp"
        done
        head -c "$bytes" "$dir/hamlet.tmp" > "$dir/hamlet.txt"
        rm -f "$dir/hamlet.tmp"
    fi
    for f in zipf hamlet; do
        head -c "$slice" "$dir/$f.txt" > "$dir/$f.slice"
    done
}

# run NAME FACTOR CMD...: one row, seconds times FACTOR (a slice's time
# scaled to BYTES). sh has no local variables: names here are run's own.
run() {
    run_name=$1 run_factor=$2
    shift 2
    t0=$(now)
    /usr/bin/time -f "%M" -o "$dir/mem" "$@" > "$dir/out" 2> "$dir/err" || {
        echo "$run_name: failed: $(cat "$dir/err")" >&2; return 1; }
    t1=$(now)
    awk -v n="$run_name" -v b="$bytes" -v s="$run_factor" -v t0="$t0" \
        -v t1="$t1" \
        -v w="$words" -v m="$(tail -1 "$dir/mem")" 'BEGIN {
        t = (t1 - t0) * s
        printf "%-34s %9.2f %9.1f %12.0f %9.0f\n", n, t, b / t / 1e6,
               w / t, m / 1024 }'
}

reps=${REPS:-3}

# best T: the shortest job time of REPS runs with T threads
best() {
    for i in $(seq "$reps"); do
        "$pardemo" wordcount "$dir/$f.txt" -t "$1" -q --no-group \
            --format csv | grep '^throughput,' | cut -d, -f6
    done | sort -g | head -1
}

bench_one() {
    f=$1
    words=$(wc -w < "$dir/$f.txt")
    scale=$(awk -v b="$bytes" -v s="$slice" 'BEGIN { print b / s }')
    echo
    echo "== $f: $(size_of "$dir/$f.txt") bytes, $words words (wc -w)"
    printf "%-34s %9s %9s %12s %9s\n" tool seconds MB/s words/s peak_MiB
    for t in 1 2; do
        run "pardemo wordcount -t $t" 1 \
            "$pardemo" wordcount "$dir/$f.txt" -t "$t" -q --no-group \
            --format csv
        grep '^throughput,' "$dir/out" | awk -F, '{
            printf "  (the job alone: %.2f s, %.1f MB/s, %d distinct)\n",
                   $6, $7 / 1e6, $5 }'
    done
    best 1 > "$dir/best1"
    best 2 > "$dir/best2"
    awk -v a="$(cat "$dir/best1")" -v b="$(cat "$dir/best2")" -v n="$bytes" \
        'BEGIN { printf "  best of %d jobs: 1 thread %.2f s (%.1f MB/s), " \
                 "2 threads %.2f s (%.1f MB/s): %.2fx\n", '"$reps"', a,
                 n / a / 1e6, b, n / b / 1e6, a / b }'
    run "wc -w" 1 wc -w "$dir/$f.txt"
    run "mawk associative count" 1 mawk \
        '{ for (i = 1; i <= NF; i++) c[$i]++ } END { for (w in c) n++; print n }' \
        "$dir/$f.txt"
    run "tr|sort|uniq -c (32 MiB, scaled)" "$scale" sh -c \
        "tr -s ' \n' '\n' < '$dir/$f.slice' | LC_ALL=C sort | uniq -c | wc -l"
    run "python3 Counter (32 MiB, scaled)" "$scale" python3 -c "
import collections, sys
c = collections.Counter()
with open(sys.argv[1], encoding='utf-8', errors='surrogateescape') as f:
    for line in f:
        c.update(line.split())
print(len(c))" "$dir/$f.slice"
}

make_inputs
echo "# $(nproc) online CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench_one zipf
bench_one hamlet
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
