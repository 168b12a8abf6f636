"""DataFrame programs of the Databricks practical, and what Spark prints.

Each entry: a name, the PySpark program (run as `pardemo spark -t 2
prog.py DATA`), a reference in plain Python 3 that prints what Spark
prints for it -- the trade CSV read with the csv module, Spark 3's rules
written out (inferSchema's types, Java's number text, showString's
table) -- and how to compare: "exact", or "sorted" where Spark's row
order is not defined.

DATA is a directory holding trade.csv (`pardemo gen trade`, 3000 rows:
its quoted "Korea, Republic of" is read by RFC 4180 rules). The programs
set spark.sql.files.maxPartitionBytes to 64 KiB, so that the file is
read in several partitions, as a big one would be.

usage: frames.py PARDEMO [NAME...]  -- prints each mismatch, then a
count; exits 1 if any program differs.
"""
import os
import shutil
import subprocess
import sys
import tempfile

READ = r'''
import sys
from pyspark.sql import functions as F
spark.conf.set("spark.sql.files.maxPartitionBytes", 65536)
df = spark.read.csv(sys.argv[1] + "/trade.csv", header=True, inferSchema=True)
'''

# the reference's half: the rows, Spark's types and Spark's texts
REF = r'''
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/trade.csv", newline="")))
names = list(rows[0].keys())

def spark_type(values):
    """inferSchema: int if every field is a 32-bit int, long if a 64-bit
    one, double if a number, else string (dd/MM/yyyy is no date)."""
    def is_int(v, bits):
        try:
            return -2 ** (bits - 1) <= int(v) < 2 ** (bits - 1) and \
                v.lstrip("+-").isdigit()
        except ValueError:
            return False
    def is_double(v):
        try:
            float(v)
            return True
        except ValueError:
            return False
    vals = [v for v in values if v != ""]
    for name, test in (("integer", lambda v: is_int(v, 32)),
                       ("long", lambda v: is_int(v, 64)),
                       ("double", is_double)):
        if vals and all(test(v) for v in vals):
            return name
    return "string"

TYPES = {n: spark_type([r[n] for r in rows]) for n in names}

def value(n, v):
    if v == "":
        return None
    return int(v) if TYPES[n] in ("integer", "long") else \
        float(v) if TYPES[n] == "double" else v

def java(d):
    """Java's Double.toString: Python's shortest digits, Java's layout
    (plain from 0.001 up to 10^7, else d.dddEn)."""
    from decimal import Decimal
    if d != d or d in (float("inf"), float("-inf")) or d == 0:
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(
            repr(d), repr(d))
    if 1e-3 <= abs(d) < 1e7:
        return repr(d)
    t = Decimal(repr(d)).as_tuple()
    digits = "".join(map(str, t.digits)).rstrip("0") or "0"
    exp = len(t.digits) + t.exponent - 1
    return "%s%s.%sE%d" % ("-" if d < 0 else "", digits[0],
                           digits[1:] or "0", exp)

def cell(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    return java(v) if isinstance(v, float) else str(v)

def show(header, data, n=20, truncate=20):
    """Dataset.showString (ASCII cells)."""
    def cut(s):
        if truncate > 0 and len(s) > truncate:
            return s[:truncate] if truncate < 4 else s[:truncate - 3] + "..."
        return s
    cells = [list(header)] + [[cut(cell(v)) for v in r] for r in data[:n]]
    w = [max(3, max(len(r[i]) for r in cells)) for i in range(len(header))]
    sep = "+" + "+".join("-" * x for x in w) + "+"
    def line(r):
        return "|" + "|".join(c.rjust(x) if truncate > 0 else c.ljust(x)
                              for c, x in zip(r, w)) + "|"
    out = [sep, line(cells[0]), sep] + [line(r) for r in cells[1:]] + [sep]
    if len(data) > n:
        out.append("only showing top %d row%s" % (n, "" if n == 1 else "s"))
    print("\n".join(out) + "\n")
'''

PROGRAMS = [
    ("groupby_country_sum", READ + r'''
for r in df.groupBy("Country").agg(F.sum("Value")).collect():
    print(r["Country"], r["sum(Value)"])
''', REF + r'''
from collections import defaultdict
total = defaultdict(int)
for r in rows:
    total[r["Country"]] += int(r["Value"])
for c, v in total.items():
    print(c, v)
''', "sorted"),

    ("printschema_and_dtypes", READ + r'''
df.printSchema()
print(df.dtypes)
print(df.columns)
''', REF + r'''
print("root")
for n in names:
    print(" |-- %s: %s (nullable = true)" % (n, TYPES[n]))
print()
simple = {"integer": "int", "long": "bigint"}
print([(n, simple.get(TYPES[n], TYPES[n])) for n in names])
print(names)
''', "exact"),

    ("show_five_rows", READ + r'''
df.show(5)
df.select("Country", "Commodity").show(3, truncate=False)
df.select("Commodity").show(2, truncate=12)
''', REF + r'''
data = [[value(n, r[n]) for n in names] for r in rows]
show(names, data, 5)
show(["Country", "Commodity"], [[r["Country"], r["Commodity"]] for r in rows],
     3, 0)
show(["Commodity"], [[r["Commodity"]] for r in rows], 2, 12)
''', "exact"),

    ("filter_count", READ + r'''
print(df.count())
print(df.filter((F.col("Value") > 1000000) & (F.col("Measure") == "$")).count())
print(df.where("Measure = 'Tonnes' AND Value < 500").count())
print(df.filter(F.col("Country").isin("China", "Japan")).count())
print(df.filter(F.col("Commodity").like("%meat%") | F.col("Commodity").like("Meat%")).count())
print(df.filter(~(F.col("Direction") == "Exports")).count())
''', REF + r'''
print(len(rows))
print(sum(1 for r in rows if int(r["Value"]) > 1000000 and r["Measure"] == "$"))
print(sum(1 for r in rows if r["Measure"] == "Tonnes" and int(r["Value"]) < 500))
print(sum(1 for r in rows if r["Country"] in ("China", "Japan")))
print(sum(1 for r in rows if "meat" in r["Commodity"] or r["Commodity"].startswith("Meat")))
print(sum(1 for r in rows if r["Direction"] != "Exports"))
''', "exact"),

    ("quoted_commas", READ + r'''
korea = df.filter(F.col("Country") == "Korea, Republic of")
print(korea.count(), korea.select("Country").distinct().collect())
''', REF + r'''
n = sum(1 for r in rows if r["Country"] == "Korea, Republic of")
print(n, "[Row(Country='Korea, Republic of')]" if n else "[]")
''', "exact"),

    ("order_by_value", READ + r'''
top = df.orderBy(F.desc("Value"), "Country", "Date").select("Country", "Date", "Value")
for r in top.take(8):
    print(r)
print(df.orderBy("Value").first()["Value"])
''', REF + r'''
srt = sorted(rows, key=lambda r: (-int(r["Value"]), r["Country"], r["Date"]))
for r in srt[:8]:
    print("Row(Country=%r, Date=%r, Value=%d)" % (r["Country"], r["Date"],
                                                int(r["Value"])))
print(min(int(r["Value"]) for r in rows))
''', "exact"),

    ("avg_max_min_by_year", READ + r'''
out = df.groupBy("Year").agg(F.avg("Value").alias("mean"), F.max("Value"),
                             F.min("Value"), F.count("*").alias("n"))
for r in out.orderBy("Year").collect():
    print(r.Year, r.mean, r["max(Value)"], r["min(Value)"], r.n)
''', REF + r'''
from collections import defaultdict
by = defaultdict(list)
for r in rows:
    by[int(r["Year"])].append(int(r["Value"]))
for y in sorted(by):
    v = by[y]
    print(y, sum(v) / len(v), max(v), min(v), len(v))
''', "exact"),

    ("distinct_and_dedup", READ + r'''
print(df.select("Country").distinct().count())
print(df.select("Direction", "Measure").distinct().count())
print(df.dropDuplicates(["Country"]).count())
''', REF + r'''
print(len({r["Country"] for r in rows}))
print(len({(r["Direction"], r["Measure"]) for r in rows}))
print(len({r["Country"] for r in rows}))
''', "exact"),

    ("with_column_millions", READ + r'''
m = df.withColumn("Millions", F.col("Value") / 1000000) \
      .withColumnRenamed("Transport_Mode", "Mode").drop("Cumulative")
print(m.columns)
m.select("Country", "Millions").show(4)
''', REF + r'''
cols = [n for n in names if n != "Cumulative"] + ["Millions"]
print([("Mode" if c == "Transport_Mode" else c) for c in cols])
show(["Country", "Millions"],
     [[r["Country"], int(r["Value"]) / 1000000] for r in rows], 4)
''', "exact"),

    ("join_a_lookup_table", READ + r'''
regions = spark.createDataFrame([("China", "Asia"), ("Japan", "Asia"),
                                 ("Australia", "Oceania"), ("Fiji", "Oceania"),
                                 ("Germany", "Europe")], ["Country", "Region"])
j = df.join(regions, "Country")
for r in j.groupBy("Region").agg(F.sum("Value").alias("total")).collect():
    print(r.Region, r.total)
print(df.join(regions, "Country", "left").filter(F.col("Region").isNull()).count())
print(df.join(regions, "Country", "left_anti").count())
''', REF + r'''
regions = {"China": "Asia", "Japan": "Asia", "Australia": "Oceania",
           "Fiji": "Oceania", "Germany": "Europe"}
from collections import defaultdict
t = defaultdict(int)
for r in rows:
    if r["Country"] in regions:
        t[regions[r["Country"]]] += int(r["Value"])
for k, v in t.items():
    print(k, v)
print(sum(1 for r in rows if r["Country"] not in regions))
print(sum(1 for r in rows if r["Country"] not in regions))
''', "sorted"),

    ("select_expr_and_sql_filter", READ + r'''
e = df.selectExpr("Country", "Value * 2 AS twice", "upper(Measure) AS m")
print(e.filter("twice > 100000000 AND m = '$'").count())
print(e.columns, e.dtypes)
''', REF + r'''
print(sum(1 for r in rows if int(r["Value"]) * 2 > 100000000 and r["Measure"] == "$"))
t = "bigint" if TYPES["Value"] == "long" else "int"
print(['Country', 'twice', 'm'], [('Country', 'string'), ('twice', t), ('m', 'string')])
''', "exact"),

    ("dates_as_strings_and_dates", r'''
import sys
from pyspark.sql import functions as F
p = sys.argv[1] + "/trade.csv"
s = spark.read.csv(p, header=True, inferSchema=True)
d = spark.read.csv(p, header=True, inferSchema=True, dateFormat="dd/MM/yyyy")
print(dict(s.dtypes)["Date"], dict(d.dtypes)["Date"])
print(d.select("Date").first()[0], s.select("Date").first()[0])
d.select("Date", F.year("Date").alias("y"), F.month("Date").alias("m")).show(2)
''', REF + r'''
import datetime
day, month, year = map(int, rows[0]["Date"].split("/"))
print("string", "date")
print(datetime.date(year, month, day), rows[0]["Date"])
data = []
for r in rows[:3]:
    dd, mm, yy = map(int, r["Date"].split("/"))
    data.append(["%04d-%02d-%02d" % (yy, mm, dd), yy, mm])
show(["Date", "y", "m"], data, 2)
''', "exact"),

    ("text_and_rdd_round_trip", r'''
import sys
from pyspark.sql import functions as F
lines = spark.read.text(sys.argv[1] + "/trade.csv")
print(lines.count(), lines.columns, lines.first().value[:9])
df = spark.read.option("header", "true").option("inferSchema", "true") \
    .format("csv").load(sys.argv[1] + "/trade.csv")
print(df.rdd.map(lambda r: r.Value).sum())
back = df.rdd.map(lambda r: (r.Country, r.Value)).toDF(["c", "v"])
print(back.groupBy("c").agg(F.sum("v")).count())
''', REF + r'''
print(len(rows) + 1, ['value'], "Direction")
print(sum(int(r["Value"]) for r in rows))
print(len({r["Country"] for r in rows}))
''', "exact"),

    ("python_functions_and_udf", READ + r'''
from pyspark.sql.types import IntegerType
words = F.udf(lambda s: len(s.split()), IntegerType())
x = df.select(F.length("Commodity").alias("n"), words("Commodity").alias("w"),
              F.concat_ws("/", "Direction", "Measure").alias("dm"),
              F.substring("Date", 4, 2).alias("mm"))
for r in x.distinct().orderBy("n", "w", "dm", "mm").take(5):
    print(r)
''', REF + r'''
seen = sorted({(len(r["Commodity"]), len(r["Commodity"].split()),
                r["Direction"] + "/" + r["Measure"], r["Date"][3:5])
               for r in rows})
for n, w, dm, mm in seen[:5]:
    print("Row(n=%d, w=%d, dm=%r, mm=%r)" % (n, w, dm, mm))
''', "exact"),
]


def make_data(d, pardemo):
    subprocess.run([pardemo, "gen", "trade", "--rows", "3000", "-o",
                    os.path.join(d, "trade.csv")], check=True,
                   stderr=subprocess.DEVNULL)


def run(cmd, d):
    env = dict(os.environ, PYTHONHASHSEED="0")
    p = subprocess.run(cmd + [d], capture_output=True, text=True, env=env,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def main():
    pardemo, names = sys.argv[1], set(sys.argv[2:])
    top = tempfile.mkdtemp(prefix="pardemo-frames-")
    failed = 0
    try:
        for name, prog, ref, how in PROGRAMS:
            if names and name not in names:
                continue
            d = os.path.join(top, name)
            os.makedirs(d)
            make_data(d, pardemo)
            with open(os.path.join(d, "prog.py"), "w") as f:
                f.write(prog)
            with open(os.path.join(d, "ref.py"), "w") as f:
                f.write(ref)
            got = run([pardemo, "spark", "-t", "2", os.path.join(d, "prog.py")],
                      d)
            want = run(["/usr/bin/python3", os.path.join(d, "ref.py")], d)
            same = got[1] == want[1] if how == "exact" else \
                sorted(got[1].splitlines()) == sorted(want[1].splitlines())
            if got[0] != 0 or want[0] != 0 or not same:
                failed += 1
                print("== %s (%s): pardemo exit %d, python3 exit %d\n"
                      "-- pardemo:\n%s%s-- python3 (Spark's output):\n%s%s"
                      % (name, how, got[0], want[0], got[1], got[2], want[1],
                         want[2]))
    finally:
        shutil.rmtree(top)
    total = len(names) if names else len(PROGRAMS)
    print("%d programs, %d differ" % (total, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
