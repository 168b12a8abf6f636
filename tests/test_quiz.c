/* test_quiz.c - the quiz bank loader, answer parsing, the real bank (the
 * lecture's four polls verbatim, questions on every topic) and
 * `pardemo quiz` marking: right, wrong, partial, malformed, on a pipe and
 * on a terminal (a pseudo-terminal). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pty.h"
#include "quizbank.h"

#define BANK "../worksheets/quiz.txt"
#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

static int parse_str(const char *text, struct quiz_bank *b, char *err)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    int rc;

    cr_assert(f);
    rc = quiz_parse(f, "bank", b, err, QUIZ_ERR_LEN);
    fclose(f);
    return rc;
}

static const char good[] =
    "\xEF\xBB\xBF# a comment after a BOM\n"
    "topic: race\n"
    "poll: 2\n"
    "ask: Which one\n"
    "  loses updates?\n"
    "A: unsync\n"
    "B: mutex\n"
    "C: atomic\n"
    "answer: a\n"
    "feedback: Two threads\n"
    "  read the same value.\n"
    "  .\n"
    "  See race.\n"
    "\n"
    "topic: threads\r\n"
    "ask: Which is dearer?\r\n"
    "A: fork\r\n"
    "B: thread\r\n"
    "answer: A\r\n"
    "feedback: fork.\r\n";

Test(quiz, parses_blocks_continuations_and_paragraphs)
{
    struct quiz_bank b;
    char err[QUIZ_ERR_LEN];

    cr_assert_eq(parse_str(good, &b, err), 0, "%s", err);
    cr_assert_eq(b.n, 2);
    cr_assert_str_eq(b.q[0].topic, "race");
    cr_assert_eq(b.q[0].poll, 2);
    cr_assert_str_eq(b.q[0].ask, "Which one loses updates?");
    cr_assert_eq(b.q[0].nchoices, 3);
    cr_assert_str_eq(b.q[0].choice[2], "atomic");
    cr_assert_eq(b.q[0].answer, 0);
    cr_assert_str_eq(b.q[0].feedback,
                     "Two threads read the same value.\nSee race.");
    cr_assert_eq(b.q[0].line, 2);
    cr_assert_str_eq(b.q[1].ask, "Which is dearer?");
    cr_assert_eq(b.q[1].poll, 0);
    cr_assert_eq(b.q[1].line, 15);
    quiz_free(&b);
}

struct bad_bank {
    const char *text, *err;
};

static const struct bad_bank bad_banks[] = {
    { "", "bank:0: no questions in the bank" },
    { "# only a comment\n", "bank:1: no questions in the bank" },
    { "ask: x\n", "bank:1: 'ask:' before the first 'topic:'" },
    { "topic: race\nask x\n", "bank:2: expected 'key: value' (got 'ask x')" },
    { "topic: Race!\n", "bank:1: topic 'Race!' must be a pardemo topic "
      "name (a-z, 0-9, -)" },
    { "topic: race\nA: a\nC: c\n", "bank:3: choice C out of order "
      "(expected B)" },
    { "topic: race\nask: q\nA: a\nB: b\nanswer: C\nfeedback: f\n",
      "bank:1: answer C is not one of the choices A-B" },
    { "topic: race\nask: q\nA: a\nB: b\nfeedback: f\n",
      "bank:1: question has no 'answer:' line" },
    { "topic: race\nA: a\nB: b\nanswer: A\nfeedback: f\n",
      "bank:1: question has no 'ask:' line" },
    { "topic: race\nask: q\nA: a\nanswer: A\nfeedback: f\n",
      "bank:1: question needs at least choices A and B" },
    { "topic: race\nask: q\nA: a\nB: b\nanswer: A\n",
      "bank:1: question has no 'feedback:' line" },
    { "topic: race\nask: q\nask: again\n",
      "bank:3: second 'ask:' in one question" },
    { "topic: race\nanswer: AB\n", "bank:2: 'answer:' must be one letter "
      "A-F (got 'AB')" },
    { "topic: race\npoll: x\n", "bank:2: 'poll:' must be a number 1..99 "
      "(got 'x')" },
    { "topic: race\nhint: x\n", "bank:2: unknown key 'hint' (topic, poll, "
      "ask, A..F, answer, feedback)" },
    { "  floating\n", "bank:1: indented line continues nothing" },
    { "topic: race\nask:\n", "bank:2: 'ask:' is empty" },
    { "topic: a\nask: q\nA: a\nB: b\nanswer: A\nfeedback: f\ntopic: b\n",
      "bank:7: question has no 'ask:' line" },
};

Test(quiz, bad_bank_is_one_line_with_its_line)
{
    for (size_t i = 0; i < sizeof(bad_banks) / sizeof(bad_banks[0]); i++) {
        const struct bad_bank *c = &bad_banks[i];
        struct quiz_bank b;
        char err[QUIZ_ERR_LEN];

        cr_assert_eq(parse_str(c->text, &b, err), -1, "case %zu", i);
        cr_assert_str_eq(err, c->err, "case %zu", i);
        cr_assert_eq(b.n, 0);
        cr_assert_null(b.q);
    }
}

Test(quiz, missing_file_names_the_cause)
{
    struct quiz_bank b;
    char err[QUIZ_ERR_LEN];

    cr_assert_eq(quiz_load("/nonexistent/quiz.txt", &b, err, sizeof(err)),
                 -1);
    cr_assert_str_eq(err, "/nonexistent/quiz.txt: No such file or "
                     "directory");
}

Test(quiz, letters)
{
    cr_assert_eq(quiz_letter("A", 4), 0);
    cr_assert_eq(quiz_letter(" d \n", 4), 3);
    cr_assert_eq(quiz_letter("E", 4), -1);
    cr_assert_eq(quiz_letter("", 4), -1);
    cr_assert_eq(quiz_letter("\n", 4), -1);
    cr_assert_eq(quiz_letter("AB", 4), -1);
    cr_assert_eq(quiz_letter("1", 4), -1);
}

struct answers_case {
    const char *text;
    int rc;
    const char *err;
};

static const struct answers_case answers_cases[] = {
    { "D,C,A", 0, "" },
    { "d, c ,a\n", 0, "" },
    { "D\nC\nA\n", 0, "" },
    { "D C A", 0, "" },
    { "D,C", -1, "2 answers for 3 questions" },
    { "D,C,A,B", -1, "4 answers for 3 questions" },
    { "", -1, "0 answers for 3 questions" },
    { "D,E,A", -1, "answer 2 is 'E'; question 2 takes one letter A-D" },
    { "D,C,D", -1, "answer 3 is 'D'; question 3 takes one letter A-C" },
    { "D,,A", -1, "answer 2 is empty; question 2 takes one letter A-D" },
    { "D,CC,A", -1, "answer 2 is 'CC'; question 2 takes one letter A-D" },
    { "D,C,A,", -1, "4 answers for 3 questions" },
};

Test(quiz, parses_answers)
{
    struct quiz_question q[3] = { { .nchoices = 4 }, { .nchoices = 4 },
                                  { .nchoices = 3 } };
    const struct quiz_question *qs[3] = { &q[0], &q[1], &q[2] };

    for (size_t i = 0; i < sizeof(answers_cases) / sizeof(answers_cases[0]);
         i++) {
        const struct answers_case *c = &answers_cases[i];
        int given[3] = { -1, -1, -1 };
        char err[QUIZ_ERR_LEN];

        cr_assert_eq(quiz_parse_answers(c->text, qs, 3, given, err,
                                        sizeof(err)), c->rc, "'%s': %s",
                     c->text, err);
        cr_assert_str_eq(err, c->err, "'%s'", c->text);
        if (c->rc == 0) {
            cr_assert_eq(given[0], 3);
            cr_assert_eq(given[1], 2);
            cr_assert_eq(given[2], 0);
        }
    }
}

/* The real bank: loads, has the four polls with the lecture's answers and
 * at least three questions on every lecture topic (every topic with a
 * worksheet). */
Test(quiz, real_bank_has_polls_and_every_topic)
{
    char **topics = worksheet_topics();
    size_t ntopics = 0;
    struct quiz_bank b;
    const struct quiz_question **qs;
    char err[QUIZ_ERR_LEN];
    size_t n;

    while (topics[ntopics])
        ntopics++;
    cr_assert_eq(quiz_load(BANK, &b, err, sizeof(err)), 0, "%s", err);
    qs = calloc(b.n, sizeof(*qs));
    n = quiz_select(&b, "polls", qs);
    cr_assert_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(qs[i]->poll, (int)i + 1);
        cr_assert_eq(qs[i]->answer, "DCAD"[i] - 'A');
        cr_assert_eq(qs[i]->nchoices, 4);
        cr_assert(strstr(qs[i]->feedback, "The correct statement is "));
    }
    for (size_t t = 0; t < ntopics; t++) {
        n = quiz_select(&b, topics[t], qs);
        cr_assert_geq(n, 3, "%s has %zu questions", topics[t], n);
    }
    for (size_t i = 0; i < b.n; i++) {     /* no typo in a topic name */
        size_t t = 0;
        while (t < ntopics && strcmp(topics[t], b.q[i].topic))
            t++;
        cr_expect(t < ntopics,
                  "quiz.txt:%d: unknown topic '%s'", b.q[i].line,
                  b.q[i].topic);
    }
    cr_assert_eq(quiz_select(&b, NULL, qs), b.n);
    cr_assert_eq(quiz_select(&b, "nope", qs), 0);
    free(qs);
    quiz_free(&b);
    free_strv(topics);
}

/* Joins a Markdown list item's lines as the bank does. */
static void squeeze(char *s)
{
    char *w = s;

    for (char *r = s; *r; r++) {
        if (*r == '*')
            continue;
        if (*r == '\n' || *r == ' ') {
            if (w > s && w[-1] != ' ')
                *w++ = ' ';
            continue;
        }
        *w++ = *r;
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

/* The polls are the lecture's, word for word: every question and choice
 * of the bank's polls appears in the lecture file. */
Test(quiz, polls_are_verbatim_from_the_lecture)
{
    const char *shared = getenv("PARDEMO_SHARED");
    char path[4096], err[QUIZ_ERR_LEN], *lecture = NULL;
    struct quiz_bank b;
    size_t len = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/lecture/parallel-programming.md",
             shared ? shared : "../../shared");
    if (!(f = fopen(path, "r")))
        cr_skip("no lecture at %s", path);
    cr_assert(getdelim(&lecture, &len, '\0', f) > 0);
    fclose(f);
    squeeze(lecture);
    cr_assert_eq(quiz_load(BANK, &b, err, sizeof(err)), 0, "%s", err);
    for (size_t i = 0; i < b.n; i++) {
        const struct quiz_question *q = &b.q[i];
        if (!q->poll)
            continue;
        cr_expect(strstr(lecture, q->ask), "poll %d: %s", q->poll, q->ask);
        for (int c = 0; c < q->nchoices; c++) {
            char item[1024];
            snprintf(item, sizeof(item), "- %c. %s", 'A' + c, q->choice[c]);
            cr_expect(strstr(lecture, item), "poll %d: %s", q->poll, item);
        }
        char *fb = strdup(q->feedback);
        fb[strcspn(fb, "\n")] = '\0';
        cr_expect(strstr(lecture, fb), "poll %d feedback: %s", q->poll, fb);
        free(fb);
    }
    quiz_free(&b);
    free(lecture);
}

Test(quiz_cli, full_marks_exit_0)
{
    struct cmd_out c = RUN("quiz", "--topic", "polls", "--answers",
                           "D,C,A,D");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert_str_empty(c.err);
    cr_assert(strstr(c.out, "Score: 4/4 (100%). Full marks."));
    cr_assert(strstr(c.out, "Your answer: A - right."));
    cr_assert(strstr(c.out, "The correct statement is C"));
    cmd_free(&c);
}

Test(quiz_cli, all_wrong_exit_1_with_feedback)
{
    struct cmd_out c = RUN("quiz", "--topic", "polls", "--answers",
                           "a,a,b,a");

    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.err);
    cr_assert(strstr(c.out, "Your answer: A - wrong; the answer is D."));
    cr_assert(strstr(c.out, "Your answer: B - wrong; the answer is A."));
    cr_assert(strstr(c.out, "pardemo manager"), "poll 2's nuance");
    cr_assert(strstr(c.out, "pardemo gil"), "poll 1's nuance");
    cr_assert(strstr(c.out, "Score: 0/4 (0%)."));
    cmd_free(&c);
}

Test(quiz_cli, partial_marks_exit_1_and_csv_rows)
{
    struct cmd_out c = RUN("quiz", "--topic", "polls", "--answers",
                           "D,C,B,D", "--format", "csv");

    cr_assert_eq(c.status, 1);
    cr_assert(strstr(c.out, "table,question,topic,given,correct,result\n"));
    cr_assert(strstr(c.out, "answers,1,concurrency,D,D,right\n"));
    cr_assert(strstr(c.out, "answers,3,forkjoin,B,A,wrong\n"));
    cr_assert_null(strstr(c.out, "Your answer"), "no text in CSV");
    cmd_free(&c);
}

Test(quiz_cli, answers_on_a_pipe)
{
    const char *const args[] = { "quiz", "--topic", "polls", NULL };
    struct cmd_out c = cmd_run_env(args, "D\nC\nA\nD\n", NULL, 30);

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Score: 4/4"));
    cmd_free(&c);
    c = cmd_run_env(args, "D\nC\nE\nD\n", NULL, 30);
    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: quiz: standard input: answer 3 is "
                     "'E'; question 3 takes one letter A-D\n");
    cmd_free(&c);
}

struct bad_cli {
    const char *answers, *err;
};

static const struct bad_cli bad_clis[] = {
    { "D,C,A", "pardemo: quiz: --answers: 3 answers for 4 questions\n" },
    { "D,C,A,D,D", "pardemo: quiz: --answers: 5 answers for 4 "
      "questions\n" },
    { "D,C,E,D", "pardemo: quiz: --answers: answer 3 is 'E'; question 3 "
      "takes one letter A-D\n" },
    { "", "pardemo: quiz: --answers: 0 answers for 4 questions\n" },
    { "D,,A,D", "pardemo: quiz: --answers: answer 2 is empty; question 2 "
      "takes one letter A-D\n" },
    { "1,2,3,4", "pardemo: quiz: --answers: answer 1 is '1'; question 1 "
      "takes one letter A-D\n" },
};

Test(quiz_cli, malformed_answers_exit_2)
{
    for (size_t i = 0; i < sizeof(bad_clis) / sizeof(bad_clis[0]); i++) {
        const struct bad_cli *b = &bad_clis[i];
        struct cmd_out c = RUN("quiz", "--topic", "polls", "--answers",
                               b->answers);

        cr_assert_eq(c.status, 2, "'%s'", b->answers);
        cr_assert_str_empty(c.out);
        cr_assert_str_eq(c.err, b->err);
        cmd_free(&c);
    }
}

Test(quiz_cli, topic_filter_and_unknown_topic)
{
    struct cmd_out c = RUN("quiz", "--topic", "race", "--answers",
                           "a,c,a,b");

    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Question 4 of 4  [race]"));
    cr_assert(strstr(c.out, "pardemo race -t 2"));
    cmd_free(&c);
    c = RUN("quiz", "--topic", "nope");
    cr_assert_eq(c.status, 2);
    cr_assert_str_empty(c.out);
    cr_assert(strncmp(c.err, "pardemo: quiz: --topic: no questions on "
                      "'nope' (the bank has: concurrency, ", 66) == 0);
    cr_assert_eq(count_lines(c.err), 1);
    cmd_free(&c);
}

/* A copy of the binary in an empty directory: no bank anywhere, then an
 * installed layout PREFIX/bin + PREFIX/share/pardemo/worksheets. */
Test(quiz_cli, finds_an_installed_bank_and_says_when_there_is_none)
{
    char *dir = make_tmpdir(), line[2048];
    struct cmd_out c;

    snprintf(line, sizeof(line), "mkdir '%s/bin' && cp '%s' '%s/bin/'",
             dir, pardemo_bin(), dir);
    c = cmd_sh(line, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cmd_free(&c);
    snprintf(line, sizeof(line), "cd '%s' && unset PARDEMO_DATA && "
             "./bin/pardemo quiz --answers A", dir);
    c = cmd_sh(line, 30);
    cr_assert_eq(c.status, 1);
    cr_assert_str_empty(c.out);
    cr_assert_str_eq(c.err, "pardemo: quiz: no quiz bank: worksheets/quiz.txt"
                     " is not in $PARDEMO_DATA, PREFIX/share/pardemo, the "
                     "source tree or here\n");
    cmd_free(&c);
    snprintf(line, sizeof(line), "mkdir -p '%s/share/pardemo/worksheets' && "
             "cp %s '%s/share/pardemo/worksheets/' && cd / && unset "
             "PARDEMO_DATA && '%s/bin/pardemo' quiz --topic polls "
             "--answers D,C,A,D", dir, BANK, dir, dir);
    c = cmd_sh(line, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Score: 4/4"));
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(quiz_cli, pardemo_data_names_a_bank)
{
    char *dir = make_tmpdir(), path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/mine.txt", dir);
    f = fopen(path, "w");
    fputs("topic: race\nask: q\nA: a\nB: b\nanswer: B\nfeedback: f\n", f);
    fclose(f);
    char env0[600];
    snprintf(env0, sizeof(env0), "PARDEMO_DATA=%s", path);
    const char *const env[] = { env0, NULL };
    const char *const args[] = { "quiz", "--answers", "b", NULL };
    struct cmd_out c = cmd_run_env(args, NULL, env, 30);
    cr_assert_eq(c.status, 0, "%s", c.err);
    cr_assert(strstr(c.out, "Score: 1/1"));
    cmd_free(&c);
    f = fopen(path, "w");
    fputs("topic: race\nask: q\n", f);
    fclose(f);
    c = cmd_run_env(args, NULL, env, 30);
    cr_assert_eq(c.status, 1);
    cr_assert(strstr(c.err, "mine.txt:1: question needs at least choices"));
    cr_assert_eq(count_lines(c.err), 1);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

Test(quiz_cli, terminal_asks_again_on_a_bad_answer)
{
    const char *const args[] = { "quiz", "--topic", "polls", NULL };
    int status;
    /* E and an empty line are refused; then two right, one wrong, one
     * right */
    char *out = pty_run(args, "E\n\nd\nC\nB\nD\n", 30, &status);

    cr_assert(strstr(out, "Please answer with one letter, A to D."), "%s",
              out);
    cr_assert(strstr(out, "Question 4 of 4"));
    cr_assert(strstr(out, "Your answer: B - wrong; the answer is A."));
    cr_assert(strstr(out, "Score: 3/4"), "%s", out);
    cr_assert_eq(status, 1);
    free(out);
}

Test(quiz_cli, terminal_full_marks_and_ctrl_d)
{
    const char *const args[] = { "quiz", "--topic", "polls", NULL };
    int status;
    char *out = pty_run(args, "D\nC\nA\nD\n", 30, &status);

    cr_assert(strstr(out, "Score: 4/4. Full marks."), "%s", out);
    cr_assert_eq(status, 0);
    free(out);
    out = pty_run(args, "D\n\x04", 30, &status);
    cr_assert(strstr(out, "Stopped after 1 of 4 questions."), "%s", out);
    cr_assert(strstr(out, "Score: 1/4"));
    cr_assert_eq(status, 1);
    free(out);
}
