/* quiz.c - the lecture's knowledge checks, and questions you answer by
 * running pardemo. On a terminal it asks one question at a time; with
 * --answers (or answers on a pipe) it marks them all at once and exits 0
 * only on full marks, so a class can autograde it. The bank is plain text:
 * worksheets/quiz.txt (tools/quizbank.c loads it).
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "notice.h"
#include "quizbank.h"
#include "report.h"
#include "demos.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRAP_COLS 76
#define STDIN_MAX_BYTES (64 * 1024)

struct quiz_opts {
    const char *topic;
    const char *answers;
};

static const struct cli_opt quiz_cli_opts[] = {
    { "topic", 0, CLI_STR, "T", "only the questions on topic T ('polls': "
      "the lecture's four polls)", 0, 0, NULL,
      offsetof(struct quiz_opts, topic) },
    { "answers", 0, CLI_STR, "A,B,..", "mark these answers, one letter per "
      "question, without asking", 0, 0, NULL,
      offsetof(struct quiz_opts, answers) },
    { 0 },
};

static const struct cli_spec quiz_spec = {
    .common = CLI_FORMAT,
    .opts = quiz_cli_opts,
    .examples = "pardemo quiz --topic race\n"
                "pardemo quiz --topic polls --answers D,C,A,D\n"
                "printf 'D\\nC\\nA\\nD\\n' | pardemo quiz --topic polls",
};

/* Display width of s[0..n): UTF-8 code points, not bytes. */
static size_t width_n(const char *s, size_t n)
{
    size_t w = 0;

    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Prints text word-wrapped at WRAP_COLS: the first line starts with first,
 * the others with indent; a '\n' in text starts a new paragraph. */
static void wrap(FILE *f, const char *first, const char *indent,
                 const char *text)
{
    size_t col = strlen(first);
    bool is_line_start = true;

    fputs(first, f);
    while (*text) {
        size_t w = strcspn(text, " \n");
        const char *close = *text == '`' ? strchr(text + 1, '`') : NULL;
        if (close)                      /* keep `a command` on one line */
            w = (size_t)(close + 1 - text) + strcspn(close + 1, " \n");
        if (*text == '\n') {
            fprintf(f, "\n%s", indent);
            col = strlen(indent);
            is_line_start = true;
            text++;
            continue;
        }
        if (!is_line_start && col + 1 + w > WRAP_COLS) {
            fprintf(f, "\n%s", indent);
            col = strlen(indent);
        } else if (!is_line_start) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", (int)w, text);
        col += width_n(text, w);
        is_line_start = false;
        text += w;
        text += strspn(text, " ");
    }
    fputc('\n', f);
}

static void print_question(FILE *f, const struct quiz_question *q, size_t i,
                           size_t n)
{
    fprintf(f, "Question %zu of %zu  [%s]", i + 1, n, q->topic);
    if (q->poll)
        fprintf(f, "  (the lecture's knowledge-check poll %d)", q->poll);
    fputc('\n', f);
    wrap(f, "", "", q->ask);
    for (int c = 0; c < q->nchoices; c++) {
        char head[8];
        snprintf(head, sizeof(head), "  %c. ", 'A' + c);
        wrap(f, head, "     ", q->choice[c]);
    }
}

static void print_verdict(FILE *f, const struct quiz_question *q, int given)
{
    if (given == q->answer)
        fprintf(f, "Your answer: %c - right.\n", 'A' + given);
    else
        fprintf(f, "Your answer: %c - wrong; the answer is %c.\n",
                'A' + given, 'A' + q->answer);
    wrap(f, "  ", "  ", q->feedback);
}

/* One question, the answer given and its feedback, as a paragraph of the
 * text view. */
static void report_question(struct report *r, const struct quiz_question *q,
                            size_t i, size_t n, int given)
{
    char *block = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&block, &len);

    if (!m) {
        cli_error("quiz", "out of memory");
        exit(1);
    }
    print_question(m, q, i, n);
    print_verdict(m, q, given);
    fclose(m);
    if (len && block[len - 1] == '\n')
        block[len - 1] = '\0';
    report_text(r, "%s", block);
    free(block);
}

/* The answers as a table, the part CSV and JSON keep for autograding. */
static void answers_table(struct report *r, const struct quiz_question **qs,
                          size_t n, const int *given)
{
    struct table *t = report_table(r, "answers", "Your answers");

    table_col(t, "question", "question", U_INT);
    table_col(t, "topic", "topic", U_TEXT);
    table_col(t, "given", "yours", U_TEXT);
    table_col(t, "correct", "correct", U_TEXT);
    table_col(t, "result", "result", U_TEXT);
    for (size_t i = 0; i < n; i++) {
        char yours[2] = { (char)('A' + given[i]), '\0' };
        char correct[2] = { (char)('A' + qs[i]->answer), '\0' };
        table_num(t, (double)(i + 1));
        table_str(t, qs[i]->topic);
        table_str(t, yours);
        table_str(t, correct);
        table_str(t, given[i] == qs[i]->answer ? "right" : "wrong");
    }
    table_end(t);
}

/* The score: right answers of n (a count, so the relations are exact). */
static void report_score(struct report *r, size_t right, size_t n)
{
    struct notices ns;
    struct notice *x;

    notices_init(&ns);
    x = notice_add(&ns, right == n ? "quiz.full_marks" : "quiz.score");
    notice_num(x, "right", (double)right, U_INT);
    notice_num(x, "n", (double)n, U_INT);
    notice_num(x, "share", (double)right / (double)n, U_PCT);
    notice_rel(x, "right", right == n ? REL_EQ : REL_VLT, 1, "n");
    notice_say(x, "Score: {right}/{n} ({share}).%s", right == n ?
               " Full marks." : " Re-run the topics named in the feedback "
               "and try again.");
    report_notices(r, &ns);
}

/* Marks given[0..n) as a report: each question with its feedback (text
 * view), a table of answers (every format) and the score. Returns 0 on
 * full marks, else 1. */
static int mark_all(const struct run_params *p, const char *topic,
                    const struct quiz_question **qs, size_t n,
                    const int *given)
{
    struct report *r;
    size_t right = 0;

    r = report_begin(p, "Quiz", "The lecture's knowledge checks, and "
                     "questions answered by running pardemo.");
    report_param(r, "topic", "%s", topic ? topic : "all");
    report_param(r, "questions", "%zu", n);
    for (size_t i = 0; i < n; i++) {
        report_question(r, qs[i], i, n, given[i]);
        right += given[i] == qs[i]->answer;
    }
    answers_table(r, qs, n, given);
    report_score(r, right, n);
    report_end(r);
    return right == n ? 0 : 1;
}

/* Reads all of standard input (answers on a pipe), at most
 * STDIN_MAX_BYTES, into *text (malloc'd). Returns -1 when done, else the
 * exit status: 1 if it cannot be read, 2 if it is not text (error
 * printed). */
static int read_stdin(char **text)
{
    char *buf = malloc(STDIN_MAX_BYTES + 1);
    size_t n = 0, got;

    *text = NULL;
    if (!buf) {
        cli_error("quiz", "out of memory");
        return 1;
    }
    while (n < STDIN_MAX_BYTES &&
           (got = fread(buf + n, 1, STDIN_MAX_BYTES - n, stdin)) > 0)
        n += got;
    if (ferror(stdin)) {
        cli_error("quiz", "cannot read answers from standard input: %s",
                  cli_strerror(errno));
        free(buf);
        return 1;
    }
    buf[n] = '\0';
    if (strlen(buf) != n || (n == STDIN_MAX_BYTES && getchar() != EOF)) {
        cli_error("quiz", "standard input is not a list of answers "
                  "(NUL bytes, or more than %d bytes)", STDIN_MAX_BYTES);
        free(buf);
        return 2;
    }
    *text = buf;
    return -1;
}

/* Asks q on the terminal until the answer is one of its letters. Returns
 * the answer's index, or -1 at end of input (Ctrl-D). */
static int ask_one(const struct quiz_question *q, size_t i, size_t n)
{
    char *line = NULL;
    size_t cap = 0;
    int given = -1;

    printf("\n");
    print_question(stdout, q, i, n);
    for (;;) {
        printf("Your answer (A-%c): ", 'A' + q->nchoices - 1);
        fflush(stdout);
        if (getline(&line, &cap, stdin) < 0)
            break;
        if ((given = quiz_letter(line, q->nchoices)) >= 0)
            break;
        printf("Please answer with one letter, A to %c.\n",
               'A' + q->nchoices - 1);
    }
    free(line);
    return given;
}

/* One question at a time on a terminal; the score at the end. Returns 0 on
 * full marks, else 1 (also when the student stops early). */
static int ask_all(const struct quiz_question **qs, size_t n)
{
    size_t i, right = 0;

    printf("Quiz: %zu question%s. Answer each with a letter; Ctrl-D "
           "stops.\n", n, n == 1 ? "" : "s");
    for (i = 0; i < n; i++) {
        int given = ask_one(qs[i], i, n);
        if (given < 0) {
            printf("\n\nStopped after %zu of %zu questions.\n", i, n);
            break;
        }
        print_verdict(stdout, qs[i], given);
        right += given == qs[i]->answer;
    }
    printf("\nScore: %zu/%zu%s\n", right, n,
           right == n ? ". Full marks." : "");
    return right == n ? 0 : 1;
}

/* The topics that have questions, for the error line of a bad --topic. */
static void bank_topics(const struct quiz_bank *bank, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < bank->n && used + 1 < len; i++) {
        const char *t = bank->q[i].topic;
        bool is_seen = false;
        for (size_t j = 0; j < i && !is_seen; j++)
            is_seen = !strcmp(bank->q[j].topic, t);
        if (!is_seen)
            used += (size_t)snprintf(buf + used, len - used, "%s, ", t);
    }
    if (used + 1 < len)
        snprintf(buf + used, len - used, "polls");
}

/* Marks the answers in text (from --answers or stdin); 2 if malformed. */
static int mark_text(const struct run_params *p, const struct quiz_opts *o,
                     const struct quiz_question **qs, size_t n,
                     const char *text, const char *from)
{
    char err[QUIZ_ERR_LEN];
    int *given = calloc(n, sizeof(*given));
    int rc;

    if (!given) {
        cli_error("quiz", "out of memory");
        return 1;
    }
    if (quiz_parse_answers(text, (const struct quiz_question *const *)qs, n,
                           given, err, sizeof(err)) < 0) {
        cli_error("quiz", "%s: %s", from, err);
        rc = 2;
    } else {
        rc = mark_all(p, o->topic, qs, n, given);
    }
    free(given);
    return rc;
}

static int run_quiz(const struct run_params *p, const struct quiz_opts *o,
                    const struct quiz_bank *bank)
{
    const struct quiz_question **qs = calloc(bank->n, sizeof(*qs));
    char topics[512];
    size_t n;
    int rc;

    if (!qs) {
        cli_error("quiz", "out of memory");
        return 1;
    }
    n = quiz_select(bank, o->topic, qs);
    if (n == 0) {
        bank_topics(bank, topics, sizeof(topics));
        cli_error("quiz", "--topic: no questions on '%s' (the bank has: %s)",
                  o->topic, topics);
        rc = 2;
    } else if (o->answers) {
        rc = mark_text(p, o, qs, n, o->answers, "--answers");
    } else if (!isatty(STDIN_FILENO)) {
        char *text;
        if ((rc = read_stdin(&text)) < 0)
            rc = mark_text(p, o, qs, n, text, "standard input");
        free(text);
    } else {
        rc = ask_all(qs, n);
    }
    free(qs);
    return rc;
}

static int quiz_main(int argc, char **argv)
{
    struct run_params p;
    struct quiz_opts o = { NULL, NULL };
    struct quiz_bank bank;
    char *path, err[QUIZ_ERR_LEN];
    int rc;

    cli_defaults(&p, "quiz");
    if ((rc = cli_parse(&demo_quiz, argc, argv, &p, &o)) >= 0)
        return rc;
    if (!(path = quiz_find_bank())) {
        cli_error("quiz", "no quiz bank: %s is not in $PARDEMO_DATA, "
                  "PREFIX/share/pardemo, the source tree or here", QUIZ_BANK);
        return 1;
    }
    rc = quiz_load(path, &bank, err, sizeof(err));
    free(path);
    if (rc < 0) {
        cli_error("quiz", "%s", err);
        return 1;
    }
    rc = run_quiz(&p, &o, &bank);
    quiz_free(&bank);
    return rc;
}

const struct demo demo_quiz = {
    .name = "quiz",
    .summary = "the lecture's knowledge checks, and questions on the topics",
    .main = quiz_main,
    .spec = &quiz_spec,
};
