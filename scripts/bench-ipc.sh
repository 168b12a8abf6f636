#!/bin/sh
# bench-ipc.sh - pardemo ipc and manager side by side with established
# benchmarks run now, on this machine: perf bench sched pipe (pipe ping-pong),
# rt-tests' pmqtest (POSIX mq latency), dd | dd (pipe bandwidth), perf bench
# mem memcpy (the ceiling of a shared-memory copy) and sockperf (TCP
# loopback ping-pong). Every figure is the median of 3 runs, since the
# machine may be shared. usage: scripts/bench-ipc.sh [PARDEMO]
set -eu
bin=${1:-./pardemo}
tmp=$(mktemp -d)
srv=""
cleanup() {
    if [ -n "$srv" ]; then kill "$srv" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# the first CPU we may use: "pinned" means both ends on it
cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')

# med3 CMD...: runs CMD 3 times (it prints one number), prints the median
med3() {
    for i in 1 2 3; do "$@"; done | sort -g | sed -n 2p
}

echo "== pardemo ipc and manager, 3 runs each (--format csv) =="
for i in 1 2 3; do
    "$bin" ipc -q --mech shm,mq,pipe --sizes 64,4k,64k,1M --format csv \
        > "$tmp/ipc$i.csv"
    "$bin" manager -q -t 1 -n 5000 --addr tcp:127.0.0.1:0 --format csv \
        > "$tmp/mgr$i.csv"
done
grep -v '^#' "$tmp/ipc1.csv" | cut -d, -f2-9

# ours MECHANISM SIZE COLUMN SCALE: the median of pardemo's 3 runs
ours_one() {
    awk -F, -v m="$1" -v s="$2" -v col="$3" -v k="$4" '
        $1 == "table" { for (i = 1; i <= NF; i++) h[$i] = i; next }
        $1 == "ipc" && $2 == m && $3 == s { print $h[col] * k; exit }' "$5"
}
ours() {
    for i in 1 2 3; do ours_one "$@" "$tmp/ipc$i.csv"; done |
        sort -g | sed -n 2p
}
# the race table's first row (one client through the Manager): µs per add
mgr_add() {
    for i in 1 2 3; do
        awk -F, '$1 == "table" && !h["adds"] { for (i = 1; i <= NF; i++)
            h[$i] = i; next }
            $1 == "race" { print $h["seconds"] / $h["adds"] * 1e6; exit }' \
            "$tmp/mgr$i.csv"
    done | sort -g | sed -n 2p
}

echo "== references, 3 runs each =="
# perf bench sched pipe: two processes pass an int back and forth; /2
pipe_one_way() {
    "$@" perf bench sched pipe -l 50000 2>/dev/null |
        awk '/usecs\/op/ { print $1 / 2 }'
}
# pmqtest: two threads, a message every 100 µs; Avg is one way, whole µs
pmq() {
    pmqtest "$@" -l 5000 -i 100 -q 2>/dev/null |
        awk '/->/ { sub(",", "", $9); v = $9 } END { print v }'
}
# dd | dd: a shell pipe between two processes, bs bytes per write; MB/s
dd_rate() {
    dd if=/dev/zero bs="$1" count="$2" 2>/dev/null |
        dd of=/dev/null bs="$1" 2>&1 |
        awk '/copied/ { print $1 / $(NF-3) / 1e6 }'
}
# perf bench mem memcpy of 1 MiB (the ring's size, in one core's cache):
# a shm sender copies each byte once, so this is shm's ceiling, not its
# twin (the receiver then pulls the bytes from the other core); MB/s
memcpy_rate() {
    perf bench mem memcpy -s 1MB -l 2000 2>/dev/null |
        awk '/GB\/sec/ { print $1 * 1e3 } /MB\/sec/ { print $1 }'
}
# sockperf: TCP loopback ping-pong of 64 B; it reports half a round trip
tcp_round_trip() {
    sockperf pp --tcp -i 127.0.0.1 -p "$port" -m 64 -t 1 2>/dev/null |
        awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^avg-latency=/) {
            sub("avg-latency=", "", $i); print 2 * $i; exit } }'
}
pipe_pin=$(med3 pipe_one_way taskset -c "$cpu")
pipe_free=$(med3 pipe_one_way env)
mq_pin=$(med3 pmq -a "$cpu")
mq_free=$(med3 pmq)
dd64=$(med3 dd_rate 64 500000)
dd4k=$(med3 dd_rate 4096 65536)
dd64k=$(med3 dd_rate 65536 4096)
memcpy=$(med3 memcpy_rate)
port=$((20000 + $$ % 20000))
sockperf sr --tcp -i 127.0.0.1 -p "$port" >/dev/null 2>&1 &
srv=$!
sleep 1     # a wait for the server to listen, not a measurement
tcp=$(med3 tcp_round_trip)
kill "$srv" 2>/dev/null || true
wait "$srv" 2>/dev/null || true
srv=""

row() {     # quantity, reference tool, reference value, pardemo value
    awk -v w="$1" -v t="$2" -v r="$3" -v o="$4" 'BEGIN {
        printf "%-32s %-30s %10.4g %10.4g %6s\n", w, t, r, o,
            (r > 0 ? sprintf("%.2f", o / r) : "-") }'
}
echo
printf "%-32s %-30s %10s %10s %6s\n" "quantity (median of 3)" "reference" \
    "reference" "pardemo" "ratio"
row "pipe one-way, 1 CPU (us)" "perf bench sched pipe, rt/2" "$pipe_pin" \
    "$(ours pipe 64 latency_pinned_seconds 1e6)"
row "pipe one-way, free (us)" "perf bench sched pipe, rt/2" "$pipe_free" \
    "$(ours pipe 64 latency_free_seconds 1e6)"
row "mq one-way, 1 CPU (us)" "pmqtest -a CPU (threads)" "$mq_pin" \
    "$(ours mq 64 latency_pinned_seconds 1e6)"
row "mq one-way, free (us)" "pmqtest (threads)" "$mq_free" \
    "$(ours mq 64 latency_free_seconds 1e6)"
row "pipe bandwidth 64 B (MB/s)" "dd | dd, bs=64" "$dd64" \
    "$(ours pipe 64 bandwidth_bytes_per_second 1e-6)"
row "pipe bandwidth 4 KiB (MB/s)" "dd | dd, bs=4096" "$dd4k" \
    "$(ours pipe 4096 bandwidth_bytes_per_second 1e-6)"
row "pipe bandwidth 64 KiB (MB/s)" "dd | dd, bs=65536" "$dd64k" \
    "$(ours pipe 65536 bandwidth_bytes_per_second 1e-6)"
row "shm bandwidth 64 KiB (MB/s)" "ceiling: memcpy 1 MiB" "$memcpy" \
    "$(ours shm 65536 bandwidth_bytes_per_second 1e-6)"
row "shm bandwidth 1 MiB (MB/s)" "ceiling: memcpy 1 MiB" "$memcpy" \
    "$(ours shm 1048576 bandwidth_bytes_per_second 1e-6)"
row "Manager add over TCP (us)" "sockperf pp --tcp, round trip" "$tcp" \
    "$(mgr_add)"
echo
echo "Machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
     "pinned = both ends on CPU $cpu."
echo "On a machine shared with other work expect 10-20 % spread, more for"
echo "'free' latency (it measures where the scheduler puts the two ends)."
