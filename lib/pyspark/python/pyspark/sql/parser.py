"""SQL expressions as text: selectExpr("Value * 2 AS double"),
filter("Value > 100 AND Country = 'China'"), expr("count(*)").

A small recursive-descent parser for the expression part of Spark SQL:
literals, column names (`quoted` too), + - * / %, comparisons, AND OR
NOT, IS [NOT] NULL, [NOT] IN, [NOT] LIKE, BETWEEN, CASE WHEN, CAST(x AS
type) and function calls, which are pyspark.sql.functions by name. Each
rule is one method, lowest precedence first.
"""
import re

from pyspark.errors import ParseException
from pyspark.sql import expressions as E
from pyspark.sql.types import _parse_datatype_string

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+\.\d*(?:[eE][+-]?\d+)?[dDlL]?|\.\d+(?:[eE][+-]?\d+)?[dD]?|
            \d+(?:[eE][+-]?\d+)?[dDlL]?)
  | (?P<str>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*")
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op><=>|==|!=|<>|<=|>=|\|\||[-+*/%<>=(),.])
)""", re.VERBOSE)

_KEYWORDS = {"AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "BETWEEN",
             "AS", "CASE", "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE",
             "CAST", "DISTINCT", "DATE", "RLIKE"}


def _lex(text):
    toks, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise _error(text, len(text[:pos]) + len(text[pos:]) -
                         len(text[pos:].lstrip()))
        kind = m.lastgroup
        toks.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return toks


def _error(text, pos):
    near = text[pos:].split()[0] if text[pos:].split() else "end of input"
    return ParseException(
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '%s'.(line 1, pos %d)"
        "\n\n== SQL ==\n%s\n%s^^^\n" % (near, pos, text, "-" * pos),
        error_class="PARSE_SYNTAX_ERROR")


class _Parser:
    def __init__(self, text):
        self.text = text
        self.toks = _lex(text)
        self.i = 0

    # ---- tokens

    def peek(self, k=0):
        t = self.toks[self.i + k] if self.i + k < len(self.toks) else None
        return t

    def word(self, k=0):
        t = self.peek(k)
        return t[1].upper() if t and t[0] == "word" else None

    def op(self):
        t = self.peek()
        return t[1] if t and t[0] == "op" else None

    def take(self, *words):
        if self.word() in words or self.op() in words:
            self.i += 1
            return True
        return False

    def expect(self, what):
        if not self.take(what):
            raise self.error()

    def error(self):
        t = self.peek()
        return _error(self.text, t[2] if t else len(self.text))

    # ---- grammar, lowest precedence first

    def named(self):
        e = self.expr()
        if self.take("AS") or (self.word() and self.word() not in
                               _KEYWORDS):
            t = self.peek()
            if not t or t[0] not in ("word", "quoted"):
                raise self.error()
            self.i += 1
            e = E.Alias(e, t[1].strip("`"))
        return e

    def expr(self):
        e = self.conjunction()
        while self.take("OR"):
            e = E.Or(e, self.conjunction())
        return e

    def conjunction(self):
        e = self.negation()
        while self.take("AND"):
            e = E.And(e, self.negation())
        return e

    def negation(self):
        if self.take("NOT"):
            return E.Not(self.negation())
        return self.predicate()

    def predicate(self):
        e = self.additive()
        ops = {"=": "eq", "==": "eq", "<": "lt", "<=": "le", ">": "gt",
               ">=": "ge", "<=>": "eqns"}
        if self.op() in ops:
            self.i += 1
            return E.Compare(ops[self.peek(-1)[1]], e, self.additive())
        if self.op() in ("!=", "<>"):
            self.i += 1
            return E.Not(E.Compare("eq", e, self.additive()))
        if self.take("IS"):
            negated = self.take("NOT")
            self.expect("NULL")
            return E.IsNull(e, negated)
        negated = self.take("NOT")
        if self.take("IN"):
            self.expect("(")
            items = [self.expr()]
            while self.take(","):
                items.append(self.expr())
            self.expect(")")
            e = E.In(e, items)
        elif self.take("LIKE"):
            e = E.Like(e, self.additive())
        elif self.take("BETWEEN"):
            lo = self.additive()
            self.expect("AND")
            e = E.And(E.Compare("ge", e, lo),
                      E.Compare("le", e, self.additive()))
        elif negated:
            raise self.error()
        return E.Not(e) if negated else e

    def additive(self):
        e = self.term()
        while self.op() in ("+", "-", "||"):
            op = self.op()
            self.i += 1
            rhs = self.term()
            if op == "||":
                from pyspark.sql.functions import concat
                from pyspark.sql.column import Column
                e = concat(Column(e), Column(rhs))._expr
            else:
                e = E.Arith("add" if op == "+" else "sub", e, rhs)
        return e

    def term(self):
        e = self.unary()
        while self.op() in ("*", "/", "%"):
            op = {"*": "mul", "/": "div", "%": "mod"}[self.op()]
            self.i += 1
            e = E.Arith(op, e, self.unary())
        return e

    def unary(self):
        if self.take("-"):
            e = self.unary()
            if isinstance(e, E.Literal) and isinstance(e.value, (int, float)):
                return E.Literal(-e.value)
            return E.Negate(e)
        self.take("+")
        return self.primary()

    def primary(self):
        t = self.peek()
        if t is None:
            raise self.error()
        kind, text = t[0], t[1]
        if kind == "num":
            self.i += 1
            return E.Literal(_number(text))
        if kind == "str":
            self.i += 1
            return E.Literal(_string(text))
        if self.take("("):
            e = self.expr()
            self.expect(")")
            return e
        if self.take("*"):
            return E.Star()
        if kind == "word" and text.upper() in ("TRUE", "FALSE", "NULL"):
            self.i += 1
            return E.Literal({"TRUE": True, "FALSE": False,
                              "NULL": None}[text.upper()])
        if self.word() == "CAST":
            return self.cast()
        if self.word() == "CASE":
            return self.case()
        if self.word() == "DATE" and self.peek(1) and self.peek(1)[0] == \
                "str":
            import datetime
            self.i += 2
            return E.Literal(datetime.date.fromisoformat(
                _string(self.peek(-1)[1])))
        if kind in ("word", "quoted"):
            return self.name_or_call()
        raise self.error()

    def cast(self):
        self.i += 1
        self.expect("(")
        e = self.expr()
        self.expect("AS")
        start = self.i
        depth = 0
        while self.peek() and (depth or self.op() != ")"):
            depth += {"(": 1, ")": -1, "<": 1, ">": -1}.get(self.op(), 0)
            self.i += 1
        type_text = " ".join(t[1] for t in self.toks[start:self.i])
        self.expect(")")
        return E.Cast(e, _parse_datatype_string(type_text))

    def case(self):
        self.i += 1
        branches, otherwise = [], None
        while self.take("WHEN"):
            cond = self.expr()
            self.expect("THEN")
            branches.append((cond, self.expr()))
        if self.take("ELSE"):
            otherwise = self.expr()
        self.expect("END")
        return E.CaseWhen(branches, otherwise)

    def name_or_call(self):
        name = self.peek()[1]
        self.i += 1
        if self.op() == "(" and self.peek(-1)[0] == "word":
            return self.call(name)
        parts = [name.strip("`").replace("``", "`")]
        while self.op() == "." and self.peek(1) and \
                self.peek(1)[0] in ("word", "quoted"):
            self.i += 1
            parts.append(self.peek()[1].strip("`"))
            self.i += 1
        if len(parts) == 1 and name.startswith("`"):
            return E.ColumnRef("`%s`" % parts[0].replace("`", "``"))
        return E.ColumnRef(".".join(parts))

    def call(self, name):
        from pyspark.sql import functions as F
        from pyspark.sql.column import Column
        self.expect("(")
        distinct = self.take("DISTINCT")
        args = []
        if not self.take(")"):
            args.append(self.expr())
            while self.take(","):
                args.append(self.expr())
            self.expect(")")
        fn = {"mean": "avg", "substr": "substring", "stddev_samp":
              "stddev_samp", "power": "pow", "ceiling": "ceil",
              "day": "dayofmonth"}.get(name.lower(), name.lower())
        if fn == "count" and distinct:
            return F.countDistinct(Column(args[0]))._expr
        if not hasattr(F, fn) or fn.startswith("_") or fn in ("udf", "expr",
                                                              "col"):
            raise _unknown_function(name)
        lits = {"round", "substring", "lpad", "rpad", "regexp_replace",
                "regexp_extract", "split", "to_date", "date_format",
                "concat_ws", "date_add", "date_sub"}
        cols = [Column(a) for a in args]
        if fn in lits:          # their later arguments are plain values
            cols = [cols[0]] + [a.value if isinstance(a, E.Literal) else c
                                for a, c in zip(args[1:], cols[1:])]
            if fn == "concat_ws":
                cols = [args[0].value] + [Column(a) for a in args[1:]]
        return getattr(F, fn)(*cols)._expr


def _unknown_function(name):
    from pyspark.errors import AnalysisException
    return AnalysisException(
        "[UNRESOLVED_ROUTINE] Cannot resolve function `%s` on search path "
        "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
        % name, error_class="UNRESOLVED_ROUTINE")


def _number(text):
    if text[-1] in "dD":
        return float(text[:-1])
    if text[-1] in "lL":
        return int(text[:-1])
    if "." in text or "e" in text or "E" in text:
        return float(text)      # Spark's 1.5 is a decimal: a double here
    return int(text)


def _string(text):
    body = text[1:-1]
    if text[0] == "'":
        body = body.replace("''", "'")
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(
        m.group(1), m.group(1)), body)


def parse_expression(text):
    """The expression of text (with its AS name, if any)."""
    p = _Parser(text)
    e = p.named()
    if p.peek() is not None:
        raise p.error()
    return e
