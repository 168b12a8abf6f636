/* trade.c - the NZ trade CSV, generated and checked.
 * A row is assembled from precomputed pieces (the series' "Exports,2015,"
 * head and ",Country,Commodity,Mode,$," middle) plus the date and two
 * numbers, so a gigabyte is mostly memcpy. Every random choice is a hash of
 * (seed, series, day): no state carries over between series but the
 * running total, which is what makes Cumulative checkable.
 */
#define _GNU_SOURCE
#include "trade.h"
#include "hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const directions[] = { "Exports", "Imports", "Reimports" };
static const char *const countries[] = {
    "All", "Australia", "China", "East Asia (excluding China)",
    "European Union (27)", "Japan", "Total (excluding China)",
    "United Kingdom", "United States", "Korea, Republic of", "Singapore",
    "Hong Kong (SAR)", "Taiwan", "India", "Indonesia", "Malaysia",
    "Thailand", "Viet Nam", "Philippines", "Canada", "Germany", "France",
    "Italy", "Netherlands", "Saudi Arabia", "United Arab Emirates", "Chile",
    "Mexico", "Fiji", "Samoa",
};
static const char *const commodities[] = {
    "All", "Milk powder, butter, and cheese", "Meat and edible offal",
    "Logs, wood, and wood articles", "Fish, crustaceans, and molluscs",
    "Fruit", "Non-food manufactured goods", "Mechanical machinery and equip",
    "Electrical machinery and equip",
    "Total (excluding milk powder, butter, cheese)", "Wine",
    "Casein and caseinates", "Crude oil", "Vehicles, parts, and accessories",
    "Pharmaceutical products", "Aluminium and aluminium articles",
};
static const char *const modes[] = { "All", "Air", "Sea" };
static const char *const measures[] = { "$", "Tonnes" };
static const char *const weekday_names[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday",
};
/* An ordinary week: busy midweek, quiet weekend (percent). */
static const int week_shape_pct[7] = { 105, 110, 108, 115, 100, 60, 50 };

#define N_DIR ((int)ARRAY_LEN(directions))
#define N_COUNTRY ((int)ARRAY_LEN(countries))
#define N_COMMODITY ((int)ARRAY_LEN(commodities))
#define N_MODE ((int)ARRAY_LEN(modes))
#define N_MEASURE ((int)ARRAY_LEN(measures))
#define N_YEARS (TRADE_LAST_YEAR - TRADE_FIRST_YEAR + 1)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N_GROUPS ((long long)N_DIR * N_COUNTRY * N_COMMODITY * N_MODE * \
                  N_MEASURE)
#define N_SERIES (N_GROUPS * N_YEARS)

_Static_assert(N_GROUPS * TRADE_DAYS == TRADE_MAX_ROWS,
               "TRADE_MAX_ROWS must match the lists");

int trade_names(enum trade_dim dim, const char *const **names)
{
    switch (dim) {
    case TRADE_DIM_DIRECTION: *names = directions; return N_DIR;
    case TRADE_DIM_COUNTRY:   *names = countries; return N_COUNTRY;
    case TRADE_DIM_COMMODITY: *names = commodities; return N_COMMODITY;
    case TRADE_DIM_MODE:      *names = modes; return N_MODE;
    case TRADE_DIM_MEASURE:   *names = measures; return N_MEASURE;
    }
    *names = NULL;
    return 0;
}

long long trade_max_rows(void)
{
    return N_GROUPS * TRADE_DAYS;
}

/* ---- calendar -------------------------------------------------------- */

bool trade_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int trade_days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };
    return m == 2 && trade_is_leap(y) ? 29 : days[m - 1];
}

/* H. Hinnant's days_from_civil: exact for every Gregorian date. */
long trade_days_from_civil(int y, int m, int d)
{
    long yy = y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

int trade_weekday(int y, int m, int d)
{
    long days = trade_days_from_civil(y, m, d);

    /* 01/01/1970 was a Thursday (3 when Monday is 0) */
    return (int)(((days + 3) % 7 + 7) % 7);
}

const char *trade_weekday_name(int wd)
{
    return wd >= 0 && wd < 7 ? weekday_names[wd] : "?";
}

/* ---- generating ------------------------------------------------------ */

/* A seeded permutation of [0, n): an invertible scramble of the bits
 * (odd multiply, xor-shift, add, all mod 2^k), repeated until it lands
 * below n ("cycle walking"). Every series appears exactly once. */
static uint64_t permute(uint64_t i, uint64_t n, uint64_t seed)
{
    int k = 1;
    uint64_t mask;

    while ((1ULL << k) < n)
        k++;
    mask = (1ULL << k) - 1;
    do {
        for (int round = 0; round < 3; round++) {
            uint64_t key = hash_mix64(seed + (uint64_t)round);
            i = (i * (key | 1)) & mask;
            i ^= i >> (k / 2 + 1);
            i = (i + (key >> 32)) & mask;
        }
    } while (i >= n);
    return i;
}

/* Series s -> its group and year; series 0 is the lecture's first. */
static uint64_t series_combo(long long s, uint64_t seed)
{
    uint64_t c = permute((uint64_t)s, N_SERIES, seed);
    uint64_t c0 = permute(0, N_SERIES, seed);

    /* swap combo 0 (Exports/All/All/All/$/2015) to the front */
    return s == 0 ? 0 : c == 0 ? c0 : c;
}

static size_t put_name(char *dst, const char *s)
{
    size_t n = strlen(s);

    if (!strpbrk(s, ",\"")) {
        memcpy(dst, s, n);
        return n;
    }
    dst[0] = '"';   /* our names hold commas, never quotes */
    memcpy(dst + 1, s, n);
    dst[n + 1] = '"';
    return n + 2;
}

/* The series' typical daily Value: $ in thousands (10k to 99M) or tonnes
 * (10 to 99k); each "All" in the group (a total) adds a digit. */
static int64_t series_base(uint64_t h, int country, int commodity, int mode)
{
    int64_t base = 10 + (int64_t)(h % 90);
    int exp = (int)((h >> 8) % 2) + (country == 0) + (commodity == 0) +
              (mode == 0);

    for (exp = exp > 3 ? 3 : exp; exp > 0; exp--)
        base *= 10;
    return base;
}

static void load_series(struct trade_gen *g)
{
    uint64_t c = series_combo(g->series, g->seed);
    int year = TRADE_FIRST_YEAR + (int)(c % N_YEARS);
    int measure = (int)(c / N_YEARS % N_MEASURE);
    uint64_t group = c / N_YEARS;
    int mode = (int)(group / N_MEASURE % N_MODE);
    int commodity = (int)(group / N_MEASURE / N_MODE % N_COMMODITY);
    int country = (int)(group / N_MEASURE / N_MODE / N_COMMODITY %
                        N_COUNTRY);
    int dir = (int)(group / N_MEASURE / N_MODE / N_COMMODITY / N_COUNTRY);
    uint64_t h = hash_mix64(g->seed ^ hash_mix64(group));
    char *m = g->mid;

    g->year = year;
    g->ndays = trade_is_leap(year) ? 366 : 365;
    g->day = 0;
    g->month = g->mday = 1;
    g->weekday = trade_weekday(year, 1, 1);
    g->cumulative = 0;
    g->base = series_base(h, country, commodity, mode) *
              (100 + 4 * (year - TRADE_FIRST_YEAR)) / 100;
    for (int i = 0; i < 7; i++)     /* each series' week differs a bit */
        g->weekday_pct[i] = week_shape_pct[i] - 10 +
                            (int)(hash_mix64(h + 7 + (uint64_t)i) % 21);
    g->is_dollars = measure == 0;
    g->head_len = (size_t)snprintf(g->head, sizeof(g->head), "%s,%d,",
                                   directions[dir], year);
    *m++ = ',';
    m += put_name(m, countries[country]);
    *m++ = ',';
    m += put_name(m, commodities[commodity]);
    *m++ = ',';
    m += put_name(m, modes[mode]);
    *m++ = ',';
    m += put_name(m, measures[measure]);
    *m++ = ',';
    g->mid_len = (size_t)(m - g->mid);
}

void trade_gen_init(struct trade_gen *g, uint64_t seed)
{
    memset(g, 0, sizeof(*g));
    g->seed = seed;
    load_series(g);
}

/* Writes v in decimal at p; returns the digits' count. */
static size_t put_uint(char *p, uint64_t v)
{
    char tmp[24];
    size_t n = 0, i;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* Today's Value: the base, the weekday's share, and +-50 % noise. */
static int64_t day_value(const struct trade_gen *g)
{
    uint64_t h = hash_mix64(g->seed ^ hash_mix64((uint64_t)g->series * 400 +
                                       (uint64_t)g->day));
    int64_t v = g->base * g->weekday_pct[g->weekday] / 100 *
                (50 + (int64_t)(h % 101)) / 100;

    return g->is_dollars ? v * 1000 : v;   /* dollars in whole thousands */
}

static void next_day(struct trade_gen *g)
{
    g->weekday = (g->weekday + 1) % 7;
    if (++g->mday > trade_days_in_month(g->year, g->month)) {
        g->mday = 1;
        g->month++;
    }
    if (++g->day == g->ndays && ++g->series < N_SERIES)
        load_series(g);
}

size_t trade_gen_row(struct trade_gen *g, char *buf)
{
    const char *wd;
    char *p = buf;
    int64_t v;
    size_t n;

    if (g->series >= N_SERIES)
        return 0;
    v = day_value(g);
    g->cumulative += v;
    memcpy(p, g->head, g->head_len);
    p += g->head_len;
    put2(p, g->mday);
    p[2] = '/';
    put2(p + 3, g->month);
    p[5] = '/';
    put_uint(p + 6, (uint64_t)g->year);
    p[10] = ',';
    p += 11;
    wd = weekday_names[g->weekday];
    n = strlen(wd);
    memcpy(p, wd, n);
    p += n;
    memcpy(p, g->mid, g->mid_len);
    p += g->mid_len;
    p += put_uint(p, (uint64_t)v);
    *p++ = ',';
    p += put_uint(p, (uint64_t)g->cumulative);
    *p++ = '\n';
    next_day(g);
    return (size_t)(p - buf);
}

int trade_write(FILE *out, const struct gen_params *gp)
{
    enum { BUF = 1 << 20 };
    struct trade_gen g;
    long long row, total;
    size_t used, n;
    char *buf;
    int rc = 0;

    if (gp->rows < 0 || gp->rows > trade_max_rows()) {
        errno = EINVAL;
        return -1;
    }
    if (!(buf = malloc(BUF)))
        return -1;
    trade_gen_init(&g, gp->seed);
    used = (size_t)sprintf(buf, "%s\n", TRADE_HEADER);
    total = (long long)used;
    for (row = 0; row < gp->rows; row++) {
        if (used + TRADE_ROW_MAX > BUF) {
            if (fwrite(buf, 1, used, out) != used)
                break;
            used = 0;
        }
        n = trade_gen_row(&g, buf + used);
        if (gp->max_bytes > 0 && total + (long long)n > gp->max_bytes)
            break;
        used += n;
        total += (long long)n;
    }
    if (fwrite(buf, 1, used, out) != used || fflush(out) != 0)
        rc = -1;
    free(buf);
    return rc;
}

char *trade_generate(long long rows, uint64_t seed, size_t *len)
{
    struct gen_params gp = { rows, 0, seed };
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    int rc;

    if (!f)
        return NULL;
    rc = trade_write(f, &gp);
    if (fclose(f) != 0 || rc != 0) {
        int saved = errno;
        free(buf);
        errno = saved;
        return NULL;
    }
    return buf;
}

/* ---- reading --------------------------------------------------------- */

int trade_parse_int(const char *p, size_t len, int64_t *out)
{
    const char *end = p + len;
    bool is_neg = len > 0 && *p == '-';
    int64_t v = 0;

    p += is_neg;
    if (p == end)
        return -1;
    for (; p < end; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (d > 9 || __builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, is_neg ? -(int64_t)d : (int64_t)d, &v))
            return -1;
    }
    *out = v;
    return 0;
}

static int two_digits(const char *p)
{
    unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[1] - '0');

    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

int trade_parse_date(const char *p, size_t len, int *y, int *m, int *d)
{
    int hi, lo;

    if (len != 10 || p[2] != '/' || p[5] != '/')
        return -1;
    *d = two_digits(p);
    *m = two_digits(p + 3);
    hi = two_digits(p + 6);
    lo = two_digits(p + 8);
    if (*d < 1 || *m < 1 || *m > 12 || hi < 0 || lo < 0)
        return -1;
    *y = hi * 100 + lo;
    return *d <= trade_days_in_month(*y, *m) ? 0 : -1;
}

static int find_name(const struct csv_field *f, const char *const *names,
                     int n)
{
    for (int i = 0; i < n; i++)
        if (csv_equals(f, names[i]))
            return i;
    return -1;
}

int trade_check_row(const struct csv_field *f, int n, struct trade_row *row,
                    const char **why)
{
    int64_t year;

    if (n != TRADE_FIELDS)
        return *why = "wrong number of fields", -1;
    memcpy(row->f, f, sizeof(row->f));
    if (find_name(&f[TRADE_DIRECTION], directions, N_DIR) < 0)
        return *why = "unknown Direction", -1;
    if (trade_parse_date(f[TRADE_DATE].p, f[TRADE_DATE].len, &row->year,
                         &row->month, &row->day) < 0)
        return *why = "Date is not a real dd/mm/yyyy date", -1;
    if (trade_parse_int(f[TRADE_YEAR].p, f[TRADE_YEAR].len, &year) < 0 ||
        year != row->year)
        return *why = "Year does not match Date", -1;
    row->weekday = find_name(&f[TRADE_WEEKDAY], weekday_names, 7);
    if (row->weekday != trade_weekday(row->year, row->month, row->day))
        return *why = "Weekday does not match Date", -1;
    if ((row->is_dollars = csv_equals(&f[TRADE_MEASURE], "$")) == false &&
        !csv_equals(&f[TRADE_MEASURE], "Tonnes"))
        return *why = "Measure is neither $ nor Tonnes", -1;
    if (trade_parse_int(f[TRADE_VALUE].p, f[TRADE_VALUE].len,
                        &row->value) < 0)
        return *why = "Value is not a whole number", -1;
    if (trade_parse_int(f[TRADE_CUMULATIVE].p, f[TRADE_CUMULATIVE].len,
                        &row->cumulative) < 0)
        return *why = "Cumulative is not a whole number", -1;
    return 0;
}
