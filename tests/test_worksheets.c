/* test_worksheets.c - the worksheets cannot rot: every line of every
 * ```sh block in worksheets/NN-topic.md is run, in a fresh temporary
 * directory, with PARDEMO_QUICK=1 and this build's pardemo first on PATH,
 * and must exit 0. Then the ```pycon blocks of the worksheet and of its
 * answers run as doctests in pardemo spark, in that directory (the sh
 * lines made their data): each printed output must be the one written.
 * A worksheet whose topic this binary does not have yet (not in `pardemo
 * list`) is skipped, and so is a command that uses a topic not built yet
 * (bench, plot...): they start running when it lands.
 * A sheet that draws charts needs gnuplot (under CI: a failure without).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "check.h"

#define SHEETS "../worksheets"
#define CMD_TIMEOUT_S 600           /* a topic under ASan, with margin */

/* Words after `pardemo` that are not topics but always work. */
static const char *const builtins[] = { "list", "help", "--help",
                                        "--version", "version" };

/* Is word a topic of this binary, per `pardemo list`? */
static bool is_topic(const char *list, const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strlen(builtins[i]) == len && !strncmp(builtins[i], word, len))
            return true;
    for (const char *l = list; l && *l; l = strchr(l, '\n'), l += !!l) {
        const char *name = l + strspn(l, " ");
        if (strcspn(name, " \n") == len && !strncmp(name, word, len))
            return true;
    }
    return false;
}

/* The first `pardemo WORD` in cmd whose WORD is not a topic of this
 * binary; writes WORD to missing and returns true. */
static bool needs_missing_topic(const char *list, const char *cmd,
                                char *missing, size_t len)
{
    for (const char *at = cmd; (at = strstr(at, "pardemo ")); at += 8) {
        if (at > cmd && at[-1] != ' ' && at[-1] != '|' && at[-1] != '(' &&
            at[-1] != ';' && at[-1] != '&')
            continue;               /* part of a path or another word */
        const char *w = at + 8;
        size_t n = strcspn(w, " \t|;&)\n");
        if (!is_topic(list, w, n)) {
            snprintf(missing, len, "%.*s", (int)n, w);
            return true;
        }
    }
    return false;
}

/* The commands of the ```sh blocks: one per line, a trailing backslash
 * joins lines; blank lines and # comments are not commands. Returns a
 * NULL-ended array (free each, then it). */
static char **sh_commands(const char *text)
{
    char **cmds = calloc(1, sizeof(*cmds));
    size_t n = 0;
    bool is_in_sh = false;
    char *cur = NULL;

    for (const char *l = text; *l; ) {
        size_t w = strcspn(l, "\n");
        if (!strncmp(l, "```", 3)) {
            is_in_sh = !is_in_sh && w == 5 && !strncmp(l + 3, "sh", 2);
        } else if (is_in_sh) {
            char *line = strndup(l, w);
            bool is_cont = w && line[w - 1] == '\\';
            if (is_cont)
                line[w - 1] = '\0';
            if (cur) {
                char *joined;
                cr_assert(asprintf(&joined, "%s%s", cur, line) > 0);
                free(cur);
                free(line);
                line = joined;
            }
            cur = is_cont ? line : NULL;
            const char *s = line + strspn(line, " ");
            if (!is_cont && *s && *s != '#') {
                cmds = realloc(cmds, (n + 2) * sizeof(*cmds));
                cmds[n++] = line;
                cmds[n] = NULL;
            } else if (!is_cont) {
                free(line);
            }
        }
        l += w + (l[w] == '\n');
    }
    free(cur);
    return cmds;
}

/* Runs one command in dir with pardemo from bindir on PATH. Returns
 * NULL, or what went wrong (malloc'd). */
static char *run_command(const char *sheet, const char *dir,
                         const char *bindir, const char *cmd)
{
    char *line, *why = NULL;
    struct cmd_out c;

    cr_assert(asprintf(&line, "cd '%s' && export PATH='%s':\"$PATH\" "
                       "PARDEMO_QUICK=1 && { %s\n}", dir, bindir, cmd) > 0);
    c = cmd_sh(line, CMD_TIMEOUT_S);
    if (c.status != 0 && asprintf(&why, "%s: `%s` exited %d:\n%s", sheet,
                                  cmd, c.status, c.err) < 0)
        abort();
    cmd_free(&c);
    free(line);
    return why;
}

/* The ```pycon blocks of the worksheet and its answers, as doctests
 * (tests/spark/sheet.py) run by pardemo spark in dir. */
static void run_pycon(const char *sheet, const char *dir)
{
    char *bin = realpath(pardemo_bin(), NULL);
    char *runner, *sheet_path, *answers, *line;
    struct cmd_out c;

    cr_assert(asprintf(&line, "%s/%s", SHEETS, sheet) > 0);
    sheet_path = realpath(line, NULL);
    free(line);
    cr_assert(asprintf(&line, "%s/answers/%s", SHEETS, sheet) > 0);
    answers = realpath(line, NULL);
    free(line);
    runner = realpath("spark/sheet.py", NULL);
    cr_assert(bin && runner && sheet_path && answers);
    cr_assert(asprintf(&line, "cd '%s' && '%s' spark -t 2 '%s' '%s' '%s'",
                       dir, bin, runner, sheet_path, answers) > 0);
    c = cmd_sh(line, CMD_TIMEOUT_S);
    cr_expect_eq(c.status, 0, "%s: its Python sessions print otherwise:\n"
                 "%s\n%s", sheet, c.out, c.err);
    cmd_free(&c);
    free(line);
    free(runner);
    free(sheet_path);
    free(answers);
    free(bin);
}

static bool has_pycon(const char *sheet)
{
    char path[PATH_MAX];
    char *text;
    bool found;

    snprintf(path, sizeof(path), "%s/answers/%s", SHEETS, sheet);
    text = access(path, R_OK) == 0 ? file_text(path) : strdup("");
    found = strstr(text, "```pycon") != NULL;
    free(text);
    return found;
}

static void run_sheet(const char *sheet)
{
    char path[PATH_MAX], topic[64], bin[PATH_MAX], bindir[PATH_MAX];
    char missing[64];
    const char *const list_args[] = { "list", NULL };
    struct cmd_out list = cmd_run_env(list_args, NULL, NULL, 30);
    char *text, *dir, **cmds, *failed = NULL;
    int ran = 0, skipped = 0;

    snprintf(topic, sizeof(topic), "%.*s", (int)strcspn(sheet + 3, "."),
             sheet + 3);
    if (!is_topic(list.out, topic, strlen(topic))) {
        cmd_free(&list);
        cr_skip("%s: topic '%s' is not in this pardemo yet", sheet, topic);
    }
    snprintf(path, sizeof(path), "%s/%s", SHEETS, sheet);
    text = file_text(path);
    cmds = sh_commands(text);
    cr_assert(realpath(pardemo_bin(), bin), "no binary at %s",
              pardemo_bin());
    snprintf(bindir, sizeof(bindir), "%s", dirname(bin));
    for (char **c = cmds; *c; c++)
        if (strstr(*c, "pardemo plot"))
            require_tool("gnuplot", "gnuplot-nox");
    dir = make_tmpdir();
    cr_assert(dir);
    for (char **c = cmds; *c && !failed; c++) {
        if (needs_missing_topic(list.out, *c, missing, sizeof(missing))) {
            cr_log_warn("%s: skipped `%s`: no '%s' yet", sheet, *c, missing);
            skipped++;
        } else {
            failed = run_command(sheet, dir, bindir, *c);
            ran++;
        }
    }
    if (!failed && (strstr(text, "```pycon") || has_pycon(sheet)))
        run_pycon(sheet, dir);
    rm_tree(dir);           /* also when a command failed */
    free(dir);
    cr_assert_null(failed, "%s", failed);
    for (char **c = cmds; *c; c++)
        free(*c);
    free(cmds);
    free(text);
    cmd_free(&list);
    cr_assert(ran + skipped > 0, "%s has no ```sh commands", sheet);
    if (ran == 0)
        cr_skip("%s: all %d commands wait for topics not built yet", sheet,
                skipped);
}

/* One test per worksheet on disk (the folder is the list). */
struct sheet_param {
    char file[64];                  /* "04-race.md" */
};

ParameterizedTestParameters(worksheets, runs)
{
    struct sheet_param *ps;
    glob_t g;
    size_t n = 0;

    if (glob(SHEETS "/[0-9][0-9]-*.md", 0, NULL, &g) != 0)
        return cr_make_param_array(struct sheet_param, NULL, 0);
    ps = cr_malloc(sizeof(*ps) * g.gl_pathc);
    for (size_t i = 0; ps && i < g.gl_pathc; i++)
        snprintf(ps[n++].file, sizeof(ps->file), "%s",
                 strrchr(g.gl_pathv[i], '/') + 1);
    globfree(&g);
    return cr_make_param_array(struct sheet_param, ps, n);
}

ParameterizedTest(struct sheet_param *sp, worksheets, runs, .timeout = 1800)
{
    run_sheet(sp->file);
}

/* Every worksheet on disk is about a topic of `pardemo list`, has the
 * parts the course promises, and has its instructor answers. */
Test(worksheets, every_sheet_is_tested_and_complete)
{
    static const char *const parts[] = {
        "## Goals", "## Predict, run, explain", "## Exercise: edit the C",
        "## Chart", "```sh\n",
    };
    const char *const list_args[] = { "list", NULL };
    struct cmd_out list = cmd_run_env(list_args, NULL, NULL, 30);
    glob_t g;

    cr_assert_eq(glob(SHEETS "/[0-9][0-9]-*.md", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        char answers[PATH_MAX];
        cr_expect(is_topic(list.out, base + 3, strcspn(base + 3, ".")),
                  "worksheet %s: no such topic in `pardemo list`", base);
        char *text = file_text(g.gl_pathv[i]);
        for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++)
            cr_expect(strstr(text, parts[p]), "%s lacks '%s'", base,
                      parts[p]);
        free(text);
        snprintf(answers, sizeof(answers), SHEETS "/answers/%s", base);
        text = file_text(answers);
        cr_expect(strstr(text, "2-core") && strstr(text, "8-core"),
                  "answers/%s must say what a 2-core and an 8-core machine "
                  "show", base);
        free(text);
    }
    globfree(&g);
    cmd_free(&list);
}

/* The extractor itself: blocks, continuations, comments, other fences. */
Test(worksheets, extracts_sh_lines_only)
{
    const char *md =
        "text\n```sh\npardemo race -t 2\n# a comment\n\npardemo race \\\n"
        "  --quick\n```\n```\nmake test\n```\n```python\nprint(1)\n```\n"
        "```sh\necho done\n```\n";
    char **cmds = sh_commands(md);

    cr_assert_str_eq(cmds[0], "pardemo race -t 2");
    cr_assert_str_eq(cmds[1], "pardemo race   --quick");
    cr_assert_str_eq(cmds[2], "echo done");
    cr_assert_null(cmds[3]);
    for (char **c = cmds; *c; c++)
        free(*c);
    free(cmds);
    char missing[64];
    const char *list = "  race         races\n  tour         tour\n";
    cr_assert(!needs_missing_topic(list, "pardemo race -t 2", missing, 64));
    cr_assert(needs_missing_topic(list, "pardemo bench race -o r.csv && "
                                  "pardemo plot r.csv", missing, 64));
    cr_assert_str_eq(missing, "bench");
    cr_assert(!needs_missing_topic(list, "pardemo --version", missing, 64));
}
