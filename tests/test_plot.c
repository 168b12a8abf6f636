/* test_plot.c - `pardemo plot`'s charts and what it says about them.
 * Synthetic sweeps (Amdahl's law with a small wobble, on 2 and on 64
 * CPUs) give every kind of chart: speedup, efficiency and time with
 * panels, a serial kernel and a wrong answer, manager's cost bars, ipc by
 * size, a timeline. check_chart.py then judges each SVG from gnuplot's own
 * output: nothing clipped, the key over no data, all text on the canvas.
 * The issue 16 defects of the fits are regression tests here too.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "benchcsv.h"
#include "chartaxis.h"
#include "check.h"

#define RUN(...) cmd_run((const char *const[]){ __VA_ARGS__, NULL })

/* ---- synthetic sweeps -------------------------------------------------- */

/* One kernel of a synthetic sweep: its 1-worker time, Amdahl's p (< 0: it
 * gets slower with workers), how much its reps wobble, its size. */
struct synth {
    const char *topic, *kernel;
    double t1, p, wobble;
    long long size;
    int is_wrong;               /* checksum_ok 0 above 1 worker */
};

static const struct synth synths[] = {
    { "demo", "scale", 2.0, 0.97, 0.02, 1000, 0 },
    { "demo", "flat", 0.5, 0.3, 0.02, 1000, 0 },
    { "demo", "noisy", 1.0, 0.9, 0.3, 1000, 0 },
    { "demo", "serial", 1.5, 0.0, 0.01, 1000, 0 },
    { "demo", "wrong", 0.01, 0.99, 0.05, 1000, 1 },
    { "split", "sort-a", 1.0, 0.95, 0.02, 1000, 0 },
    { "split", "sort-b", 1.2, 0.8, 0.02, 1000, 0 },
    { "split", "sort-c", 0.9, 0.6, 0.02, 1000, 0 },
    { "split", "sort-serial", 1.0, 0.0, 0.02, 1000, 0 },
    { "split", "sum-a", 0.001, 0.95, 0.02, 1000, 0 },
    { "split", "sum-b", 0.002, 0.5, 0.02, 1000, 0 },
    { "split", "sum-c", 0.0015, 0.2, 0.02, 1000, 0 },
    { "split", "sum-serial", 0.001, 0.0, 0.02, 1000, 0 },
    { "sized", "k", 1.0, 0.8, 0.02, 1000, 0 },
    { "sized", "k", 8.0, 0.95, 0.02, 8000, 0 },
    { "manager", "manager", 3.0, -1.0, 0.05, 3000, 0 },
    { "manager", "atomic", 0.0005, -0.3, 0.05, 3000, 0 },
    { "manager", "mutex", 0.002, -0.5, 0.05, 3000, 0 },
    { "scaling", "serial-10", 0.1, 0.9, 0.02, 4096, 0 },
    { "scaling", "weak-10", 0.1, -0.1, 0.02, 4096, 0 },
    { "memory", "copy", 0.02, 0.5, 0.05, 1 << 20, 0 },
    { "memory", "triad", 0.03, 0.5, 0.05, 1 << 20, 0 },
    { "memory", "compute", 0.2, 0.97, 0.05, 1 << 20, 0 },
};

/* ipc: one-way time per message = latency + size / bandwidth. */
static const struct {
    const char *mech;
    double latency_s, bytes_per_s;
} mechs[] = {
    { "shm", 1e-6, 5e9 }, { "mq", 5e-6, 1e9 }, { "pipe", 2e-6, 2e9 },
    { "unix", 4e-6, 1.5e9 },
};

/* Amdahl's time on min(w, cpus) workers, with a wobble by rep. */
static double model_secs(const struct synth *k, int w, int cpus, int rep)
{
    int n = w < cpus ? w : cpus;

    return k->t1 * ((1 - k->p) + k->p / n) *
           (1 + k->wobble * (double)(rep % 3 - 1));
}

static void write_rows(FILE *f, int cpus, const int *ws, int nw)
{
    for (size_t i = 0; i < sizeof(synths) / sizeof(synths[0]); i++)
        for (int j = 0; j < nw; j++)
            for (int rep = 1; rep <= 3; rep++) {
                int is_wrong = synths[i].is_wrong && ws[j] > 1;
                fprintf(f, "%s,%s,%d,%lld,%d,%.9g,%d,%d\n", synths[i].topic,
                        synths[i].kernel, ws[j], synths[i].size, rep,
                        model_secs(&synths[i], ws[j], cpus, rep),
                        is_wrong ? 41 + rep : 42, !is_wrong);
            }
    for (size_t m = 0; m < sizeof(mechs) / sizeof(mechs[0]); m++)
        for (long long size = 64; size <= 1 << 20; size *= 4)
            for (int rep = 1; rep <= 3; rep++)
                fprintf(f, "ipc,%s,1,%lld,%d,%.9g,7,1\n", mechs[m].mech,
                        size, rep, (mechs[m].latency_s + (double)size /
                        mechs[m].bytes_per_s) * (1 + 0.05 * (rep % 3)));
}

static void synth_csv(const char *path, int cpus, const int *ws, int nw)
{
    FILE *f = fopen(path, "w");

    cr_assert(f, "%s", path);
    fprintf(f, "# cpu_model: Synthetic CPU\n# cpus_online: %d\n"
            "# cpus_allowed: %d\n" BENCHCSV_HEADER "\n", cpus, cpus);
    write_rows(f, cpus, ws, nw);
    cr_assert_eq(fclose(f), 0);
}

/* A concurrency CSV: 2 x cpus tasks, 3 slices each, taking turns on
 * CPU 0, then two to each CPU; and the run's notices. */
static void synth_timeline(const char *path, int cpus)
{
    FILE *f = fopen(path, "w");
    int tasks = 2 * cpus;

    cr_assert(f, "%s", path);
    fprintf(f, "# pardemo concurrency; cpus_online=%d; cpus_allowed=%d; "
            "cpu_model=Synthetic CPU; tasks=%d\n"
            "table,run,task,start_s,end_s,cpu\n", cpus, cpus, tasks);
    for (int s = 0; s < 3; s++)
        for (int t = 0; t < tasks; t++)
            fprintf(f, "slices,one-cpu,%d,%.6f,%.6f,0\n", t + 1,
                    (s * tasks + t) * 0.001, (s * tasks + t + 1) * 0.001);
    for (int s = 0; s < 3; s++)
        for (int t = 0; t < tasks; t++)
            fprintf(f, "slices,all-cpus,%d,%.6f,%.6f,%d\n", t + 1,
                    (s * 2 + t % 2) * 0.001, (s * 2 + t % 2 + 1) * 0.001,
                    t / 2);
    fputs("\n# notice: The tasks took turns on one CPU (synthetic).\n"
          "# notice: Over all CPUs they ran at once & <finished> sooner.\n",
          f);
    cr_assert_eq(fclose(f), 0);
}

/* The PNG's width and height, from its IHDR chunk. */
static void png_size(const char *path, int *w, int *h)
{
    unsigned char b[24];
    FILE *f = fopen(path, "rb");

    cr_assert(f, "%s missing", path);
    cr_assert_eq(fread(b, 1, sizeof(b), f), sizeof(b), "%s", path);
    fclose(f);
    cr_assert_eq(memcmp(b + 1, "PNG", 3), 0, "%s: not a PNG", path);
    *w = (b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19];
    *h = (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23];
}

/* ---- every chart, judged ---------------------------------------------- */

static const char *const chart_names[] = {
    "speedup-demo", "efficiency-demo", "time-demo", "speedup-split",
    "efficiency-split", "time-split", "speedup-sized", "efficiency-sized",
    "time-sized", "cost-manager", "time-manager", "laws-scaling",
    "bandwidth-memory", "roofline-memory", "ipc", "timeline",
};
#define NCHARTS (sizeof(chart_names) / sizeof(chart_names[0]))

/* Draws the synthetic sweep of cpus CPUs with extra options, then runs
 * check_chart.py on every SVG (min_pt: the smallest text allowed, in
 * points on a slide; 0: any). Returns the output directory's parent,
 * for more checks; the caller removes it. */
static char *render_and_check(int cpus, const int *ws, int nw,
                              const char *opt, const char *val,
                              int width, int height, int min_pt)
{
    char *dir = make_tmpdir(), csv[256], conc[256], out[256], check[256];
    char env_check[300], path[400], line[8192];
    size_t used;
    int w, h;

    snprintf(csv, sizeof(csv), "%s/bench.csv", dir);
    snprintf(conc, sizeof(conc), "%s/concurrency.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    snprintf(check, sizeof(check), "%s/check.tsv", dir);
    snprintf(env_check, sizeof(env_check), "PARDEMO_PLOT_CHECK=%s", check);
    synth_csv(csv, cpus, ws, nw);
    synth_timeline(conc, cpus);
    struct cmd_out o = cmd_run_env((const char *const[]){ "plot", csv, conc,
                                   "-o", out, opt, val, NULL }, NULL,
                                   (const char *const[]){ env_check, NULL },
                                   600);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_str_empty(o.err);         /* not one gnuplot warning */
    used = (size_t)snprintf(line, sizeof(line), "python3 check_chart.py "
                            "'%s' %d", check, min_pt);
    for (size_t i = 0; i < NCHARTS; i++) {
        snprintf(path, sizeof(path), "\n  %s.{png,svg}\n", chart_names[i]);
        cr_assert(strstr(o.out, path), "%s not listed:\n%s", path, o.out);
        snprintf(path, sizeof(path), "%s/%s.png", out, chart_names[i]);
        png_size(path, &w, &h);
        cr_assert(w == width && h == height, "%s: %dx%d", path, w, h);
        used += (size_t)snprintf(line + used, sizeof(line) - used,
                                 " '%s/%s.svg'", out, chart_names[i]);
    }
    struct cmd_out py = cmd_sh(line, 300);
    cr_assert_eq(py.status, 0, "%s%s", py.out, py.err);
    cr_assert(!strncmp(py.out, "ok ", 3), "%s", py.out);
    cmd_free(&py);
    cmd_free(&o);
    return dir;
}

/* The largest value in column col (1-based) of DIR/plots/FILE's rows. */
static double max_column(const char *dir, const char *file, int col)
{
    char path[400];
    double best = -INFINITY;

    snprintf(path, sizeof(path), "%s/plots/%s", dir, file);
    char *text = slurp_file(path);
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
        char *at = l;
        for (int c = 1; c < col && at; c++)
            at = (at = strchr(at, '\t')) ? at + 1 : NULL;
        if (l[0] != '#' && l[0] != '"' && at)
            best = fmax(best, strtod(at, NULL));
    }
    free(text);
    return best;
}

static const int w2[] = { 1, 2, 3, 4 };
static const int w64[] = { 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64, 128 };

Test(plot, every_chart_on_2_cpus_passes_the_chart_check, .timeout = 600)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = render_and_check(2, w2, 4, "--theme", "slide", 1920, 1080,
                                 20);
    rm_tree(dir);
    free(dir);
}

Test(plot, every_chart_on_64_cpus_passes_the_chart_check, .timeout = 600)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = render_and_check(64, w64, 12, "--theme", "slide", 1920,
                                 1080, 20);

    /* the fit and the laws stop at the CPUs, not at 128 workers; the
     * roofline's points were measured within them */
    cr_assert_float_eq(max_column(dir, "fit-speedup-demo-1.dat", 1), 64,
                       1e-9);
    cr_assert_float_eq(max_column(dir, "law-laws-scaling-1.dat", 1), 64,
                       1e-9);
    cr_assert_float_eq(max_column(dir, "law-laws-scaling-2.dat", 1), 64,
                       1e-9);
    double threads = max_column(dir, "roofline-memory.dat", 5);
    cr_assert(threads >= 1 && threads <= 64, "roofline point on %g "
              "threads", threads);
    rm_tree(dir);
    free(dir);
}

/* A paper figure in a PDF too; text size free, the rest judged alike. */
Test(plot, paper_theme_and_pdf, .timeout = 600)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = make_tmpdir(), csv[256], out[256], path[400];

    snprintf(csv, sizeof(csv), "%s/bench.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    synth_csv(csv, 2, w2, 4);
    struct cmd_out o = RUN("plot", csv, "-o", out, "--theme", "paper",
                                "--format", "pdf", "--font-scale", "1.2");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_str_empty(o.err);
    cr_assert(strstr(o.out, "paper, 1280x800 pixels, 10.8 pt text"), "%s",
              o.out);
    for (size_t i = 0; i < NCHARTS - 1; i++) {      /* no timeline here */
        int w, h;
        snprintf(path, sizeof(path), "%s/%s.png", out, chart_names[i]);
        png_size(path, &w, &h);
        cr_assert(w == 1280 && h == 800, "%s: %dx%d", path, w, h);
        snprintf(path, sizeof(path), "%s/%s.pdf", out, chart_names[i]);
        char *pdf = slurp_file(path);
        cr_assert(!strncmp(pdf, "%PDF-", 5), "%s is not a PDF", path);
        free(pdf);
        snprintf(path, sizeof(path), "\n  %s.{png,svg,pdf}\n",
                 chart_names[i]);
        cr_assert(strstr(o.out, path), "%s not listed", path);
    }
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* ---- index.html -------------------------------------------------------- */

/* Every chart drawn, with its caption, and what to notice: for the
 * timeline, the concurrency run's own notices; nothing from the network. */
Test(plot, index_html_shows_every_chart_and_its_notes, .timeout = 600)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = make_tmpdir(), csv[256], conc[256], out[256], path[400];

    snprintf(csv, sizeof(csv), "%s/bench.csv", dir);
    snprintf(conc, sizeof(conc), "%s/concurrency.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    synth_csv(csv, 8, w64, 9);
    synth_timeline(conc, 2);
    struct cmd_out o = RUN("plot", csv, conc, "-o", out);
    cr_assert_eq(o.status, 0, "%s", o.err);
    snprintf(path, sizeof(path), "%s/index.html", out);
    char *html = slurp_file(path);
    for (size_t i = 0; i < NCHARTS; i++) {
        char img[128];
        snprintf(img, sizeof(img), "<img src=\"%s.png\"", chart_names[i]);
        cr_assert(strstr(html, img), "no %s in index.html", img);
    }
    cr_assert(strstr(html, "<figcaption>How many times faster each demo "
                     "kernel ran"), "%s", html);
    cr_assert(strstr(html, "<h3>What to notice</h3>"));
    cr_assert(strstr(html, "<li>The tasks took turns on one CPU "
                     "(synthetic).</li>"), "%s", html);
    cr_assert(strstr(html, "ran at once &amp; &lt;finished&gt; sooner"));
    cr_assert(strstr(html, "Amdahl: demo/scale behaves as"), "%s", html);
    cr_assert(!strstr(html, "http:") && !strstr(html, "https:"),
              "index.html must be readable offline");
    free(html);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* The concurrency topic's CSV carries its "What to notice" as comment
 * lines (python's csv module, skipping '#', still reads the tables), and
 * pardemo plot quotes them in index.html. */
Test(plot, index_quotes_the_concurrency_runs_notices, .timeout = 300)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = make_tmpdir(), line[1024], path[400];

    snprintf(line, sizeof(line), "'%s' concurrency --quick -t 2 --format "
             "csv > '%s/c.csv' && python3 -c \"import csv, sys\n"
             "lines = open(sys.argv[1]).read().splitlines()\n"
             "notes = [l[10:] for l in lines if l.startswith('# notice: ')]\n"
             "rows = list(csv.reader(l for l in lines if l and l[0] != '#'))\n"
             "assert notes and any(r[0] == 'slices' for r in rows)\n"
             "print(notes[0])\" '%s/c.csv'", pardemo_bin(), dir, dir);
    struct cmd_out c = cmd_sh(line, 120);
    cr_assert_eq(c.status, 0, "%s", c.err);
    c.out[strcspn(c.out, "\n")] = '\0';
    snprintf(path, sizeof(path), "%s/c.csv", dir);
    snprintf(line, sizeof(line), "%s/plots", dir);
    struct cmd_out o = RUN("plot", path, "-o", line);
    cr_assert_eq(o.status, 0, "%s", o.err);
    snprintf(path, sizeof(path), "%s/plots/index.html", dir);
    char *html = slurp_file(path);
    char want[6000] = "<li>";
    for (const char *at = c.out; *at && strlen(want) + 8 < sizeof(want);
         at++) {
        const char *esc = *at == '&' ? "&amp;" : *at == '<' ? "&lt;" :
                          *at == '>' ? "&gt;" : *at == '"' ? "&quot;" : NULL;
        size_t n = strlen(want);
        if (esc)
            strcat(want, esc);
        else
            want[n] = *at, want[n + 1] = '\0';
    }
    cr_assert(strstr(html, want), "'%s' not in index.html", want);
    free(html);
    cmd_free(&o);
    cmd_free(&c);
    rm_tree(dir);
    free(dir);
}

/* ---- issue 16: honest fits (each a defect that was seen) -------------- */

/* "no number of CPUs could make it more than 1.3x faster" and "at most
 * 236x" came from one point on 2 CPUs: no fit there, and no limit. */
Test(plot, two_cpus_no_fit_no_limit)
{
    char *dir = make_tmpdir(), csv[256];

    snprintf(csv, sizeof(csv), "%s/two.csv", dir);
    write_text_file(csv, "# cpus_allowed: 2\n" BENCHCSV_HEADER "\n"
               "t,k,1,10,1,1.0,7,1\nt,k,2,10,1,0.77,7,1\n"
               "t,w,1,10,1,1.0,7,1\nt,w,2,10,1,0.5042,7,1\n"
               "t,w,4,10,1,0.26,7,1\n");
    struct cmd_out o = RUN("plot", csv, "--summary");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(!strstr(o.out, "could make it more than"), "%s", o.out);
    cr_assert(!strstr(o.out, "at most"), "%s", o.out);
    cr_assert(!strstr(o.out, "e+"), "%s", o.out);
    cr_assert(strstr(o.out, "This machine has 2 CPUs: too few to estimate "
                     "Amdahl's p"), "%s", o.out);
    cr_assert(strstr(o.out, "2 CPUs: too few for p"), "%s", o.out);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* p = 0.999 fitted on 8 CPUs: its limit, 1000x, lies far beyond what
 * 8 CPUs can show, so it is not claimed; never "1.12e+03x". */
Test(plot, a_limit_far_past_the_cpus_is_not_claimed)
{
    char *dir = make_tmpdir(), csv[256];
    FILE *f;

    snprintf(csv, sizeof(csv), "%s/p.csv", dir);
    f = fopen(csv, "w");
    cr_assert(f);
    fputs("# cpus_allowed: 8\n" BENCHCSV_HEADER "\n", f);
    for (int w = 1; w <= 8; w *= 2)
        fprintf(f, "t,k,%d,10,1,%.9g,7,1\n", w, 0.001 + 0.999 / w);
    fclose(f);
    struct cmd_out o = RUN("plot", csv, "--summary", "--format", "csv");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "Amdahl: t/k behaves as 99.9% parallel on "
                     "1..8 workers; the limit that implies, "
                     "1000x, lies far beyond the 8 CPUs measured"), "%s",
              o.out);
    cr_assert(!strstr(o.out, "could make it more than"), "%s", o.out);
    cr_assert(!strstr(o.out, "e+"), "%s", o.out);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* Serial kernels got a p; now they have none, and no speedup line. */
Test(plot, serial_kernels_get_no_p_and_no_speedup_line)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = make_tmpdir(), csv[256], out[256], path[400];

    snprintf(csv, sizeof(csv), "%s/s.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    synth_csv(csv, 8, w64, 9);
    struct cmd_out o = RUN("plot", csv, "-o", out, "--format", "csv");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "fits,split,sort-serial,1000,nan,nan,0,serial: "
                     "no p\n"), "%s", o.out);
    cr_assert(strstr(o.out, "fits,demo,wrong,1000,nan,nan,0,wrong answer: "
                     "no p\n"), "%s", o.out);
    snprintf(path, sizeof(path), "%s/speedup-split.dat", out);
    char *data = slurp_file(path);
    cr_assert(!strstr(data, "serial"), "%s", data);
    cr_assert(strstr(data, "\"sort-a (p = 0.950)\""), "%s", data);
    free(data);
    snprintf(path, sizeof(path), "%s/speedup-demo.dat", out);
    data = slurp_file(path);
    cr_assert(!strstr(data, "wrong") && !strstr(data, "serial"), "%s", data);
    free(data);
    /* the wrong answer is drawn apart, as not a result */
    snprintf(path, sizeof(path), "%s/time-demo-2.dat", out);
    data = slurp_file(path);
    cr_assert(strstr(data, "\"wrong: wrong answer\""), "%s", data);
    free(data);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* Dashed fits climbed past the CPU count while the data was flat: on 2
 * CPUs nothing is fitted, and what is drawn for comparison (Amdahl's law
 * for given p) stops at the 2 CPUs too. */
Test(plot, nothing_fitted_or_drawn_past_the_cpus)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = make_tmpdir(), csv[256], out[256], path[400];
    struct stat st;

    snprintf(csv, sizeof(csv), "%s/s.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    synth_csv(csv, 2, w2, 4);
    struct cmd_out o = RUN("plot", csv, "-o", out);
    cr_assert_eq(o.status, 0, "%s", o.err);
    snprintf(path, sizeof(path), "%s/fit-speedup-demo-1.dat", out);
    cr_assert_neq(stat(path, &st), 0, "%s: a fit on 2 CPUs", path);
    snprintf(path, sizeof(path), "%s/ref-speedup-demo.dat", out);
    char *ref = slurp_file(path), *save = NULL;
    double w, last = 0;
    for (char *l = strtok_r(ref, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save))
        if (l[0] != '#' && sscanf(l, "%lf", &w) == 1)
            last = w > last ? w : last;
    cr_assert_float_eq(last, 2, 1e-9);
    free(ref);
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* ---- issue 21: draw what can be drawn, name what could not ------------ */

Test(plot, draws_the_rest_and_names_what_it_could_not_use, .timeout = 300)
{
    require_tool("gnuplot", "gnuplot-nox");
    char *dir = make_tmpdir(), csv[256], conc[256], out[256], path[400];
    char want[600];
    struct stat st;

    snprintf(csv, sizeof(csv), "%s/bench.csv", dir);
    snprintf(conc, sizeof(conc), "%s/slices.csv", dir);
    snprintf(out, sizeof(out), "%s/plots", dir);
    synth_csv(csv, 2, w2, 4);
    write_text_file(conc, "table,run,task,start_s,end_s,cpu\n"
               "slices,one-cpu,1,-1.19e-07,0.001,0\n"
               "slices,one-cpu,2,0.001,0.002,0\n"
               "slices,all-cpus,1,0,0.001,0\n"
               "slices,all-cpus,2,0,0.001,1\n");
    struct cmd_out o = RUN("plot", csv, conc, "-o", out);
    snprintf(want, sizeof(want), "pardemo: plot: %s:2: start_s must not be "
             "negative (got -1.19e-07); the row is left out\n", conc);
    cr_assert_eq(o.status, 1);
    cr_assert_str_eq(o.err, want);
    snprintf(path, sizeof(path), "%s/timeline.png", out);
    cr_assert_eq(stat(path, &st), 0, "the timeline of the other rows");
    snprintf(path, sizeof(path), "%s/speedup-demo.png", out);
    cr_assert_eq(stat(path, &st), 0);
    cmd_free(&o);
    /* a file that cannot be read at all: one line, the other drawn */
    write_text_file(conc, "table,run,task\nslices,one-cpu,1\n");
    rm_tree(out);
    o = RUN("plot", conc, csv, "-o", out);
    cr_assert_eq(o.status, 1);
    cr_assert_eq(count_lines(o.err), 1, "%s", o.err);
    cr_assert(strstr(o.err, "slices.csv:2: table 'slices' has no column "
                     "'start_s'"), "%s", o.err);
    cr_assert_eq(stat(path, &st), 0, "the bench charts are drawn");
    cmd_free(&o);
    rm_tree(dir);
    free(dir);
}

/* ---- bench/chartaxis ---------------------------------------------------- */

static struct chart_axis axis_of(double lo, double hi, enum chart_scale s)
{
    struct chart_extent e = CHART_EXTENT_NONE;

    chart_extent_add(&e, lo);
    chart_extent_add(&e, NAN);                  /* ignored */
    chart_extent_add(&e, hi);
    return chart_axis_of(&e, s);
}

Test(chartaxis, log_past_20x_with_at_least_3_ticks)
{
    struct chart_axis a = axis_of(1, 20, CHART_AUTO);
    char buf[256];

    cr_assert(!a.is_log);                       /* 20x: still linear */
    cr_assert(a.lo < 1 && a.hi > 20);
    a = axis_of(1, 21, CHART_AUTO);
    cr_assert(a.is_log);
    cr_assert(a.lo < 1 && a.hi > 21);
    a = axis_of(0, 100, CHART_ZERO);            /* a zero: never log */
    cr_assert(!a.is_log && a.lo == 0 && a.hi > 100);
    static const double narrow[][2] = { { 2.1, 2.9 }, { 9.6, 12.7 },
                                        { 0.45, 0.6 }, { 1, 1 } };
    for (size_t k = 0; k < sizeof(narrow) / sizeof(narrow[0]); k++) {
        a = axis_of(narrow[k][0], narrow[k][1], CHART_LOG);
        cr_assert(a.is_log && a.nticks >= 3, "%g..%g: %d ticks",
                  narrow[k][0], narrow[k][1], a.nticks);
        for (int i = 0; i < a.nticks; i++)
            cr_assert(a.ticks[i] >= a.lo && a.ticks[i] <= a.hi);
    }
    a = axis_of(0.5, 40, CHART_LOG);            /* 1-3 or 1-2-5 */
    cr_assert(a.nticks >= 3 && a.nticks <= 8, "%d ticks", a.nticks);
    a = axis_of(1e-3, 1e3, CHART_LOG);          /* decades: enough */
    cr_assert_str_eq(chart_ticks_gp(&a, buf, sizeof(buf)),
                     "(0.001, 0.01, 0.1, 1, 10, 100, 1000)");
    a = axis_of(1e-30, 1e30, CHART_LOG);
    cr_assert(a.nticks <= CHART_MAX_TICKS);
}
