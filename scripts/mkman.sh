#!/bin/sh
# mkman.sh - write man/pardemo.1 from the binary's own help texts.
# usage: scripts/mkman.sh PARDEMO > man/pardemo.1
# The options of every topic live once, in its cli spec; the man page is
# made from `pardemo TOPIC --help`, so it cannot disagree with the parser.
# `make man` regenerates it; a test checks the committed page is current.
set -eu
bin=$1
version=$("$bin" --version | sed -n '1s/^pardemo //p')

esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/" -e 's/-/\\-/g'; }

cat <<EOF2
.TH PARDEMO 1 "" "pardemo $version" "User Commands"
.SH NAME
pardemo \\- parallel programming, shown live on this machine
.SH SYNOPSIS
.B pardemo
.I TOPIC
.RI [ options ]
.RI [ FILE ...]
.br
.B pardemo
.RB [ list | --help | --version ]
.br
.B pardemo help
.I TOPIC
.SH DESCRIPTION
.B pardemo
teaches parallel programming by running it: each topic demonstrates one
idea of the lecture on the machine it runs on, measures it, and explains
what the numbers show ("What to notice" sentences computed from the
measurements). Results go to standard output; progress, warnings and
errors to standard error.
.SH COMMON OPTIONS
Most topics take these; each topic's section lists the ones it takes, with
ranges and defaults.
.TP
.BR \\-t ", " \\-\\-threads " \\fIN\\fR"
Workers (default: the CPUs this process may run on).
.TP
.BR \\-n ", " \\-\\-size " \\fIN\\fR"
Problem size; accepts k, M and G suffixes (times 1024).
.TP
.BR \\-r ", " \\-\\-reps " \\fIN\\fR"
Timed repetitions after one warm-up; the median is reported with min and max.
.TP
.BR \\-s ", " \\-\\-seed " \\fIN\\fR"
Random seed: the same seed gives the same data.
.TP
.BR \\-\\-format " \\fItext\\fR|\\fIcsv\\fR|\\fIjson\\fR"
Aligned text tables, CSV (one block per table, values in base units), or one
JSON document.
.TP
.BR \\-q ", " \\-\\-quiet
No progress on standard error.
.TP
.B \\-\\-quick
Classroom-quick sizes (also PARDEMO_QUICK=1).
.TP
.BR \\-h ", " \\-\\-help
The topic's options and examples.
.SH TOPICS
EOF2

"$bin" list | while read -r topic summary; do
    echo ".SS $topic"
    echo "$summary" | esc
    "$bin" "$topic" --help | awk -v esc=1 '
        function roff(s) {
            gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
            return s
        }
        NR == 1 { next }
        /^usage: / { sub(/^usage: /, ""); print ".PP"; print ".B " roff($0); next }
        /^options:/ { mode = "opt"; next }
        /^examples:/ { mode = "ex"; print ".PP"; print "Examples:"; print ".RS"; print ".nf"; next }
        /^$/ { next }
        mode == "opt" {
            line = $0; sub(/^ +/, "", line)
            n = match(line, /  +/)
            if (n == 0) { print roff(line); next }
            head = substr(line, 1, n - 1); help = substr(line, n); sub(/^ +/, "", help)
            print ".TP"; print ".B " roff(head); print roff(help); next
        }
        mode == "ex" { line = $0; sub(/^ +/, "", line); print roff(line); next }
        END { if (mode == "ex") { print ".fi"; print ".RE" } }'
done

cat <<'EOF2'
.SH EXIT STATUS
.TP
.B 0
Success.
.TP
.B 1
A runtime failure (a missing file, fork refused, no room in /dev/shm, a
parallel result that differs from the serial one); one line on standard
error names the cause.
.TP
.B 2
A usage error (unknown topic or option, a value out of range); one line on
standard error names the option, the accepted range and the value given.
.TP
.B 128+N
Killed by signal N (130 after SIGINT, 143 after SIGTERM); everything the
run created is removed first.
.SH ENVIRONMENT
.TP
.B NO_COLOR
When set and not empty, no colour even on a terminal.
.TP
.B OMP_NUM_THREADS
Ignored for sizing: the OpenMP topics use \-t; set it only to experiment.
.TP
.B PARDEMO_QUICK
When 1, every topic runs at classroom-quick sizes, as with \-\-quick.
.TP
.B PARDEMO_DATA
Where to find the quiz bank and gnuplot scripts instead of the installed
share/pardemo directory.
.SH FILES
.TP
.I PREFIX/share/pardemo/
The quiz bank (worksheets/quiz.txt) and the gnuplot scripts
(bench/gnuplot/*.gp).
.TP
.I PREFIX/share/doc/pardemo/worksheets/
One worksheet per topic, with instructor answers in answers/.
.TP
.I /dev/shm, /dev/mqueue
Shared memory segments and message queues made by ipc and manager, named
after the process id, and removed on every exit path.
.SH EXAMPLES
.nf
pardemo tour \-\-quick
pardemo threads \-t 4
pardemo race \-\-format csv > race.csv
.fi
.SH SEE ALSO
.BR fork (2),
.BR pthreads (7),
.BR shm_overview (7),
.BR mq_overview (7),
.BR gnuplot (1)
EOF2
