#!/bin/sh
# each-topic.sh - run every row of tests/small_args.tsv under a checker,
# and fail for a topic of `PARDEMO list` that has no row there.
# usage: scripts/each-topic.sh PARDEMO CHECKER-COMMAND...
# e.g.   scripts/each-topic.sh build/release/pardemo valgrind --error-exitcode=1
# Prints one line per topic and exits 1 if any run failed.
set -u
bin=$1
shift
failed=0
n=0
log=
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
while IFS='	' read -r topic args; do
    case $topic in ''|'#'*) continue ;; esac
    case $args in '#'*) echo "skip  $topic $args"; continue ;; esac
    n=$((n + 1))
    log=$(mktemp)
    # shellcheck disable=SC2086
    if PARDEMO_QUICK=1 "$@" "$bin" $topic $args >/dev/null 2>"$log"; then
        echo "ok    $topic $args"
    else
        echo "FAIL  $topic $args (exit $?)"
        sed 's/^/      /' "$log" | tail -40
        failed=$((failed + 1))
    fi
    rm -f "$log"
done < tests/small_args.tsv
# every topic of this binary has its row (the list comes from the binary)
for topic in $("$bin" list | awk '{print $1}'); do
    if ! grep -q "^$topic	" tests/small_args.tsv; then
        echo "FAIL  $topic: no row in tests/small_args.tsv"
        failed=$((failed + 1))
    fi
done
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
