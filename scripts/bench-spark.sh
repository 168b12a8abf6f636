#!/bin/sh
# bench-spark.sh PARDEMO - pardemo spark (CPython on the C engine) beside
# plain python3 (/usr/bin/python3, the Python pardemo embeds):
#  1. word count of 50 MB of hamlet.txt repeated: python3 with
#     collections.Counter, pardemo spark -t 1 and -t 2 (flatMap(split),
#     map((w, 1)), reduceByKey(+): functions the engine runs in C);
#  2. map(x * x), filter(x % 3 == 0), reduce(+) over range(3000000): python3
#     map/filter/functools.reduce, pardemo -t 1 and -t 2 (the lambdas run
#     in Python, one pipeline per partition);
#  3. the start of `pardemo spark -c 'print(1)'` beside python3's.
# Both pardemo runs are also shown with PARDEMO_SPARK_NO_FAST=1 (every
# function in Python). Best of REPS wall times; the targets: 2 workers
# >= 1.8x one, one worker at least as fast as python3, a start < 50 ms.
# Each row shows the CPU time (user + system, the driver and its workers)
# of its best run beside the wall time: when -t 2's wall time is not
# below its CPU time, its workers did not run at once (no second CPU was
# free) and the speedup cannot show. Each program also times its own job
# (time.perf_counter around the work, printed to stderr): the `job`
# column, without the interpreter's start and exit, which are the same
# for 1 and 2 workers (Spark's jobs are timed so, after the context has
# started). The machine may be shared: the load average is printed with
# the figures.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
reps=${REPS:-3}
mb=${SPARK_MB:-50}
n=${SPARK_N:-3000000}
py=/usr/bin/python3
shared=${PARDEMO_SHARED:-$(cd "$(dirname "$0")/.." && pwd)/../shared}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pardemo-bench-spark-$$-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM HUP

hamlet=$shared/data/hamlet.txt
if [ ! -r "$hamlet" ]; then
    echo "bench-spark: needs hamlet.txt ($hamlet); set PARDEMO_SHARED" >&2
    exit 1
fi
: > "$tmp/text.txt"
while [ "$(wc -c < "$tmp/text.txt")" -lt $((mb * 1000000)) ]; do
    cat "$hamlet" "$hamlet" "$hamlet" "$hamlet" >> "$tmp/text.txt"
done

cat > "$tmp/wc.py" <<'PY'
import sys, time
t0 = time.perf_counter()
counts = sc.textFile(sys.argv[1]).flatMap(lambda line: line.split()) \
    .map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)
print(counts.count(), counts.map(lambda kv: kv[1]).sum())
print("job", time.perf_counter() - t0, file=sys.stderr)
PY
cat > "$tmp/wc_ref.py" <<'PY'
import sys, time
t0 = time.perf_counter()
from collections import Counter
c = Counter()
with open(sys.argv[1], encoding="utf-8", errors="surrogateescape") as f:
    for line in f:
        c.update(line.split())
print(len(c), sum(c.values()))
print("job", time.perf_counter() - t0, file=sys.stderr)
PY
cat > "$tmp/mfr.py" <<PY
import sys, time
t0 = time.perf_counter()
print(sc.parallelize(range($n)).map(lambda x: x * x)
      .filter(lambda x: x % 3 == 0).reduce(lambda a, b: a + b))
print("job", time.perf_counter() - t0, file=sys.stderr)
PY
cat > "$tmp/mfr_ref.py" <<PY
import functools, sys, time
t0 = time.perf_counter()
print(functools.reduce(lambda a, b: a + b, filter(lambda x: x % 3 == 0,
                                                  map(lambda x: x * x,
                                                      range($n)))))
print("job", time.perf_counter() - t0, file=sys.stderr)
PY

now() { date +%s.%N; }
# the CPU seconds (user + system) of the children this subshell waited
# for: the second line of `times`, "0m0.24s 0m0.02s"
cpu_of() {
    ( "$@" > "$tmp/out" 2> "$tmp/err"; times ) | sed -n 2p |
        sed 's/\([0-9]*\)m\([0-9.]*\)s/\1 * 60 + \2/g; s/ \([0-9]* \*\)/ + \1/' |
        bc -l
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }

# "WALL CPU JOB": the best wall seconds of $reps runs of "$@", that run's
# CPU seconds, and the best time its program gave its job ("job SECS" on
# stderr; 0 when it gave none); the answer must be $want
best() {
    b=
    j=
    for _ in $(seq "$reps"); do
        s=$(now)
        c=$(cpu_of "$@")
        e=$(now)
        out=$(cat "$tmp/out")
        if [ "$out" != "$want" ]; then
            echo "bench-spark: wrong answer from $*: $out" >&2
            exit 1
        fi
        t=$(echo "$e - $s" | bc -l)
        k=$(awk '$1 == "job" {print $2}' "$tmp/err")
        k=${k:-0}
        if [ -z "$j" ] || [ "$(echo "$k < $j" | bc -l)" = 1 ]; then
            j=$k
        fi
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then
            b=$t
            bc_=$c
        fi
    done
    echo "$b $bc_ $j"
}

wall() { echo "${1%% *}"; }
cpu() { set -- $1; echo "$2"; }
job() { set -- $1; echo "$3"; }

row() {     # label "wall cpu job" reference-"wall cpu job"
    printf '  %-29s %7.3f s %7.3f s %7.3f s %5.2fx python3\n' "$1" \
        "$(wall "$2")" "$(cpu "$2")" "$(job "$2")" \
        "$(echo "$(wall "$3") / $(wall "$2")" | bc -l)"
}

speedup() { # label "wall cpu job" of -t 1, of -t 2 [note]
    printf '  %-29s %7.2fx whole run, %.2fx the job%s\n' "$1" \
        "$(echo "$(wall "$2") / $(wall "$3")" | bc -l)" \
        "$(echo "$(job "$2") / $(job "$3")" | bc -l)" "${4:-}"
    if [ "$(echo "$(wall "$3") >= 0.95 * $(cpu "$3")" | bc -l)" = 1 ]; then
        echo "  (-t 2 took no less wall time than CPU time: its workers did"
        echo "  not run at once, no second CPU was free; see the load average)"
    fi
}

measure() { # title ref.py prog.py [input]
    want=$($py "$2" ${4:-} 2>/dev/null)
    ref=$(best $py "$2" ${4:-})
    t1=$(best "$bin" spark -t 1 "$3" ${4:-})
    t2=$(best "$bin" spark -t 2 "$3" ${4:-})
    f1=$(export PARDEMO_SPARK_NO_FAST=1; best "$bin" spark -t 1 "$3" ${4:-})
    f2=$(export PARDEMO_SPARK_NO_FAST=1; best "$bin" spark -t 2 "$3" ${4:-})
    echo "$1"
    printf '  %-29s %9s %9s %9s\n' "" "wall" "CPU" "job"
    row "python3" "$ref" "$ref"
    row "pardemo spark -t 1" "$t1" "$ref"
    row "pardemo spark -t 2" "$t2" "$ref"
    speedup "speedup, 1 -> 2 workers" "$t1" "$t2" " (target 1.8x)"
    row "-t 1, all functions in Python" "$f1" "$ref"
    row "-t 2, all functions in Python" "$f2" "$ref"
    speedup "speedup, all in Python" "$f1" "$f2"
}

load0=$(loadavg)
echo "bench-spark: best of $reps, $(nproc) CPUs, $($py -V), load average $load0"
measure "word count of $(($(wc -c < "$tmp/text.txt") / 1000000)) MB of hamlet.txt repeated" \
    "$tmp/wc_ref.py" "$tmp/wc.py" "$tmp/text.txt"
measure "map(x * x).filter(x % 3 == 0).reduce(+) over range($n)" \
    "$tmp/mfr_ref.py" "$tmp/mfr.py"
want=1
reps=$((reps * 3))
ps=$(best $py -c 'print(1)')
ss=$(best "$bin" spark -c 'print(1)')
echo "start: -c 'print(1)', best of $reps (target < 50 ms)"
printf '  %-30s %7.1f ms\n' "python3" "$(echo "$(wall "$ps") * 1000" | bc -l)"
printf '  %-30s %7.1f ms\n' "pardemo spark" \
    "$(echo "$(wall "$ss") * 1000" | bc -l)"
echo "load average before: $load0, after: $(loadavg)"
