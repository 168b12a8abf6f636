/* test_spark_programs.c - the programs students write after the lecture
 * (word counts, Pi, joins, per-key averages, broadcast variables and
 * accumulators, mapPartitions with yield, stats, saved directories and
 * globs, number formatting...) print what PySpark prints for them.
 * tests/spark/programs.py holds each program beside a plain-Python
 * reference of PySpark's output, run by /usr/bin/python3. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

Test(spark_programs, print_what_pyspark_prints, .timeout = 900)
{
    char line[1200];

    snprintf(line, sizeof(line), "/usr/bin/python3 spark/programs.py '%s'",
             pardemo_bin());
    struct cmd_out c = cmd_sh(line, 900);
    cr_expect_eq(c.status, 0, "%s\n%s", c.out, c.err);
    cr_expect(strstr(c.out, " programs, 0 differ\n"), "%s\n%s", c.out, c.err);
    cmd_free(&c);
}
