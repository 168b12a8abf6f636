/* textgen.c - Zipf-distributed text and web-server logs, from a seed.
 * Word frequencies in real text follow Zipf's law (the k-th most common
 * word is ~1/k as common as the first); a word count's hash table sees a
 * few hot words and a long tail of rare ones, which is what we generate.
 */
#include "textgen.h"
#include "cleanup.h"
#include "hash.h"
#include "private.h"

#include <errno.h>
#include <unistd.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { BUF_BYTES = 1 << 20, LINE_MAX_BYTES = 256 };

static inline double next_unit(uint64_t *s)
{
    return (double)(hash_rand64(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Buffered exact-size output: the last byte written is always '\n'. */
struct out {
    FILE *f;
    char *buf;
    size_t used;
    long long left;     /* bytes still to write */
};

static int flush_out(struct out *o, int is_last)
{
    size_t n = o->used;

    if ((long long)n > o->left)
        n = (size_t)o->left;
    if (is_last && n > 0)
        o->buf[n - 1] = '\n';
    if (n && fwrite(o->buf, 1, n, o->f) != n)
        return -1;
    o->left -= (long long)n;
    o->used = 0;
    return 0;
}

/* The vocabulary: rank r's word is r (scrambled by the seed) written in
 * base 26 with as many letters as its rank class (the 26 most frequent
 * words have 1, the next 676 have 2...), then padded with letters drawn
 * from the rank so that classes have 3, 4, 5, 6 and 8 letters: a word's
 * length tells its class, so distinct ranks give distinct words, and
 * frequent words are short, as in English. */
static size_t word_of(uint64_t rank, uint64_t mult, char *w)
{
    static const size_t pad[] = { 0, 2, 2, 2, 2, 3, 3 };
    uint64_t lo = 0, size = 26, h = rank * 0x9e3779b97f4a7c15ULL;
    size_t len = 1, i;

    while (rank >= lo + size) {
        lo += size;
        size *= 26;
        len++;
    }
    rank = ((rank - lo) * mult + lo) % size;    /* a permutation of the class */
    for (i = len; i-- > 0; rank /= 26)
        w[i] = (char)('a' + rank % 26);
    for (i = 0; i < pad[len]; i++, h >>= 8)
        w[len + i] = (char)('a' + (h & 0xff) % 26);
    return len + pad[len];
}

/* Zipf(1) by inverting the continuous CDF ln(1+k)/ln(1+V). */
static uint64_t zipf_rank(uint64_t *s, double log_v)
{
    uint64_t k = (uint64_t)exp(next_unit(s) * log_v) - 1;

    return k < TEXTGEN_VOCAB ? k : TEXTGEN_VOCAB - 1;
}

static size_t text_line(uint64_t *s, uint64_t mult, double log_v, char *line,
                        int *sentence_left)
{
    size_t n = 0;
    int words = 8 + (int)(hash_rand64(s) % 8);

    while (words-- > 0) {
        size_t start = n;
        n += word_of(zipf_rank(s, log_v), mult, line + n);
        if (*sentence_left == 0) {      /* a new sentence: capitalise */
            line[start] = (char)(line[start] - 'a' + 'A');
            *sentence_left = 5 + (int)(hash_rand64(s) % 15);
        }
        if (--*sentence_left == 0)
            line[n++] = '.';
        else if (hash_rand64(s) % 16 == 0)
            line[n++] = ',';
        line[n++] = ' ';
    }
    line[n - 1] = '\n';
    return n;
}

/* ---- logs */

static const char *const hosts[] = { "db1", "db2", "web3", "cache1" };
static const char *const info_msgs[] = {
    "GET /index.php 200", "GET /static/app.css 200", "POST /login.php 302",
    "apache: worker %d started", "GET /api/items?page=%d 200",
    "session %d opened", "cron: backup finished in %d s",
};
static const char *const warn_msgs[] = {
    "php: deprecated call in /var/www/lib%d.php", "disk /var at %d%%",
    "mysql: slow query took %d ms", "apache: MaxRequestWorkers reached",
    "GET /old-page 404 (%d)",
};
static const char *const error_msgs[] = {
    "mysql: connection refused (host %s)",
    "mysql: Lost connection to MySQL server during query (%s)",
    "php: Fatal error: Allowed memory size exhausted (%s)",
    "php: Uncaught PDOException: SQLSTATE[HY000] from mysql (%s)",
    "apache: child pid exit signal Segmentation fault (%s)",
    "disk full on %s",
    "timeout talking to %s",
};

#define PICK(s, a) (a)[hash_rand64(s) % (sizeof(a) / sizeof((a)[0]))]

static size_t log_line(uint64_t *s, long long *clock_s, char *line)
{
    unsigned r = (unsigned)(hash_rand64(s) % 1000);
    const char *level = r < 700 ? "INFO" : r < 900 ? "WARN" : "ERROR";
    char msg[160];
    long long t = (*clock_s += (long long)(hash_rand64(s) % 3));
    int sec = (int)(t % 60), min = (int)(t / 60 % 60);
    int hour = (int)(t / 3600 % 24), day = 1 + (int)(t / 86400 % 28);
    int n = (int)(hash_rand64(s) % 100);

    if (r < 700)
        snprintf(msg, sizeof(msg), PICK(s, info_msgs), n);
    else if (r < 900)
        snprintf(msg, sizeof(msg), PICK(s, warn_msgs), n);
    else
        snprintf(msg, sizeof(msg), PICK(s, error_msgs), PICK(s, hosts));
    switch (hash_rand64(s) % 200) {
    case 0:     /* a line cut short: two fields */
        return (size_t)snprintf(line, LINE_MAX_BYTES, "%s\t2024-03-%02d\n",
                                level, day);
    case 1:     /* a stack-trace continuation: no tabs at all */
        return (size_t)snprintf(line, LINE_MAX_BYTES,
                                "    at Database->query() line %d\n", sec);
    default:
        return (size_t)snprintf(line, LINE_MAX_BYTES,
                                "%s\t2024-03-%02d %02d:%02d:%02d\t%s\n",
                                level, day, hour, min, sec, msg);
    }
}

/* ---- the writers: one line at a time, from a seeded state */

struct gen_state {
    enum textgen_kind kind;
    uint64_t s;                 /* the random stream */
    uint64_t mult;              /* text: the vocabulary's scramble */
    double log_v;
    int sentence_left;
    long long clock_s;          /* logs: seconds since the first line */
};

static void state_init(struct gen_state *g, enum textgen_kind kind,
                       unsigned long long seed)
{
    memset(g, 0, sizeof(*g));
    g->kind = kind;
    g->s = seed;
    /* odd and not a multiple of 13: coprime to 26^k, so a permutation */
    g->mult = (hash_rand64(&g->s) % 1000003) | 1;
    while (g->mult % 13 == 0)
        g->mult += 2;
    g->log_v = log(TEXTGEN_VOCAB + 1.0);
}

static size_t next_line(struct gen_state *g, char *line)
{
    if (g->kind == TEXTGEN_LOG)
        return log_line(&g->s, &g->clock_s, line);
    return text_line(&g->s, g->mult, g->log_v, line, &g->sentence_left);
}

static int write_bytes(FILE *f, enum textgen_kind kind, long long bytes,
                       unsigned long long seed)
{
    struct out o = { f, malloc(BUF_BYTES + LINE_MAX_BYTES), 0, bytes };
    struct gen_state g;
    int rc = 0;

    if (!o.buf)
        return -1;
    state_init(&g, kind, seed);
    while (o.left > 0 && rc == 0) {
        o.used += next_line(&g, o.buf + o.used);
        if (o.used >= BUF_BYTES || (long long)o.used >= o.left)
            rc = flush_out(&o, (long long)o.used >= o.left);
    }
    free(o.buf);
    return rc;
}

int textgen_log_write(FILE *out, long long bytes, unsigned long long seed)
{
    return write_bytes(out, TEXTGEN_LOG, bytes, seed);
}

int textgen_lines(FILE *f, enum textgen_kind kind, long long lines,
                  long long max_bytes, unsigned long long seed)
{
    char *buf = malloc(BUF_BYTES + LINE_MAX_BYTES);
    struct gen_state g;
    long long total = 0;
    size_t used = 0, n;
    int rc = 0;

    if (!buf)
        return -1;
    state_init(&g, kind, seed);
    for (; lines > 0 && rc == 0; lines--) {
        n = next_line(&g, buf + used);
        if (max_bytes > 0 && total + (long long)n > max_bytes)
            break;              /* the next line would pass max_bytes */
        total += (long long)n;
        used += n;
        if (used >= BUF_BYTES) {
            rc = fwrite(buf, 1, used, f) == used ? 0 : -1;
            used = 0;
        }
    }
    if (rc == 0 && used && fwrite(buf, 1, used, f) != used)
        rc = -1;
    free(buf);
    return rc;
}

int textgen_gen_text(FILE *out, const struct gen_params *g)
{
    return textgen_lines(out, TEXTGEN_TEXT, g->rows, g->max_bytes, g->seed);
}

int textgen_gen_log(FILE *out, const struct gen_params *g)
{
    return textgen_lines(out, TEXTGEN_LOG, g->rows, g->max_bytes, g->seed);
}

int textgen_temp_file(gen_write_fn gen, const struct gen_params *g,
                      const char *tag, char **path, int *slot)
{
    FILE *f;
    int fd, rc, saved;

    if ((fd = priv_temp_file(tag, path, slot)) < 0)
        return -1;
    if (!(f = fdopen(fd, "w"))) {
        saved = errno;
        close(fd);
        textgen_temp_remove(*path, *slot);
        *path = NULL;
        errno = saved;
        return -1;
    }
    rc = gen(f, g);
    saved = errno;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc < 0) {
        textgen_temp_remove(*path, *slot);
        *path = NULL;
        errno = saved;
    }
    return rc;
}

void textgen_temp_remove(char *path, int slot)
{
    priv_temp_remove(path, slot);
}

#ifdef TEXTGEN_MAIN
/* A stand-alone writer for scripts (make bench-wordcount builds it):
 * textgen text|log BYTES SEED > FILE */
int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "text") && strcmp(argv[1], "log"))) {
        fputs("usage: textgen text|log BYTES SEED\n", stderr);
        return 2;
    }
    return write_bytes(stdout, argv[1][0] == 't' ? TEXTGEN_TEXT : TEXTGEN_LOG,
                       atoll(argv[2]), strtoull(argv[3], NULL, 10)) ||
           fflush(stdout) ? 1 : 0;
}
#endif
