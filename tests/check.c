/* check.c - pardemo's output in, python3's verdict out; usage errors. */
#define _GNU_SOURCE
#include "check.h"
#include "report.h"

#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

/* python3 running script (saved in a temporary directory) on the output
 * of `PREFIX pardemo ARGS`, or on nothing when args is NULL. */
static struct cmd_out run_script(const char *prefix, const char *args,
                                 const char *script)
{
    char *dir = make_tmpdir(), path[512], line[4096];
    struct cmd_out c;
    FILE *f;

    if (!dir)
        abort();
    snprintf(path, sizeof(path), "%s/check.py", dir);
    if (!(f = fopen(path, "w")))
        abort();
    fputs(script, f);
    fclose(f);
    if (args)
        snprintf(line, sizeof(line), "%s '%s' %s > '%s/out' && python3 '%s' "
                 "< '%s/out'", prefix, pardemo_bin(), args, dir, path, dir);
    else
        snprintf(line, sizeof(line), "python3 '%s'", path);
    c = cmd_sh(line, 120);
    rm_tree(dir);
    free(dir);
    return c;
}

struct cmd_out py_check(const char *prefix, const char *args,
                        const char *script)
{
    return run_script(prefix, args, script);
}

struct cmd_out python_run(const char *src)
{
    return run_script("", NULL, src);
}

char *temp_file(const char *tag, FILE **f)
{
    char *path = NULL;
    int fd;

    path = tmp_template(tag);
    fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp %s", path);
    *f = fdopen(fd, "w");
    cr_assert(*f);
    return path;
}

char *sh_first_line(const char *cmd, int timeout_s)
{
    struct cmd_out c = cmd_sh(cmd, timeout_s);
    char *s;

    cr_assert_eq(c.status, 0, "%s\n%s", cmd, c.err);
    s = strndup(c.out, strcspn(c.out, "\n"));
    cmd_free(&c);
    return s;
}

char *file_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t len = 0;

    cr_assert(f, "cannot open %s", path);
    if (getdelim(&text, &len, '\0', f) < 0) {
        free(text);
        text = strdup("");
    }
    fclose(f);
    return text;
}

void expect_fits_80_columns(const char *what, const char *out)
{
    int line = 0;

    for (const char *l = out; l && *l; l = strchr(l, '\n'), l += l != NULL) {
        size_t len = strcspn(l, "\n");
        char *one = strndup(l, len);
        line++;
        cr_expect(report_utf8_width(one) <= 80, "%s, line %d is %zu "
                  "columns:\n%s", what, line, report_utf8_width(one), one);
        free(one);
    }
}

char *unwrapped(const char *text)
{
    char *s = strdup(text), *out = s;

    cr_assert(s);
    for (const char *in = text; *in; in++) {
        if (!strncmp(in, "\n    ", 5) && in[5] != ' ' && in[5] != '\0') {
            *out++ = ' ';
            in += 4;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return s;
}

void skip_unless_ci(const char *why)
{
    const char *ci = getenv("CI");

    if (ci && *ci && strcmp(ci, "false") && strcmp(ci, "0"))
        cr_assert_fail("%s; under CI nothing is skipped (make test "
                       "installs it)", why);
    cr_skip_test("%s", why);
}

void require_tool(const char *cmd, const char *package)
{
    char why[256];

    if (have_command(cmd))
        return;
    snprintf(why, sizeof(why), "'%s' is not installed (apt-get install %s)",
             cmd, package);
    skip_unless_ci(why);
}

int have_command(const char *name)
{
    char line[256];
    struct cmd_out c;
    int ok;

    snprintf(line, sizeof(line), "command -v '%s' >/dev/null", name);
    c = cmd_sh(line, 10);
    ok = c.status == 0;
    cmd_free(&c);
    return ok;
}

void assert_usage_error(const char *topic, const char *a, const char *b)
{
    const char *args[] = { topic, a, b, NULL };
    char prefix[64];
    struct cmd_out c = cmd_run_env(args, NULL, NULL, 30);

    snprintf(prefix, sizeof(prefix), "pardemo: %s: ", topic);
    cr_assert_eq(c.status, 2, "%s %s: status %d", a, b ? b : "", c.status);
    cr_assert_str_empty(c.out, "%s %s: stdout not empty", a, b ? b : "");
    cr_assert_eq(count_lines(c.err), 1, "%s %s: %s", a, b ? b : "", c.err);
    cr_assert(strncmp(c.err, prefix, strlen(prefix)) == 0, "%s", c.err);
    cmd_free(&c);
}

/* The N of "--threads N ... (1..N;" in topic's help, or -1. */
static int help_threads_max(const char *topic)
{
    struct cmd_out c = cmd_run((const char *const[]){ topic, "--help",
                                                      NULL });
    const char *at = strstr(c.out, "--threads N");
    int max = -1;

    cr_assert_eq(c.status, 0, "%s --help: %s", topic, c.err);
    at = at ? strstr(at, "(1..") : NULL;
    if (!at || sscanf(at, "(1..%d;", &max) != 1)
        max = -1;
    cmd_free(&c);
    return max;
}

void assert_threads_cap_is_the_help(const char *topic,
                                    const char *const *args)
{
    int max = help_threads_max(topic);
    char n[16], over[16];
    const char *argv[32] = { topic, "-t", n };
    size_t i = 3;

    cr_assert_gt(max, 0, "%s --help has no -t range", topic);
    snprintf(n, sizeof(n), "%d", max);
    snprintf(over, sizeof(over), "%d", max + 1);
    for (; *args && i + 1 < sizeof(argv) / sizeof(argv[0]); args++)
        argv[i++] = *args;
    struct cmd_out c = cmd_run_env(argv, NULL, NULL, 300);
    cr_assert_eq(c.status, 0, "%s -t %d: %s", topic, max, c.err);
    cmd_free(&c);
    assert_usage_error(topic, "-t", over);
}

void assert_json_parses(const char *args)
{
    char line[1024];
    struct cmd_out c;

    snprintf(line, sizeof(line), "'%s' %s --format json | python3 -m "
             "json.tool > /dev/null", pardemo_bin(), args);
    c = cmd_sh(line, 120);
    cr_assert_eq(c.status, 0, "%s: %s", line, c.err);
    cmd_free(&c);
}

void assert_no_child_left(const char *const *args)
{
    struct cmd_out c;

    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    c = cmd_run(args);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_eq(count_zombies_of(getpid()), 0);
    cr_assert_eq(leftover_children(), 0);
    cmd_free(&c);
}

char **worksheet_topics(void)
{
    glob_t g;
    char **v;

    cr_assert_eq(glob("../worksheets/[0-9][0-9]-*.md", 0, NULL, &g), 0,
                 "no worksheets in ../worksheets");
    v = calloc(g.gl_pathc + 1, sizeof(*v));
    cr_assert(v);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *name = strrchr(g.gl_pathv[i], '/') + 4;  /* "NN-" */
        v[i] = strndup(name, strcspn(name, "."));
        cr_assert(v[i]);
    }
    globfree(&g);
    return v;
}

void free_strv(char **v)
{
    for (char **s = v; s && *s; s++)
        free(*s);
    free(v);
}

char *slurp_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t len = 0;

    cr_assert(f, "cannot open %s", path);
    if (getdelim(&text, &len, '\0', f) < 0) {
        free(text);
        text = strdup("");
    }
    fclose(f);
    return text;
}

void write_text_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}
