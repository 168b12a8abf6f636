/* test_width.c - output a projector can show: every lecture topic's text
 * output, at classroom (--quick) and default sizes, fits 80 columns (in
 * characters, not bytes: "µs" is two columns). Default sizes run with
 * -r 1 where a topic repeats: the layout does not depend on the count.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "report.h"

#define WIDTH 80

struct run {
    const char *topic;
    const char *args[6];        /* NULL-ended */
};

/* Each topic as a lecturer runs it; spark runs the tests' small script. */
static const struct run runs[] = {
    { "concurrency", { "--quick" } }, { "concurrency", { NULL } },
    { "threads", { "--quick" } }, { "threads", { "-r", "1" } },
    { "gil", { "--quick" } }, { "gil", { "-r", "1" } },
    { "race", { "--quick" } }, { "race", { "-r", "1" } },
    { "forkjoin", { "--quick" } }, { "forkjoin", { "-r", "1" } },
    { "ipc", { "--quick" } }, { "ipc", { NULL } },
    { "manager", { "--quick" } }, { "manager", { NULL } },
    { "datatask", { "--quick" } }, { "datatask", { "-r", "1" } },
    { "locality", { "--quick" } }, { "locality", { "-r", "1" } },
    { "distributed", { "--quick" } }, { "distributed", { NULL } },
    { "rdd", { "--quick" } }, { "rdd", { NULL } },
    { "wordcount", { "--quick" } }, { "wordcount", { NULL } },
    { "logmine", { "--quick" } }, { "logmine", { NULL } },
    { "csv", { "--quick" } }, { "csv", { NULL } },
    /* every installed platform, twice a job: the default size (8 MiB)
     * takes minutes more, and the tables and sentences are the same */
    { "platforms", { "--quick" } },
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
    int line = 0, n = 1;

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
    for (char *l = c.out; l && *l; l = strchr(l, '\n'), l += l != NULL) {
        size_t len = strcspn(l, "\n");
        char save = l[len];
        line++;
        l[len] = '\0';
        cr_expect(report_utf8_width(l) <= WIDTH, "%s %s, line %d is %zu "
                  "columns:\n%s", r->topic, r->args[0] ? r->args[0] : "",
                  line, report_utf8_width(l), l);
        l[len] = save;
    }
    cmd_free(&c);
}
