/* quizbank.c - load the quiz bank (worksheets/quiz.txt) and parse answers.
 * A line-by-line parser of "key: value" blocks: every mistake in the bank
 * is reported as FILE:LINE so that whoever extends it sees where.
 */
#define _GNU_SOURCE
#include "quizbank.h"
#include "datapath.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The parser's state: the bank so far, the question being filled and the
 * field a continuation line would extend. */
struct parser {
    const char *name;
    struct quiz_bank *bank;
    struct quiz_question *cur;
    char **last;
    int line;
    char *err;
    size_t err_len;
};

static int fail(struct parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, int line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(ps->err, ps->err_len, "%s:%d: ", ps->name, line);

    if (n < 0 || (size_t)n >= ps->err_len)
        return -1;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->err_len - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static void free_question(struct quiz_question *q)
{
    free(q->topic);
    free(q->ask);
    for (int i = 0; i < q->nchoices; i++)
        free(q->choice[i]);
    free(q->feedback);
}

void quiz_free(struct quiz_bank *bank)
{
    for (size_t i = 0; i < bank->n; i++)
        free_question(&bank->q[i]);
    free(bank->q);
    bank->q = NULL;
    bank->n = 0;
}

/* Checks that the question just finished is complete. */
static int finish(struct parser *ps)
{
    const struct quiz_question *q = ps->cur;

    if (!q)
        return 0;
    if (!q->ask)
        return fail(ps, q->line, "question has no 'ask:' line");
    if (q->nchoices < 2)
        return fail(ps, q->line, "question needs at least choices A and B");
    if (q->answer < 0)
        return fail(ps, q->line, "question has no 'answer:' line");
    if (q->answer >= q->nchoices)
        return fail(ps, q->line, "answer %c is not one of the choices A-%c",
                    'A' + q->answer, 'A' + q->nchoices - 1);
    if (!q->feedback)
        return fail(ps, q->line, "question has no 'feedback:' line");
    return 0;
}

static int start_question(struct parser *ps, const char *topic)
{
    struct quiz_bank *b = ps->bank;
    struct quiz_question *grown;

    for (const char *c = topic; *c; c++)
        if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) &&
            *c != '-')
            return fail(ps, ps->line, "topic '%s' must be a pardemo topic "
                        "name (a-z, 0-9, -)", topic);
    if (!*topic)
        return fail(ps, ps->line, "'topic:' needs a topic name");
    grown = realloc(b->q, (b->n + 1) * sizeof(*b->q));
    if (!grown)
        return fail(ps, ps->line, "out of memory");
    b->q = grown;
    ps->cur = &b->q[b->n++];
    memset(ps->cur, 0, sizeof(*ps->cur));
    ps->cur->answer = -1;
    ps->cur->line = ps->line;
    ps->cur->topic = strdup(topic);
    ps->last = NULL;
    return ps->cur->topic ? 0 : fail(ps, ps->line, "out of memory");
}

/* Stores a text field once; a second "ask:" in one question is a mistake. */
static int set_text(struct parser *ps, char **field, const char *key,
                    const char *value)
{
    if (*field)
        return fail(ps, ps->line, "second '%s:' in one question", key);
    if (!*value)
        return fail(ps, ps->line, "'%s:' is empty", key);
    if (!(*field = strdup(value)))
        return fail(ps, ps->line, "out of memory");
    ps->last = field;
    return 0;
}

static int set_choice(struct parser *ps, char letter, const char *value)
{
    struct quiz_question *q = ps->cur;
    int i = letter - 'A';

    if (i != q->nchoices)
        return fail(ps, ps->line, "choice %c out of order (expected %c)",
                    letter, 'A' + q->nchoices);
    if (i >= QUIZ_MAX_CHOICES)
        return fail(ps, ps->line, "at most %d choices (A-%c)",
                    QUIZ_MAX_CHOICES, 'A' + QUIZ_MAX_CHOICES - 1);
    if (set_text(ps, &q->choice[i], (char[]){ letter, '\0' }, value) < 0)
        return -1;
    q->nchoices++;
    return 0;
}

static int set_number(struct parser *ps, int *field, const char *value)
{
    char *end;
    long v = strtol(value, &end, 10);

    if (!*value || *end || v < 1 || v > 99)
        return fail(ps, ps->line, "'poll:' must be a number 1..99 (got '%s')",
                    value);
    *field = (int)v;
    ps->last = NULL;
    return 0;
}

static int set_answer(struct parser *ps, const char *value)
{
    int i = quiz_letter(value, QUIZ_MAX_CHOICES);

    if (i < 0)
        return fail(ps, ps->line, "'answer:' must be one letter A-%c "
                    "(got '%s')", 'A' + QUIZ_MAX_CHOICES - 1, value);
    if (ps->cur->answer >= 0)
        return fail(ps, ps->line, "second 'answer:' in one question");
    ps->cur->answer = i;
    ps->last = NULL;
    return 0;
}

/* Appends a continuation line to the field it continues. */
static int continue_field(struct parser *ps, const char *more)
{
    char *grown;
    size_t n;

    if (!ps->last)
        return fail(ps, ps->line, "indented line continues nothing");
    n = strlen(*ps->last);
    if (!(grown = realloc(*ps->last, n + 1 + strlen(more) + 1)))
        return fail(ps, ps->line, "out of memory");
    *ps->last = grown;
    if (!strcmp(more, "."))             /* a lone "." starts a paragraph */
        strcpy(grown + n, "\n");
    else if (n && grown[n - 1] == '\n')
        strcpy(grown + n, more);
    else
        sprintf(grown + n, " %s", more);
    return 0;
}

/* One "key: value" line. */
static int field(struct parser *ps, char *key, char *value)
{
    if (!strcmp(key, "topic"))
        return finish(ps) < 0 ? -1 : start_question(ps, value);
    if (!ps->cur)
        return fail(ps, ps->line, "'%s:' before the first 'topic:'", key);
    if (!strcmp(key, "ask"))
        return set_text(ps, &ps->cur->ask, key, value);
    if (!strcmp(key, "feedback"))
        return set_text(ps, &ps->cur->feedback, key, value);
    if (!strcmp(key, "answer"))
        return set_answer(ps, value);
    if (!strcmp(key, "poll"))
        return set_number(ps, &ps->cur->poll, value);
    if (key[0] >= 'A' && key[0] <= 'Z' && !key[1])
        return set_choice(ps, key[0], value);
    return fail(ps, ps->line, "unknown key '%s' (topic, poll, ask, A..%c, "
                "answer, feedback)", key, 'A' + QUIZ_MAX_CHOICES - 1);
}

static int parse_line(struct parser *ps, char *s)
{
    char *colon;

    s[strcspn(s, "\r\n")] = '\0';
    if (ps->line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
        s += 3;                         /* a UTF-8 BOM some editors add */
    if (*s == '#' || !*trim(s))
        return 0;
    if (*s == ' ' || *s == '\t')
        return continue_field(ps, trim(s));
    if (!(colon = strchr(s, ':')))
        return fail(ps, ps->line, "expected 'key: value' (got '%.40s')", s);
    *colon = '\0';
    return field(ps, trim(s), trim(colon + 1));
}

int quiz_parse(FILE *f, const char *name, struct quiz_bank *bank, char *err,
               size_t err_len)
{
    struct parser ps = { name, bank, NULL, NULL, 0, err, err_len };
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;

    bank->q = NULL;
    bank->n = 0;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        ps.line++;
        rc = parse_line(&ps, line);
    }
    free(line);
    if (rc == 0 && ferror(f))
        rc = fail(&ps, ps.line, "read error: %s", strerror(errno));
    if (rc == 0)
        rc = finish(&ps);
    if (rc == 0 && bank->n == 0)
        rc = fail(&ps, ps.line, "no questions in the bank");
    if (rc < 0)
        quiz_free(bank);
    return rc;
}

int quiz_load(const char *path, struct quiz_bank *bank, char *err,
              size_t err_len)
{
    FILE *f = fopen(path, "r");
    int rc;

    bank->q = NULL;
    bank->n = 0;
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    rc = quiz_parse(f, path, bank, err, err_len);
    fclose(f);
    return rc;
}

char *quiz_find_bank(void)
{
    const char *data = getenv("PARDEMO_DATA");
    struct stat st;

    /* a lecturer's own bank file, instead of a data directory */
    if (data && stat(data, &st) == 0 && S_ISREG(st.st_mode))
        return strdup(data);
    return datapath_find(QUIZ_BANK);
}

size_t quiz_select(const struct quiz_bank *bank, const char *topic,
                   const struct quiz_question **out)
{
    size_t n = 0;

    for (size_t i = 0; i < bank->n; i++) {
        const struct quiz_question *q = &bank->q[i];
        if (!topic || !strcmp(topic, q->topic) ||
            (!strcmp(topic, "polls") && q->poll > 0))
            out[n++] = q;
    }
    return n;
}

int quiz_letter(const char *s, int nchoices)
{
    int c;

    while (isspace((unsigned char)*s))
        s++;
    c = toupper((unsigned char)*s);
    if (c < 'A' || c >= 'A' + nchoices)
        return -1;
    for (s++; *s; s++)
        if (!isspace((unsigned char)*s))
            return -1;
    return c - 'A';
}

/* Checks answer k (the token s[0..w)) against question q; on a bad one
 * writes the error line, unless an earlier answer already did. */
static void check_answer(const char *s, size_t w, size_t k,
                         const struct quiz_question *q, int *given,
                         char *err, size_t err_len)
{
    char tok[8];

    snprintf(tok, sizeof(tok), "%.*s", (int)(w < 7 ? w : 7), s);
    *given = w < 7 ? quiz_letter(tok, q->nchoices) : -1;
    if (*given >= 0 || err[0])
        return;
    if (w == 0)
        snprintf(err, err_len, "answer %zu is empty; question %zu takes one "
                 "letter A-%c", k + 1, k + 1, 'A' + q->nchoices - 1);
    else
        snprintf(err, err_len, "answer %zu is '%.*s'; question %zu takes "
                 "one letter A-%c", k + 1, (int)(w < 20 ? w : 20), s, k + 1,
                 'A' + q->nchoices - 1);
}

int quiz_parse_answers(const char *s, const struct quiz_question *const *qs,
                       size_t n, int *given, char *err, size_t err_len)
{
    const char *blank = " \t\r\n";
    size_t k = 0;

    err[0] = '\0';
    s += strspn(s, blank);
    while (*s) {
        size_t w = strcspn(s, ", \t\r\n");
        if (k < n)
            check_answer(s, w, k, qs[k], &given[k], err, err_len);
        k++;
        s += w;
        s += strspn(s, blank);
        if (*s == ',') {            /* "A,,B" and "A,B," have an empty one */
            s++;
            s += strspn(s, blank);
            if (!*s && k < n)
                check_answer(s, 0, k, qs[k], &given[k], err, err_len);
            k += !*s;
        }
    }
    if (k != n) {
        snprintf(err, err_len, "%zu answer%s for %zu question%s", k,
                 k == 1 ? "" : "s", n, n == 1 ? "" : "s");
        return -1;
    }
    return err[0] ? -1 : 0;
}
