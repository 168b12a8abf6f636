/* gen.c - `pardemo gen GENERATOR`: deterministic data for the demos.
 * One table of generators, each a gen_write_fn (lib/gen.h): the same seed
 * always gives the same bytes, so a worksheet's numbers reproduce. With
 * -o FILE the data goes to a temporary file renamed into place at the end,
 * so an error or Ctrl-C never leaves a half-written FILE behind.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "outfile.h"
#include "cli.h"
#include "demos.h"
#include "gen.h"
#include "stats.h"
#include "trade.h"
#include "textgen.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct generator {
    const char *name;
    const char *summary;
    gen_write_fn write;
    long long default_rows, max_rows;
};

/* Adding a generator = a gen_write_fn in lib/ and one row here. */
static const struct generator generators[] = {
    { "trade", "the lecture's NZ trade CSV (Direction,...,Value,Cumulative)",
      trade_write, 10000, TRADE_MAX_ROWS },
    { "text", "Zipf text (1M-word vocabulary), for wordcount",
      textgen_gen_text, 100000, LLONG_MAX },
    { "log", "web-server log (INFO/WARN/ERROR, tab-separated), for logmine",
      textgen_gen_log, 100000, LLONG_MAX },
    { NULL, NULL, NULL, 0, 0 },
};

struct gen_opts {
    long long rows, max_bytes;
    const char *out;
};

static void list_generators(FILE *f)
{
    const struct generator *g;

    fprintf(f, "usage: pardemo gen GENERATOR [options]\n"
            "(pardemo gen GENERATOR --help: its options)\n\ngenerators:\n");
    for (g = generators; g->name; g++)
        fprintf(f, "  %-8s %s\n", g->name, g->summary);
}

static const struct generator *find_generator(const char *name)
{
    const struct generator *g;

    for (g = generators; g->name; g++)
        if (!strcmp(g->name, name))
            return g;
    return NULL;
}

/* Was the long option --name given (as "--name V" or "--name=V")? */
static bool is_given(int argc, char **argv, const char *opt)
{
    size_t n = strlen(opt);

    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strncmp(argv[i], opt, n) && (!argv[i][n] || argv[i][n] == '='))
            return true;
    return false;
}

/* Writes to a temporary file beside path, renamed to path when whole
 * (lib/outfile: a device or a pipe is written directly, a link another
 * user planted is refused). Returns 0, or -1 with one line printed. */
static int write_file(const struct generator *gen, const struct gen_params *gp,
                      const char *path, const char *topic)
{
    struct outfile o;
    int err;

    if (outfile_open(&o, path) == 0) {
        if (gen->write(o.f, gp) == 0 && outfile_commit(&o) == 0)
            return 0;
        err = errno ? errno : EIO;
        if (o.f)
            outfile_abort(&o);
    } else {
        err = errno;
    }
    outfile_say(topic, &o, path, err);
    return -1;
}

/* Writes the data to stdout, or to path ("-": stdout). Returns 0 or 1. */
static int emit(const struct generator *gen, const struct gen_params *gp,
                const char *path, const char *topic, bool is_quiet)
{
    double t0 = clk_now();

    if (!path || !strcmp(path, "-")) {
        if (gen->write(stdout, gp) != 0) {
            cli_error(topic, "cannot write to stdout: %s",
                      cli_strerror(errno));
            return 1;
        }
        return 0;
    }
    if (write_file(gen, gp, path, topic) != 0)
        return 1;
    if (!is_quiet)
        fprintf(stderr, "pardemo: %s: wrote %s in %.2f s\n", topic, path,
                clk_now() - t0);
    return 0;
}

static int run_generator(const struct generator *gen, int argc, char **argv)
{
    struct run_params p;
    struct gen_opts o = { gen->default_rows, 0, NULL };
    const struct cli_opt opts[] = {
        { "rows", 0, CLI_SIZE, "N", "rows to write", 0, gen->max_rows, NULL,
          offsetof(struct gen_opts, rows) },
        { "bytes", 0, CLI_SIZE, "N", "stop before the file passes N bytes "
          "(0: no limit)", 0, 1LL << 40, NULL,
          offsetof(struct gen_opts, max_bytes) },
        { "output", 'o', CLI_STR, "FILE", "write to FILE instead of stdout",
          0, 0, NULL, offsetof(struct gen_opts, out) },
        { 0 },
    };
    char topic[64], examples[256];
    const struct cli_spec spec = {
        .common = CLI_SEED | CLI_QUIET, .opts = opts, .examples = examples,
    };
    /* each generator is a subcommand of its own: "gen trade" */
    const struct demo sub = { .name = topic, .summary = gen->summary,
                              .spec = &spec };
    struct gen_params gp;
    int rc;

    snprintf(topic, sizeof(topic), "gen %s", gen->name);
    snprintf(examples, sizeof(examples), "pardemo gen %s --rows 5\n"
             "pardemo gen %s --rows 1M -o /tmp/%s.csv\n"
             "pardemo gen %s --bytes 1G --seed 7 -o /tmp/big.csv",
             gen->name, gen->name, gen->name, gen->name);
    cli_defaults(&p, topic);
    if ((rc = cli_parse(&sub, argc, argv, &p, &o)) >= 0)
        return rc;
    gp = (struct gen_params){ o.rows, o.max_bytes, p.seed };
    if (o.max_bytes > 0 && !is_given(argc, argv, "--rows"))
        gp.rows = gen->max_rows;    /* --bytes alone: as many as fit */
    return emit(gen, &gp, o.out, topic, p.is_quiet);
}

static int gen_main(int argc, char **argv)
{
    const struct generator *gen;

    if (argc < 2) {
        cli_error("gen", "missing GENERATOR; see 'pardemo gen --help'");
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        list_generators(stdout);
        return 0;
    }
    if (!(gen = find_generator(argv[1]))) {
        cli_error("gen", "'%s' is not a generator; see 'pardemo gen "
                  "--help'", argv[1]);
        return 2;
    }
    return run_generator(gen, argc - 1, argv + 1);
}

const struct demo demo_gen = {
    .name = "gen",
    .summary = "deterministic data for the demos (pardemo gen --help)",
    .main = gen_main,
};
