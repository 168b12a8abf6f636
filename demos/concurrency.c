/* concurrency.c - concurrency (taking turns) vs parallelism (at the same time).
 * The same K CPU-bound tasks run twice: confined to one CPU, where the
 * scheduler can only interleave them, then spread over every allowed CPU,
 * where they can run simultaneously. Each task notes when and where it ran;
 * compare the two timelines (do the rows take turns or overlap?) and the
 * wall times.
 */
#define _GNU_SOURCE
#include "pardemo.h"
#include "cli.h"
#include "report.h"
#include "stats.h"
#include "sysinfo.h"
#include "team.h"
#include "timeline.h"
#include "lesson/concurrency.h"
#include "demos.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STEPS_PER_SAMPLE 512    /* about a microsecond of work per sample */
#define GAP_S 100e-6            /* a longer pause: the task was switched out */
#define TIMELINE_COLS 60
#define MAX_TASKS 64            /* one timeline row each */
#define DEFAULT_STEPS (32LL << 20)  /* ~50 ms of CPU per task */
#define QUICK_STEPS (8LL << 20)

struct task {
    long long steps;            /* work to do */
    struct tl_track *track;     /* when and where it ran */
    int cpus_allowed;           /* what its own affinity mask allowed */
    uint64_t state;             /* the work's result, so it is not skipped */
};

struct run {
    const char *name;           /* "one-cpu", "all-cpus" */
    struct task *task;
    struct tl_track *track;     /* task i's is track[i] */
    int ntasks;
    double wall_s, busy_s;      /* wall time; CPU time seen in slices */
    int cpus_allowed, cpus_used, max_running;
    size_t slices;
    struct cond cond;           /* what else ran meanwhile */
};

static const struct cli_spec concurrency_spec = {
    .common = CLI_THREADS | CLI_SIZE_OPT | CLI_FORMAT | CLI_QUIET | CLI_QUICK,
    .threads_max = MAX_TASKS,           /* one timeline row each */
    .size_help = "work per task, in loop steps",
    .size_min = STEPS_PER_SAMPLE, .size_max = 1LL << 34,
    .examples = "pardemo concurrency\n"
                "pardemo concurrency -t 3 -n 64M\n"
                "pardemo concurrency --format csv > slices.csv",
};

/* CPU-bound work: a xorshift chain, each step needs the previous one. */
static uint64_t spin_work(uint64_t x, int steps)
{
    for (int i = 0; i < steps; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

/* Works, and between chunks notes the time and the CPU: a long pause
 * between two notes is when the scheduler gave the CPU to someone else. */
static void *task_main(void *arg)
{
    struct task *t = arg;
    uint64_t x = t->state;

    t->cpus_allowed = sys_allowed_cpus();   /* this thread's own mask */
    for (long long done = 0; done < t->steps; done += STEPS_PER_SAMPLE) {
        tl_track_sample(t->track, clk_now(), sched_getcpu());
        x = spin_work(x, STEPS_PER_SAMPLE);
    }
    tl_track_sample(t->track, clk_now(), sched_getcpu());
    t->state = x;
    return NULL;
}

/* Runs the tasks once and sums up their slices. Returns 0 or an errno. */
static int run_tasks(struct run *r, long long steps)
{
    struct team_time tt = { 0, 0 };
    struct cond_probe probe;
    int rc;

    cond_start(&probe);     /* on the CPUs this thread may use now */
    for (int i = 0; i < r->ntasks; i++) {
        r->task[i].steps = steps;
        r->task[i].state = 0x9E3779B97F4A7C15ULL + (uint64_t)i;
        r->task[i].track = &r->track[i];
        tl_track_init(&r->track[i], GAP_S);
    }
    if ((rc = team_run(r->ntasks, task_main, r->task, sizeof(*r->task),
                       &tt)))
        return rc;
    r->cond = cond_stop(&probe);
    r->wall_s = tt.seconds;
    r->cpus_allowed = r->task[0].cpus_allowed;
    r->busy_s = 0;
    r->slices = 0;
    for (int i = 0; i < r->ntasks; i++) {
        struct tl_track *t = &r->track[i];
        if (t->is_failed)
            return ENOMEM;
        tl_track_shift(t, -tt.start_s);
        r->busy_s += tl_busy_seconds(t);
        r->slices += t->n;
        if (r->task[i].cpus_allowed < r->cpus_allowed)
            r->cpus_allowed = r->task[i].cpus_allowed;
    }
    r->cpus_used = tl_cpus_used(r->track, r->ntasks);
    r->max_running = tl_max_overlap(r->track, r->ntasks, GAP_S);
    return r->max_running < 0 ? ENOMEM : 0;
}

/* "0-3,6": the CPUs in a mask, as taskset -c writes them. */
static void cpu_list_text(const cpu_set_t *s, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (int c = 0; c < CPU_SETSIZE && used < len; c++) {
        int end = c;
        if (!CPU_ISSET(c, s))
            continue;
        while (end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, s))
            end++;
        if (end > c)
            used += (size_t)snprintf(buf + used, len - used, "%s%d-%d",
                                     used ? "," : "", c, end);
        else
            used += (size_t)snprintf(buf + used, len - used, "%s%d",
                                     used ? "," : "", c);
        c = end;
    }
}

/* Runs the tasks with this thread confined to one of the allowed CPUs
 * (new threads inherit the mask), then restores the mask and checks it.
 * Returns 0, or an errno with *what naming the step that failed. */
static int run_confined(struct run *r, long long steps,
                        const cpu_set_t *allowed, int *cpu,
                        const char **what)
{
    cpu_set_t one, now;
    int c = sched_getcpu(), rc;

    if (c < 0 || c >= CPU_SETSIZE || !CPU_ISSET(c, allowed))
        for (c = 0; !CPU_ISSET(c, allowed); c++)
            ;
    *cpu = c;
    CPU_ZERO(&one);
    CPU_SET(c, &one);
    *what = "confine the tasks to one CPU";
    if (sched_setaffinity(0, sizeof(one), &one))
        return errno;
    *what = "run the tasks";
    rc = run_tasks(r, steps);
    if (sched_setaffinity(0, sizeof(*allowed), allowed)) {
        *what = "restore the CPU affinity";
        return errno;
    }
    if (sched_getaffinity(0, sizeof(now), &now) || !CPU_EQUAL(&now, allowed)) {
        *what = "restore the CPU affinity (the mask differs)";
        return EINVAL;
    }
    return rc;
}

/* "A = CPU 0, B = CPU 1": the marks of the CPUs either run used. */
static void legend_text(const struct run *runs, int nruns, char *buf,
                        size_t len)
{
    cpu_set_t seen;
    size_t used = 0;

    CPU_ZERO(&seen);
    for (int k = 0; k < nruns; k++)
        for (int i = 0; i < runs[k].ntasks; i++)
            for (size_t j = 0; j < runs[k].track[i].n; j++)
                if (runs[k].track[i].slice[j].cpu >= 0 &&
                    runs[k].track[i].slice[j].cpu < CPU_SETSIZE)
                    CPU_SET(runs[k].track[i].slice[j].cpu, &seen);
    buf[0] = '\0';
    for (int c = 0; c < CPU_SETSIZE && used < len; c++) {
        if (!CPU_ISSET(c, &seen))
            continue;
        if (tl_mark(c, true) == '#') {      /* the marks ran out */
            snprintf(buf + used, len - used, "%s# = CPU %d or above",
                     used ? ", " : "", c);
            break;
        }
        used += (size_t)snprintf(buf + used, len - used, "%s%c = CPU %d",
                                 used ? ", " : "", tl_mark(c, true), c);
    }
}

static void print_timelines(struct report *rep, const struct run *runs,
                            int cpu)
{
    double span_s = runs[0].wall_s > runs[1].wall_s ? runs[0].wall_s
                                                    : runs[1].wall_s;
    char legend[512];

    legend_text(runs, 2, legend, sizeof(legend));
    report_text(rep, "Each row is a task; time runs left to right, on the "
                "same scale for both runs\n(one column = %.2f ms). A letter "
                "is the CPU the task was running on\n(%s); lower case: it "
                "ran for less than half of that column;\n'.': not running "
                "(waiting for a CPU, or finished).",
                span_s / TIMELINE_COLS * 1e3, legend);
    for (int k = 0; k < 2; k++) {
        char *pic = tl_render(runs[k].track, runs[k].ntasks, span_s,
                              TIMELINE_COLS);
        if (k == 0)
            report_text(rep, "Run 1: all %d tasks confined to CPU %d - "
                        "wall %.1f ms", runs[k].ntasks, cpu,
                        runs[k].wall_s * 1e3);
        else
            report_text(rep, "Run 2: the same tasks over %d allowed CPU%s - "
                        "wall %.1f ms", runs[k].cpus_allowed,
                        runs[k].cpus_allowed == 1 ? "" : "s",
                        runs[k].wall_s * 1e3);
        report_text(rep, "%s", pic ? pic : "(no memory for the picture)");
        free(pic);
    }
}

static void runs_table(struct report *rep, const struct run *runs)
{
    struct table *t = report_table(rep, "runs", "The two runs");

    table_col(t, "run", "run", U_TEXT);
    table_col(t, "cpus_allowed", "CPUs", U_INT);
    table_col(t, "cpus_used", "used", U_INT);
    table_col(t, "wall_seconds", "wall", U_MS);
    table_col(t, "cpu_seconds", "CPU", U_MS);
    table_col(t, "avg_running", "at once", U_NUM);
    table_col(t, "max_running", "max", U_INT);
    table_col(t, "slices_per_task", "slices", U_NUM);
    table_col(t, "speedup", "speedup", U_RATIO);
    for (int k = 0; k < 2; k++) {
        const struct run *r = &runs[k];
        table_str(t, r->name);
        table_num(t, r->cpus_allowed);
        table_num(t, r->cpus_used);
        table_num(t, r->wall_s);
        table_num(t, r->busy_s);
        table_num(t, r->wall_s > 0 ? r->busy_s / r->wall_s : 0);
        table_num(t, r->max_running);
        table_num(t, (double)r->slices / r->ntasks);
        table_num(t, stats_speedup(runs[0].wall_s, r->wall_s));
    }
    table_end(t);
}

/* For plotting: every slice of both runs (CSV and JSON only). */
static void slices_table(struct report *rep, const struct run *runs)
{
    struct table *t = report_table(rep, "slices", "When each task ran");

    table_col(t, "run", "run", U_TEXT);
    table_col(t, "task", "task", U_INT);
    table_col(t, "start_s", "start", U_SEC);
    table_col(t, "end_s", "end", U_SEC);
    table_col(t, "cpu", "CPU", U_INT);
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < runs[k].ntasks; i++) {
            for (size_t j = 0; j < runs[k].track[i].n; j++) {
                const struct tl_slice *s = &runs[k].track[i].slice[j];
                table_str(t, runs[k].name);
                table_num(t, i + 1);
                table_num(t, s->start_s);
                table_num(t, s->end_s);
                table_num(t, s->cpu);
            }
        }
    }
    table_end(t);
}

/* The lesson's view of a run (lib/lesson/concurrency). */
static struct conc_run lesson_run(const struct run *r)
{
    return (struct conc_run){
        .wall_s = r->wall_s, .busy_s = r->busy_s,
        .cpus_allowed = r->cpus_allowed, .cpus_used = r->cpus_used,
        .max_running = r->max_running,
        .slices_per_task = (double)r->slices / r->ntasks, .cond = r->cond,
    };
}

static void notices(struct report *rep, const struct run *runs, int cpu)
{
    struct conc_results res = { runs[0].ntasks, cpu, lesson_run(&runs[0]),
                                lesson_run(&runs[1]) };
    struct notices ns;

    notices_init(&ns);
    concurrency_notices(&res, &ns);
    report_conditions(rep, "run 1", &runs[0].cond);
    report_conditions(rep, "run 2", &runs[1].cond);
    report_notices(rep, &ns);
}

static void free_runs(struct run *runs, int nruns)
{
    for (int k = 0; k < nruns; k++) {
        for (int i = 0; runs[k].track && i < runs[k].ntasks; i++)
            tl_track_free(&runs[k].track[i]);
        free(runs[k].task);
        free(runs[k].track);
    }
}

static int alloc_runs(struct run *runs, int nruns, int ntasks)
{
    for (int k = 0; k < nruns; k++) {
        runs[k].ntasks = ntasks;
        runs[k].task = calloc((size_t)ntasks, sizeof(struct task));
        runs[k].track = calloc((size_t)ntasks, sizeof(struct tl_track));
        if (!runs[k].task || !runs[k].track)
            return ENOMEM;
    }
    return 0;
}

static void report_runs(const struct run_params *p, const struct run *runs,
                        int cpu, const char *cpus)
{
    struct report *rep;
    char steps[32];

    rep = report_begin(p, "Concurrency vs parallelism",
                       "Lecture: \"Concurrency vs parallelism\". The same "
                       "CPU-bound tasks take\nturns on one CPU, then run at "
                       "the same time on all allowed CPUs.");
    report_param(rep, "tasks", "%d", p->threads);
    report_param(rep, "work", "%s steps per task",
                 cli_fmt_size(p->size, steps, sizeof(steps)));
    report_param(rep, "one_cpu", "%d", cpu);
    report_param(rep, "affinity_after", "%s", cpus);
    print_timelines(rep, runs, cpu);
    report_text(rep, "Run 1 confined the process to CPU %d with "
                "sched_setaffinity; afterwards its\naffinity was restored "
                "to CPU%s %s (checked).", cpu,
                strpbrk(cpus, ",-") ? "s" : "", cpus);
    runs_table(rep, runs);
    if (p->format != FMT_TEXT)
        slices_table(rep, runs);
    notices(rep, runs, cpu);
    report_end(rep);
}

/* Parses the options. Returns -1 to go on, else the exit status. */
static int parse_args(struct run_params *p, int argc, char **argv)
{
    int rc;

    cli_defaults(p, "concurrency");
    p->threads = 2 * sys_allowed_cpus() < 4 ? 4 : 2 * sys_allowed_cpus();
    p->threads = p->threads > MAX_TASKS ? MAX_TASKS : p->threads;
    p->size = demo_size(&demo_concurrency, p->is_quick);
    if ((rc = cli_parse(&demo_concurrency, argc, argv, p, NULL)) >= 0)
        return rc;
    if (!p->size_given)     /* --quick may come after the defaults */
        p->size = demo_size(&demo_concurrency, p->is_quick);
    return -1;
}

static int concurrency_main(int argc, char **argv)
{
    struct run_params p;
    struct run runs[2] = { { .name = "one-cpu" }, { .name = "all-cpus" } };
    const char *what = "allocate the tasks";
    cpu_set_t allowed;
    char cpus[256];
    int rc, cpu = 0;

    if ((rc = parse_args(&p, argc, argv)) >= 0)
        return rc;
    if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
        cli_error(p.topic, "cannot read the CPU affinity: %s",
                  cli_strerror(errno));
        return 1;
    }
    if ((rc = alloc_runs(runs, 2, p.threads)) ||
        (rc = run_confined(&runs[0], p.size, &allowed, &cpu, &what)))
        goto out;
    what = "run the tasks";
    if ((rc = run_tasks(&runs[1], p.size)))
        goto out;
    cpu_list_text(&allowed, cpus, sizeof(cpus));
    report_runs(&p, runs, cpu, cpus);
out:
    if (rc)
        cli_error(p.topic, "cannot %s: %s", what, cli_strerror(rc));
    free_runs(runs, 2);
    return rc ? 1 : 0;
}

const struct demo demo_concurrency = {
    .name = "concurrency",
    .summary = "taking turns on one CPU vs running at once on all",
    .main = concurrency_main,
    .slide = "Concurrency vs parallelism",
    .spec = &concurrency_spec,
    .sizes = { DEFAULT_STEPS },
    .quick_sizes = { QUICK_STEPS },
};
