/* quizbank.h - the quiz bank: load worksheets/quiz.txt, pick, parse answers.
 * The bank is plain text (its format is documented at the top of
 * worksheets/quiz.txt) so a lecturer can add a question with an editor.
 * This module never prints: tools/quiz.c asks and marks.
 */
#ifndef QUIZ_H
#define QUIZ_H

#include <stddef.h>
#include <stdio.h>

#define QUIZ_MAX_CHOICES 6      /* A..F */
#define QUIZ_ERR_LEN 512
#define QUIZ_BANK "worksheets/quiz.txt"

struct quiz_question {
    char *topic;                /* "race": the topic that answers it */
    int poll;                   /* lecture knowledge-check poll 1..; 0 none */
    char *ask;
    char *choice[QUIZ_MAX_CHOICES];
    int nchoices;
    int answer;                 /* index into choice[] */
    char *feedback;
    int line;                   /* where it starts in the bank file */
};

struct quiz_bank {
    struct quiz_question *q;
    size_t n;
};

/* Parses a bank from f (name is used in error messages). Returns 0, or -1
 * with err set to one line "NAME:LINE: reason" and *bank left empty. */
int quiz_parse(FILE *f, const char *name, struct quiz_bank *bank,
               char *err, size_t err_len);

/* Opens and parses the bank at path. Returns 0, or -1 with err set
 * ("PATH: No such file or directory" or a parse error). */
int quiz_load(const char *path, struct quiz_bank *bank, char *err,
              size_t err_len);

void quiz_free(struct quiz_bank *bank);

/* Finds the bank: $PARDEMO_DATA when it names a file, else QUIZ_BANK
 * where lib/datapath finds data ($PARDEMO_DATA, an installed prefix, the
 * source tree, the current directory). Returns its path (malloc'd:
 * free it), or NULL. */
char *quiz_find_bank(void);

/* Points out[0..) at the questions of topic (NULL: all; "polls": the
 * lecture's polls) in bank order. out must hold bank->n pointers.
 * Returns how many. */
size_t quiz_select(const struct quiz_bank *bank, const char *topic,
                   const struct quiz_question **out);

/* One answer: a single letter (either case, blanks around it allowed)
 * naming one of nchoices choices. Returns its index, or -1. */
int quiz_letter(const char *s, int nchoices);

/* Splits answers "A,b, C" (commas and/or white space) into given[0..n)
 * for the n questions qs. Returns 0, or -1 with err set to one line:
 * a wrong count or an answer that is not one of its question's letters. */
int quiz_parse_answers(const char *s, const struct quiz_question *const *qs,
                       size_t n, int *given, char *err, size_t err_len);

#endif
