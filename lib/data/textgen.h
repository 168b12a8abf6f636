/* textgen.h - generated inputs for the Spark topics: text and web logs.
 * Both are deterministic for a seed (the same bytes on every machine), so
 * a worksheet can quote counts, and fast enough to make 256 MB in a few
 * seconds.
 */
#ifndef TEXTGEN_H
#define TEXTGEN_H

#include <stdio.h>

#include "gen.h"

/* The text (TEXTGEN_TEXT) is lines of words drawn from a Zipf-distributed
 * vocabulary of TEXTGEN_VOCAB words (the rank-k word is ~1/k as frequent
 * as the first; frequent words are short), sentences capitalised and
 * punctuated. */
#define TEXTGEN_VOCAB 1000000

/* Writes exactly `bytes` bytes of a web server's log, one record a line:
 * "LEVEL\tYYYY-MM-DD hh:mm:ss\tmessage", LEVEL being INFO, WARN or ERROR
 * (about 70/20/10 %); messages mention mysql, php, apache, disk...
 * About 1 line in 200 is malformed (fewer than 3 tab-separated fields),
 * as real logs are. Returns 0, or -1 with errno set. */
int textgen_log_write(FILE *out, long long bytes, unsigned long long seed);

enum textgen_kind { TEXTGEN_TEXT, TEXTGEN_LOG };

/* The streams counted in lines, for `pardemo gen` (its gen_params):
 * writes `lines` lines of kind, stopping before the output would pass
 * max_bytes (0: no limit); every line whole. The first N lines are the
 * same bytes the byte-counted stream (textgen_log_write, the bench's
 * standalone textgen) starts with. Returns 0, or -1 with errno set. */
int textgen_lines(FILE *out, enum textgen_kind kind, long long lines,
                  long long max_bytes, unsigned long long seed);

/* The same as gen_write_fns for `pardemo gen` (rows = lines, max_bytes,
 * seed): rows `{ "text", ..., textgen_gen_text, 100000, LLONG_MAX }`. */
int textgen_gen_text(FILE *out, const struct gen_params *g);
int textgen_gen_log(FILE *out, const struct gen_params *g);

/* Writes a generator's output (trade_write, textgen_gen_text...) to a new
 * temporary file $TMPDIR/pardemo-PID-TAG-RANDOM (lib/private), registered
 * with lib/cleanup (removed even on Ctrl-C). Sets *path (malloc'd) and
 * *slot, for textgen_temp_remove. Returns 0, or -1 with errno set (then
 * nothing is left and *path is NULL). */
int textgen_temp_file(gen_write_fn gen, const struct gen_params *g,
                      const char *tag, char **path, int *slot);

/* Removes a file made by textgen_temp_file and frees path (NULL: none). */
void textgen_temp_remove(char *path, int slot);

#endif
