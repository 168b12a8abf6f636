#!/bin/sh
# Word count in the shell: one word per line, sort brings equal words
# together, uniq -c counts each run. usage: sh wordcount.sh FILE
tr -s '[:space:]' '\n' < "$1" | sort | uniq -c
