/* test_fuzz_replay.c - replays every saved fuzz input (seed corpora and
 * the crashes found by `make fuzz`) through the same target functions,
 * built with gcc: a bug found by fuzzing stays fixed. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

int fuzz_size(const uint8_t *data, size_t size);
int fuzz_textfile(const uint8_t *data, size_t size);
int fuzz_csv(const uint8_t *data, size_t size);
int fuzz_split(const uint8_t *data, size_t size);
int fuzz_options(const uint8_t *data, size_t size);
int fuzz_quiz(const uint8_t *data, size_t size);
int fuzz_benchcsv(const uint8_t *data, size_t size);

static int replay_dir(const char *target,
                      int (*fn)(const uint8_t *, size_t))
{
    char dir[256], path[600];
    struct dirent *e;
    int n = 0;

    snprintf(dir, sizeof(dir), "fuzz/corpus/%s", target);
    DIR *d = opendir(dir);
    cr_assert(d, "no corpus at tests/%s", dir);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert(f, "%s", path);
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        rewind(f);
        uint8_t *buf = malloc((size_t)len + 1);
        cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
        fclose(f);
        fn(buf, (size_t)len);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

/* Every target, and the corpus directory it replays. A target added in
 * tests/fuzz/ gets a row here. */
static const struct {
    const char *name;
    int (*fn)(const uint8_t *, size_t);
} targets[] = {
    { "size", fuzz_size }, { "options", fuzz_options },
    { "quiz", fuzz_quiz }, { "benchcsv", fuzz_benchcsv },
    { "textfile", fuzz_textfile }, { "csv", fuzz_csv },
    { "split", fuzz_split },
};

Test(fuzz_replay, every_target_replays_its_corpus, .timeout = 300)
{
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
        cr_assert_gt(replay_dir(targets[i].name, targets[i].fn), 0,
                     "target %s", targets[i].name);
}
