"""check_chart.py - is a chart of `pardemo plot` readable, judged from
gnuplot's own output? Used by test_bench.c:

    python3 check_chart.py CHECKFILE MIN_FONT_PT CHART.svg...

CHECKFILE holds, per panel, what gnuplot printed after drawing it (see
bench/gnuplot/common.gp, `check`): the chart, the axis ranges it drew
and the plot area in its own coordinates, then the data files plotted.
Each data file names the columns it draws on x and y ("# axes: x=1
y=2,3,4"). For each SVG this checks that:
  - every value of those columns lies within the axis range gnuplot drew
    (positive on a log axis): nothing was clipped away;
  - the key box (stroke #474747) intersects no plot area, and every
    point of every data path or marker lies in a plot area (or, for the
    key's own samples, in the key box): the key covers no data;
  - every text fits on the canvas, at MIN_FONT_PT or more (points on a
    slide 540 pt tall; 0 to skip).
Prints one line per problem and exits 1, or prints "ok N" and exits 0.
"""
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
KEYBOX = 'rgb( 71,  71,  71)'
SLACK = 2.0            # pixels: line caps, rounding in the SVG writer
problems = []


def number(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v


def read_checks(path):
    """chart -> list of (xlog, ylog, xr, yr, area, files)."""
    checks = {}
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) < 13:
            problems.append('checkfile: short line: %r' % line)
            continue
        chart = f[0]
        xlog, ylog = int(f[2]), int(f[3])
        xr = sorted((float(f[4]), float(f[5])))
        yr = sorted((float(f[6]), float(f[7])))
        area = [float(v) for v in f[8:12]]
        files = [p for p in f[12:] if p]
        checks.setdefault(chart, []).append((xlog, ylog, xr, yr, area,
                                             files))
    return checks


def axes_of(path):
    for line in open(path):
        m = re.match(r'# axes: x=([\d,]+) y=([\d,]+)', line)
        if m:
            return ([int(c) - 1 for c in m.group(1).split(',')],
                    [int(c) - 1 for c in m.group(2).split(',')])
    problems.append('%s: no "# axes:" line' % path)
    return [], []


def within(v, r, is_log):
    if is_log and v <= 0:
        return False
    tol = 1e-9 * max(abs(r[0]), abs(r[1]), 1)
    return r[0] - tol <= v <= r[1] + tol


def check_ranges(chart, panel):
    """Every drawn value inside the ranges gnuplot drew."""
    xlog, ylog, xr, yr, _, files = panel
    n = 0
    for path in files:
        xs, ys = axes_of(path)
        for lineno, line in enumerate(open(path), 1):
            if line.startswith('#') or not line.strip():
                continue
            cells = line.rstrip('\n').split('\t')
            for cols, r, lg, axis in ((xs, xr, xlog, 'x'),
                                      (ys, yr, ylog, 'y')):
                for c in cols:
                    v = number(cells[c]) if c < len(cells) else None
                    if v is None or v != v:     # a title line, or NaN
                        continue
                    n += 1
                    if not within(v, r, lg):
                        problems.append(
                            '%s: %s:%d: %s = %g outside %s [%g, %g]%s' %
                            (chart, path, lineno, axis, v, axis, r[0],
                             r[1], ' (log)' if lg else ''))
    return n


def points_of(d):
    """The absolute coordinates of an SVG path (gnuplot writes M, L, Z
    and the relative h, v of its point symbols)."""
    pts, x, y = [], 0.0, 0.0
    for cmd, args in re.findall(r'([MLhvZz])([^MLhvZz]*)', d):
        nums = [float(v) for v in re.findall(r'-?[\d.]+(?:e-?\d+)?', args)]
        if cmd in 'ML':
            for i in range(0, len(nums) - 1, 2):
                x, y = nums[i], nums[i + 1]
                pts.append((x, y))
        elif cmd == 'h' and nums:
            x += nums[0]
            pts.append((x, y))
        elif cmd == 'v' and nums:
            y += nums[0]
            pts.append((x, y))
    return pts


def inside(p, box, slack=SLACK):
    x0, y0, x1, y1 = box
    return x0 - slack <= p[0] <= x1 + slack and y0 - slack <= p[1] <= y1 + slack


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def translate_of(el):
    m = re.search(r'translate\(([-\d.]+),([-\d.]+)\)', el.get('transform', ''))
    return (float(m.group(1)), float(m.group(2))) if m else None


def walk(el, in_plot, out):
    """Collects (is_data, element) for paths, uses and texts."""
    gid = el.get('id', '')
    if el.tag == SVG + 'g' and gid.startswith('gnuplot_plot_'):
        in_plot = True
    if el.tag in (SVG + 'path', SVG + 'use', SVG + 'g'):
        out.append((in_plot, el))
    for child in el:
        walk(child, in_plot, out)


def check_svg(path, panels, min_pt):
    root = ET.parse(path).getroot()
    width = float(root.get('width'))
    height = float(root.get('height'))
    areas = []
    for p in panels:
        x0, x1, y0, y1 = p[4]
        areas.append((x0, height - y1, x1, height - y0))
    elements = []
    walk(root, False, elements)
    keys = []
    for _, el in elements:
        if el.tag == SVG + 'path' and el.get('stroke') == KEYBOX:
            pts = points_of(el.get('d', ''))
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            keys.append((min(xs), min(ys), max(xs), max(ys)))
    if not keys:
        problems.append('%s: no key box found' % path)
    for k in keys:
        if k[0] < 0 or k[1] < 0 or k[2] > width - 1 or k[3] > height - 1:
            problems.append('%s: the key box %s runs off the %gx%g canvas' %
                            (path, k, width, height))
        for a in areas:
            if overlaps(k, a):
                problems.append('%s: the key box %s overlaps the plot area '
                                '%s' % (path, k, a))
    ndata = 0
    for is_data, el in elements:
        if not is_data or el.tag == SVG + 'g':
            continue
        if el.tag == SVG + 'use':
            t = translate_of(el)
            pts = [t] if t else []
        else:
            pts = points_of(el.get('d', ''))
        for p in pts:
            ndata += 1
            if not any(inside(p, a) for a in areas + keys):
                problems.append('%s: a data point at (%.1f, %.1f) lies '
                                'outside every plot area' % (path, p[0],
                                                             p[1]))
                break
    check_texts(path, root, width, height, min_pt)
    return ndata


# Advance widths of DejaVu Sans (gnuplot's "sans" here), in em.
WIDTHS = {' ': .318, '.': .318, ',': .318, ':': .337, ';': .337, '(': .39,
          ')': .39, '/': .337, '%': .95, '-': .361, '=': .838, '|': .337,
          "'": .275, '>': .838, '<': .838, '+': .838, 'f': .352, 'i': .278,
          'j': .278, 'l': .278, 'r': .411, 't': .392, 's': .521, 'c': .55,
          'z': .525, 'k': .579, 'v': .592, 'x': .592, 'y': .592, 'm': .974,
          'w': .818, 'I': .295, 'M': .863, 'W': .989}


def text_width(s, size):
    """The width of s at font size (1.04: a little room for kerning)."""
    em = 0.0
    for ch in s:
        if ch in WIDTHS:
            em += WIDTHS[ch]
        elif ch.isupper():
            em += .72
        else:
            em += .636          # digits, most lower case, µ
    return 1.04 * em * size


def check_texts(path, root, width, height, min_pt):
    """Every text on the canvas (its width from DejaVu Sans' advances),
    and big enough for a slide."""
    for g in root.iter(SVG + 'g'):
        text = g.find(SVG + 'text')
        t = translate_of(g)
        if text is None or t is None:
            continue
        s = ''.join(text.itertext())
        size = float(g.get('font-size', '0') or 0)
        if min_pt and size and size / height * 540 < min_pt - 0.01:
            problems.append('%s: text %r at %.1f px is under %g pt on a '
                            'slide' % (path, s, size, min_pt))
        w = text_width(s, size)
        anchor = g.get('text-anchor', 'start')
        x0 = t[0] - (w if anchor == 'end' else w / 2 if anchor ==
                     'middle' else 0)
        if 'rotate(270)' in g.get('transform', ''):
            lo, hi, span = t[1] - w, t[1], height
            if anchor == 'middle':
                lo, hi = t[1] - w / 2, t[1] + w / 2
        else:
            lo, hi, span = x0, x0 + w, width
        if lo < -SLACK or hi > span + SLACK or not 0 <= t[1] <= height:
            problems.append('%s: text %r runs off the canvas' % (path, s))


def main():
    checks = read_checks(sys.argv[1])
    min_pt = float(sys.argv[2])
    total = 0
    for svg in sys.argv[3:]:
        chart = re.sub(r'\.svg$', '', svg.rsplit('/', 1)[-1])
        panels = checks.get(chart)
        if not panels:
            problems.append('%s: gnuplot printed no check line' % svg)
            continue
        for p in panels:
            total += check_ranges(chart, p)
        total += check_svg(svg, panels, min_pt)
    for p in problems[:40]:
        print(p)
    if problems:
        sys.exit(1)
    print('ok', total)


main()
