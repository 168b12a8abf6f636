#!/usr/bin/env python3
"""check_claims.py - verify every "What to notice" claim of pardemo JSON.

Reads the JSON documents of `pardemo TOPIC --format json` (files given as
arguments) and checks each notice's claims against the numbers the notice
itself carries: {"rel": R, "a": NAME, "k": K, "b": NAME} reads "a R k*b"
over estimates {"v", "lo", "hi"} (null lo/hi: unbounded), with the same
rules as lib/notice.c:

  gt  a.lo >  k b.hi     lt  a.hi <  k b.lo     near  the intervals overlap
  ge  a.lo >= k b.hi     le  a.hi <= k b.lo     eq/ne exact values
  vgt vge vlt vle        the quoted values only

Prints one line per contradiction and a summary per file; exits 1 when any
claim is false, 2 on unreadable input.
"""
import json
import math
import sys


def est(val):
    v = val.get("v")
    lo = val.get("lo")
    hi = val.get("hi")
    v = math.nan if v is None else float(v)
    lo = -math.inf if lo is None else float(lo)
    hi = math.inf if hi is None else float(hi)
    return v, lo, hi


def holds(rel, a, k, b):
    av, alo, ahi = a
    bv, blo, bhi = (x * k for x in b)
    if math.isnan(av) or math.isnan(bv):
        return False
    return {
        "gt": lambda: alo > bhi, "ge": lambda: alo >= bhi,
        "lt": lambda: ahi < blo, "le": lambda: ahi <= blo,
        "near": lambda: alo <= bhi and ahi >= blo,
        "eq": lambda: av == bv, "ne": lambda: av != bv,
        "vgt": lambda: av > bv, "vge": lambda: av >= bv,
        "vlt": lambda: av < bv, "vle": lambda: av <= bv,
    }.get(rel, lambda: False)()


def check(doc, where):
    """Returns (claims checked, notices without claims, contradictions)."""
    checked, unchecked, bad = 0, 0, []
    for n in doc.get("notice", []):
        if isinstance(n, str) or not n.get("claims"):
            unchecked += 1
            if not isinstance(n, str) and n.get("values"):
                bad.append("%s: %s cites values but claims nothing: %s"
                           % (where, n.get("id"), n.get("text")))
            continue
        vals = n.get("values", {})
        for c in n["claims"]:
            checked += 1
            a, b = vals.get(c["a"]), vals.get(c["b"])
            k = c.get("k", 1)
            k = 1.0 if k is None else float(k)
            if a is None or b is None:
                bad.append("%s: %s: claim names a missing value"
                           % (where, n.get("id")))
            elif not holds(c["rel"], est(a), k, est(b)):
                bad.append("%s: %s: FALSE %s %s %g*%s (a=%s b=%s)\n    %s"
                           % (where, n.get("id"), c["a"], c["rel"], k,
                              c["b"], a, b, n.get("text")))
    return checked, unchecked, bad


def main(paths):
    total_bad = 0
    for path in paths:
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("%s: cannot read: %s" % (path, e))
            return 2
        checked, unchecked, bad = check(doc, path)
        for line in bad:
            print(line)
        total_bad += len(bad)
        print("%s: %d claims checked, %d contradicted, %d notices without "
              "a claim" % (path, checked, len(bad), unchecked))
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
