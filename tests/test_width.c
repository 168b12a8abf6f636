/* test_width.c - output a projector can show: every lecture topic's text
 * output at default sizes fits 80 columns (in characters, not bytes: "µs"
 * is two columns); the tour's test checks the classroom (--quick) sizes.
 * Default sizes run with -r 1 where a topic repeats: the layout does not
 * depend on the count. Slow (a minute of CPU): make test-full runs it,
 * make test does not.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#define WIDTH 80

struct run {
    const char *topic;
    const char *args[6];        /* NULL-ended */
};

/* Each topic as a lecturer runs it; spark runs the tests' small script.
 * Every lecture topic's --quick output is checked by the tour's test
 * (tests/test_tour.c), which runs them all. */
static const struct run runs[] = {
    { "concurrency", { NULL } },
    { "threads", { "-r", "1" } },
    { "gil", { "-r", "1" } },
    { "race", { "-r", "1" } },
    { "forkjoin", { "-r", "1" } },
    { "ipc", { NULL } },
    { "manager", { NULL } },
    { "datatask", { "-r", "1" } },
    { "locality", { "-r", "1" } },
    { "distributed", { NULL } },
    { "rdd", { NULL } },
    { "wordcount", { NULL } },
    { "logmine", { NULL } },
    { "csv", { NULL } },
    /* platforms: the tour's --quick run (every installed platform, twice
     * a job); the default size (8 MiB) takes minutes more, and the tables
     * and sentences are the same */
    { "spark", { "tests/spark_small.py" } },     /* run from the top */
    { "spark", { "--explain", "tests/spark_small.py" } },
    { "quiz", { "--topic", "polls", "--answers", "D,C,A,D" } },
};

/* Parameters are indexes: a pointer would not survive the re-exec. */
ParameterizedTestParameters(width, fits_80_columns)
{
    static int index[sizeof(runs) / sizeof(runs[0])];

    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
        index[i] = (int)i;
    return cr_make_param_array(int, index, sizeof(index) / sizeof(index[0]));
}

ParameterizedTest(int *i, width, fits_80_columns, .timeout = 900)
{
    const struct run *r = &runs[*i];
    const char *args[8] = { r->topic };
    struct cmd_out c;
    int n = 1;

    for (int i = 0; r->args[i]; i++)
        args[n++] = r->args[i];
    if (!strcmp(r->topic, "spark")) {   /* the script names its own path */
        char line[1024];
        snprintf(line, sizeof(line), "cd .. && '%s' spark %s %s </dev/null "
                 "2>&1", pardemo_bin(), r->args[0],
                 r->args[1] ? r->args[1] : "");
        c = cmd_sh(line, 890);
    } else {
        c = cmd_run_env(args, NULL, NULL, 890);
    }
    cr_assert_eq(c.status, 0, "%s %s: exit %d: %s", r->topic,
                 r->args[0] ? r->args[0] : "", c.status, c.err);
    char what[200];
    snprintf(what, sizeof(what), "%s %s", r->topic,
             r->args[0] ? r->args[0] : "");
    expect_fits_80_columns(what, c.out);
    cmd_free(&c);
}
