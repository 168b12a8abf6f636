#!/bin/sh
# suite.sh - run the Criterion suite with a temporary directory of its own.
# usage: scripts/suite.sh RUN_TESTS [CRITERION OPTIONS...]   (from tests/)
# The suite's temp files go under a fresh TMPDIR (/tmp/pardemo-suite-*),
# removed afterwards whatever happened, Ctrl-C included. A suite that
# passed but left something there fails, naming it: each test cleans up
# after itself, and two suites running at once never share a file.
set -u
run_tests=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/pardemo-suite-XXXXXX") || exit 1
chmod 1777 "$dir"   # like /tmp: the fault tests run pardemo as another user
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
status=0
# a run that times out gets SIGUSR2 first: the lessons' Python then prints
# every thread's traceback (tests/harness.c), so a hang says where it was
PARDEMO_TEST_DUMP=1 TMPDIR=$dir "$run_tests" "$@" || status=$?
left=$(ls -A "$dir")
if [ "$status" = 0 ] && [ -n "$left" ]; then
    echo "pardemo: the suite passed but left in its TMPDIR:" $left >&2
    status=1
fi
exit "$status"
