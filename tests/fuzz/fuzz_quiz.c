/* fuzz_quiz.c - the quiz bank parser never crashes on any bytes, what it
 * accepts is a well-formed bank, and answers to it parse safely. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quizbank.h"
#include "fuzz.h"

/* Every accepted question has a topic, a question, 2..6 choices, an answer
 * among them and feedback. */
static void check_bank(const struct quiz_bank *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct quiz_question *q = &b->q[i];
        if (!q->topic || !q->ask || !q->feedback || q->nchoices < 2 ||
            q->nchoices > QUIZ_MAX_CHOICES || q->answer < 0 ||
            q->answer >= q->nchoices)
            abort();
        for (int c = 0; c < q->nchoices; c++)
            if (!q->choice[c])
                abort();
    }
}

FUZZ_TARGET(quiz)
{
    struct quiz_bank b;
    char err[QUIZ_ERR_LEN], *text = malloc(size + 1);
    FILE *f;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    f = size ? fmemopen(text, size, "r") : fmemopen((char *)"\n", 1, "r");
    if (f && quiz_parse(f, "fuzz", &b, err, sizeof(err)) == 0) {
        const struct quiz_question **qs = calloc(b.n, sizeof(*qs));
        int *given = calloc(b.n, sizeof(*given));
        check_bank(&b);
        if (qs && given && quiz_select(&b, NULL, qs) == b.n)
            (void)quiz_parse_answers(text, qs, b.n, given, err, sizeof(err));
        free(qs);
        free(given);
        quiz_free(&b);
    } else if (f && (!err[0] || strlen(err) >= sizeof(err))) {
        abort();                        /* a failure always says why */
    }
    if (f)
        fclose(f);
    free(text);
    return 0;
}
