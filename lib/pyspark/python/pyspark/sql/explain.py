"""df.explain(): the physical plan, as Spark prints it, and the engine's
stages it runs as.

Spark's physical plan is a tree read from the bottom up: a scan, then
operators, an Exchange wherever rows must move between partitions (a
shuffle), and *(n) before the operators fused into one generated loop
(whole-stage codegen). pardemo's plan is made the same way (it is the
one pyspark/sql/execution.py runs), so the tree says where the shuffles
are and which parts run in C or in Python; the list after it says what
each engine stage does. Long lines are folded at 80 columns.
"""
import os

from pyspark.sql.execution import Execution, file_partitions
from pyspark.sql.expressions import BoundRef
from pyspark.sql.plan import (Aggregate, FileScan, Filter, Limit, LocalScan,
                              Project, RddScan, Sort, SubqueryAlias, Union,
                              SPARK_PARTITIONS)


class Node:
    """One operator of the physical plan; label names it in the stages."""

    def __init__(self, text, children=(), label=None, fused=True,
                 exchange=False, python=False):
        self.text = text
        self.children = list(children)
        self.label = label or text.split(" ")[0].split("(")[0]
        self.fused = fused          # inside a whole-stage loop
        self.exchange = exchange    # rows move between partitions here
        self.python = python        # evaluated in Python
        self.stage_id = None

    def lines(self):
        mark = "*(%d) " % self.stage_id if self.stage_id else ""
        out = [mark + self.text + (" (in Python)" if self.python else "")]
        for i, c in enumerate(self.children):
            last = i == len(self.children) - 1
            sub = c.lines()
            out.append(("+- " if last else ":- ") + sub[0])
            out += [("   " if last else ":  ") + s for s in sub[1:]]
        return out


def _cols(attrs):
    return ",".join(a.sql() for a in attrs)


def _is_c(exprs, ex):
    return ex.is_fast and all(e.to_c() is not None for e in exprs)


def _scan(plan, ex):
    if isinstance(plan, FileScan):
        n = file_partitions(plan.files, ex.sc.defaultParallelism,
                            ex.sc._conf)
        where = plan.files[0] if len(plan.files) == 1 else \
            os.path.dirname(plan.files[0])
        return Node("FileScan %s [%s] Format: %s, Location: file:%s "
                    "(%d file%s, %d partition%s)" % (
                        plan.fmt, _cols(plan.output), plan.fmt.upper(),
                        os.path.abspath(where), len(plan.files),
                        "s" if len(plan.files) > 1 else "", n,
                        "s" if n > 1 else ""),
                    label="FileScan " + plan.fmt, fused=False)
    if isinstance(plan, RddScan) and plan.is_values:
        return Node("Range (%s)" % _cols(plan.output))
    return Node("Scan ExistingRDD[%s]" % _cols(plan.output),
                label="Scan ExistingRDD")


def _project_text(plan):
    return "Project [%s]" % ", ".join(
        e.text(True) if isinstance(e, BoundRef) else
        "%s AS %s" % (e.children[0].text(True) if hasattr(e, "alias")
                      else e.text(True), a.sql())
        for e, a in zip(plan.exprs, plan.output))


def physical(plan, ex):
    """The physical plan of plan, as Nodes."""
    if isinstance(plan, (FileScan, LocalScan, RddScan)):
        return _scan(plan, ex)
    kids = [physical(c, ex) for c in plan.children]
    if isinstance(plan, Project):
        return Node(_project_text(plan), kids,
                    python=not _is_c(plan.exprs, ex))
    if isinstance(plan, Filter):
        return Node("Filter %s" % plan.cond.text(True), kids,
                    python=not _is_c([plan.cond], ex))
    if isinstance(plan, SubqueryAlias):
        return kids[0]
    if isinstance(plan, Limit):
        shuffle = Node("Exchange SinglePartition", [Node(
            "LocalLimit %d" % plan.n, kids)], "shuffle (one partition)",
            False, True)
        return Node("GlobalLimit %d" % plan.n, [shuffle], fused=False)
    if isinstance(plan, Union):
        return Node("Union", kids, fused=False)
    if isinstance(plan, Sort):
        return _sort(plan, kids[0], ex)
    if isinstance(plan, Aggregate):
        return _aggregate(plan, kids[0], ex)
    return _join(plan, kids, ex)


def _sort(plan, child, ex):
    orders = ", ".join(o.text(True) for o in plan.orders)
    shuffle = Node("Exchange rangepartitioning(%s, %d), ENSURE_REQUIREMENTS"
                   " (%d partitions here)" % (orders, SPARK_PARTITIONS,
                                              ex.nparts), [child],
                   "shuffle (by ranges of the sort key)", False, True)
    return Node("Sort [%s], true, 0" % orders, [shuffle])


def _aggregate(plan, child, ex):
    keys = ", ".join(k.text(True) for k in plan.keys)
    fns = [a.text(True) for a in plan.aggs]
    pre = list(plan.keys) + [a.children[0] for a in plan.aggs if a.children]
    if not _is_c(pre, ex):
        child = Node("Project [%s]" % ", ".join(e.text(True) for e in pre),
                     [child], python=True)
    partial = Node("HashAggregate(keys=[%s], functions=[%s])" % (
        keys, ", ".join("partial_" + f for f in fns)), [child],
        "HashAggregate (partial)")
    how = "hashpartitioning(%s, %d)" % (keys, SPARK_PARTITIONS) if keys \
        else "SinglePartition"
    n = ex.agg_parts if keys else 1
    shuffle = Node("Exchange %s, ENSURE_REQUIREMENTS (%d partition%s here)"
                   % (how, n, "s" if n > 1 else ""), [partial],
                   "shuffle (by hash of the key)", False, True)
    final = Node("HashAggregate(keys=[%s], functions=[%s])" % (
        keys, ", ".join(fns)), [shuffle], "HashAggregate (final)")
    if not _is_c(plan.final, ex):
        return Node("Project [%s]" % ", ".join(e.text(True) for e in
                                               plan.final), [final],
                    python=True)
    return final


def _join(plan, kids, ex):
    how = {"inner": "Inner", "left": "LeftOuter", "right": "RightOuter",
           "full": "FullOuter", "semi": "LeftSemi", "anti": "LeftAnti",
           "cross": "Cross"}[plan.how]
    lk = ", ".join(k.text(True) for k in plan.lkeys)
    rk = ", ".join(k.text(True) for k in plan.rkeys)
    build = plan.build_side(ex.session)
    if build is not None:
        side = 0 if build == "left" else 1
        kids[side] = Node("BroadcastExchange HashedRelationBroadcastMode("
                          "[%s]) (collected by the driver)"
                          % (lk if side == 0 else rk), [kids[side]],
                          "broadcast (to the driver, then every task)",
                          False, True)
        return Node("BroadcastHashJoin [%s], [%s], %s, Build%s, false"
                    % (lk, rk, how, build.capitalize()), kids)
    sides = []
    for keys, k in ((lk, kids[0]), (rk, kids[1])):
        shuffle = Node("Exchange rangepartitioning(%s, %d), "
                       "ENSURE_REQUIREMENTS (%d partitions here)"
                       % (keys, SPARK_PARTITIONS, ex.nparts), [k],
                       "shuffle (by ranges of the join key)", False, True)
        sides.append(Node("Sort [%s ASC NULLS FIRST], false, 0" % keys,
                          [shuffle]))
    return Node("SortMergeJoin [%s], [%s], %s" % (lk, rk, how), sides)


# ---- stages

def _number(node, counter):
    """Whole-stage ids, bottom up, as Spark numbers them: the C loops."""
    for c in node.children:
        _number(c, counter)
    if node.fused and not node.python and not node.exchange:
        below = [c for c in node.children if c.stage_id]
        if below:
            node.stage_id = below[0].stage_id
        else:
            counter[0] += 1
            node.stage_id = counter[0]


def _stages(node, out, tail):
    """Engine stages: the operators between two exchanges, bottom up;
    tail is what the stage ends in (a shuffle, or the result)."""
    ops = []

    def walk(n):
        for c in n.children:
            if c.exchange:
                _stages(c.children[0], out, c.label)
            else:
                walk(c)
        ops.append(n.label + (" (Python)" if n.python else ""))
    walk(node)
    out.append(ops + [tail])


def _fold(line, width=80):
    """A line of the tree folded at width -- after a comma or at a space
    -- and indented under its own operator."""
    lead = len(line) - len(line.lstrip(" :|+-*()0123456789"))
    out, indent = [], " " * (lead + 4)
    while len(line) > width:
        cut = max(line.rfind(" ", lead + 1, width),
                  line.rfind(",", lead + 1, width - 1) + 1)
        if cut <= lead + 1:
            break
        out.append(line[:cut].rstrip())
        line = indent + line[cut:].lstrip()
    return out + [line]


def explain_text(plan, session, extended=False):
    ex = Execution(session)
    root = physical(plan, ex)
    _number(root, [0])
    lines = []
    if extended:
        lines += ["== Analyzed Logical Plan =="] + plan.tree().split("\n") + \
            [""]
    tree = root.lines()
    lines += ["== Physical Plan ==", "AdaptiveSparkPlan isFinalPlan=false",
              "+- " + tree[0]] + ["   " + s for s in tree[1:]]
    stages = []
    _stages(root, stages, "the result")
    lines += ["", "== pardemo's engine: one C loop per stage, a shuffle "
              "between =="]
    for i, ops in enumerate(stages):
        lines.append("stage %d: %s" % (i + 1, " -> ".join(ops)))
    return "\n".join(x for line in lines for x in _fold(line)) + "\n"
