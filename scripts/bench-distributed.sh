#!/bin/sh
# bench-distributed.sh - the RDD engine on MPI ranks vs OpenMP threads.
# usage: scripts/bench-distributed.sh BYTES DIR PARDEMO TEXTGEN
# wordcount on BYTES of generated Zipf text: 1 rank x 2 threads (OpenMP
# only, no mpirun) against 2 ranks x 1 thread (mpirun), the same 8
# partitions; REPS runs each, the median job time (the counting job, not
# the launch) and the ratio. Then the bytes the shuffle moved with the
# map-side combine (reduceByKey) and without it (groupByKey, which
# wordcount runs only up to 16 MiB: measured on a 16 MiB slice).
set -eu
bytes=$1 dir=$2 pardemo=$3 textgen=$4
reps=${REPS:-3}
mkdir -p "$dir"
in="$dir/zipf.txt"
[ -f "$in" ] && [ "$(wc -c < "$in" | tr -d ' ')" = "$bytes" ] ||
    "$textgen" text "$bytes" 42 > "$in"
head -c $((16 * 1024 * 1024)) "$in" > "$dir/zipf16.txt"

root=""
[ "$(id -u)" = 0 ] && root="--allow-run-as-root"
mpi="mpirun $root --oversubscribe --bind-to none"
wc_args="-p 8 --no-group --format csv -q"

# job RANKS THREADS: one job time (seconds) from wordcount's CSV
job() {
    if [ "$1" = 1 ]; then
        "$pardemo" wordcount "$in" -t "$2" $wc_args
    else
        $mpi -np "$1" "$pardemo" wordcount "$in" -t "$2" $wc_args
    fi | grep '^throughput,' | cut -d, -f6
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "== bench-distributed: wordcount on $bytes bytes, $(nproc) CPUs," \
     "load $(cut -d' ' -f1 /proc/loadavg) =="
omp=$(for i in $(seq "$reps"); do job 1 2; done | median)
mpi2=$(for i in $(seq "$reps"); do job 2 1; done | median)
awk -v a="$omp" -v b="$mpi2" -v n="$bytes" 'BEGIN {
    printf "%-28s %9s %9s\n", "run", "job s", "MB/s"
    printf "%-28s %9.2f %9.1f\n", "1 rank x 2 threads (OpenMP)", a, n / a / 1e6
    printf "%-28s %9.2f %9.1f\n", "2 ranks x 1 thread (MPI)", b, n / b / 1e6
    printf "ratio MPI / OpenMP: %.2fx (target <= 1.3x)\n", b / a }'

echo "== what crosses the shuffle (2 ranks) =="
$mpi -np 2 "$pardemo" wordcount "$in" -t 1 -p 8 --no-group --format csv -q \
    > "$dir/big.csv"
$mpi -np 2 "$pardemo" wordcount "$dir/zipf16.txt" -t 1 -p 8 --format csv \
    -q > "$dir/small.csv"
awk -F, -v n="$bytes" '
    /^shuffle,/ { printf "%-44s %12d records %14d bytes\n",
                  sprintf("%.0f MiB: %s", n / 1048576, $2), $3, $4 }
    /^ranks,/ { sent += $6 }
    END { printf "%-44s %42d bytes\n", "  of which sent between ranks", sent }
' "$dir/big.csv"
awk -F, '
    /^shuffle,/ { printf "%-44s %12d records %14d bytes\n",
                  "16 MiB: " $2, $3, $4 }
' "$dir/small.csv"
