#!/bin/sh
# bench-spark.sh PARDEMO - interpreted lambdas: pardemo spark vs CPython.
# The same pipeline (map x*x, filter x % 3 == 0, reduce +) over N ints,
# run by `pardemo spark` (the C engine calling interpreted lambdas, 1 and
# 2 threads) and by python3 with map/filter/functools.reduce over a range.
# Best of REPS wall times; ns per element and the ratio to CPython. The
# machine may be shared: the load average is printed with the figures.
set -eu
bin=$1
n=${SPARK_N:-3000000}
reps=${REPS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cat > "$tmp/job.py" <<PY
from operator import add
r = sc.parallelize(range($n)).map(lambda x: x * x).filter(lambda x: x % 3 == 0).reduce(lambda a, b: a + b)
print(r)
PY
cat > "$tmp/ref.py" <<PY
import functools
print(functools.reduce(lambda a, b: a + b, filter(lambda x: x % 3 == 0, map(lambda x: x * x, range($n)))))
PY

best() {   # best wall seconds of $reps runs of "$@"; checks the answer
    b=
    for _ in $(seq "$reps"); do
        s=$(date +%s.%N)
        out=$("$@")
        e=$(date +%s.%N)
        [ "$out" = "$want" ] || { echo "wrong answer: $out" >&2; exit 1; }
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
load0=$(loadavg)
want=$(python3 "$tmp/ref.py")
py=$(best python3 "$tmp/ref.py")
t1=$(best "$bin" spark -t 1 "$tmp/job.py")
t2=$(best "$bin" spark -t 2 "$tmp/job.py")
echo "bench-spark: map/filter/reduce over $n ints, best of $reps, $(nproc) CPUs"
echo "  load average before: $load0, after: $(loadavg)"
printf '  %-28s %8s s  %6s ns/element  %6s x CPython\n' \
    "python3 (map/filter/reduce)" "$(printf %.3f "$py")" \
    "$(echo "$py * 1000000000 / $n" | bc -l | xargs printf %.0f)" "1.00"
for t in 1 2; do
    eval v=\$t$t
    printf '  %-28s %8s s  %6s ns/element  %6s x CPython\n' \
        "pardemo spark -t $t" "$(printf %.3f "$v")" \
        "$(echo "$v * 1000000000 / $n" | bc -l | xargs printf %.0f)" \
        "$(echo "$py / $v" | bc -l | xargs printf %.2f)"
done
