# The eval example component: a tokenizer and a recursive-descent parser over floats; nothing is ever run as Python.
import math
import re

import wit_world
from componentize_py_types import Err

MAX_LENGTH = 2000
MAX_DEPTH = 64
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}

# name -> (min args, max args or None for any, implementation)
FUNCTIONS = {
    "sqrt": (1, 1, math.sqrt),
    "abs": (1, 1, abs),
    "ln": (1, 1, math.log),
    "log10": (1, 1, math.log10),
    "log2": (1, 1, math.log2),
    "exp": (1, 1, math.exp),
    "sin": (1, 1, math.sin),
    "cos": (1, 1, math.cos),
    "tan": (1, 1, math.tan),
    "asin": (1, 1, math.asin),
    "acos": (1, 1, math.acos),
    "atan": (1, 1, math.atan),
    "floor": (1, 1, lambda x: float(math.floor(x))),
    "ceil": (1, 1, lambda x: float(math.ceil(x))),
    "round": (1, 1, lambda x: float(round(x))),
    "min": (1, None, min),
    "max": (1, None, max),
    "pow": (2, 2, math.pow),
    "hypot": (1, None, math.hypot),
}


class EvalError(Exception):
    pass


TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),]))")


def tokenize(src):
    tokens = []
    pos = 0
    while True:
        while pos < len(src) and src[pos].isspace():
            pos += 1
        if pos >= len(src):
            break
        m = TOKEN.match(src, pos)
        if m is None:
            raise EvalError(f"unexpected character {src[pos]!r} at position {pos + 1}")
        start = m.start(m.lastindex)
        if m.group(1) is not None:
            tokens.append(("num", float(m.group(1)), start))
        elif m.group(2) is not None:
            tokens.append(("name", m.group(2), start))
        else:
            tokens.append(("op", m.group(3), start))
        pos = m.end()
    tokens.append(("end", None, len(src)))
    return tokens


class Parser:
    """expr := term (('+'|'-') term)*; term := unary (('*'|'/'|'%') unary)*;
    unary := ('-'|'+') unary | power; power := atom (('^'|'**') unary)?; atom := number | name | call | '(' expr ')'"""

    def __init__(self, src, variables):
        self.tokens = tokenize(src)
        self.i = 0
        self.depth = 0
        self.variables = variables

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        t = self.tokens[self.i]
        self.i += 1
        return t

    def expect(self, op):
        kind, val, pos = self.take()
        if kind != "op" or val != op:
            raise EvalError(f"expected {op!r} at position {pos + 1}, found {describe((kind, val, pos))}")

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise EvalError(f"expression nested deeper than {MAX_DEPTH} levels")

    def parse(self):
        value = self.expr()
        t = self.peek()
        if t[0] != "end":
            raise EvalError(f"unexpected {describe(t)} at position {t[2] + 1}")
        return value

    def expr(self):
        self.enter()
        value = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            rhs = self.term()
            value = value + rhs if op == "+" else value - rhs
        self.depth -= 1
        return value

    def term(self):
        value = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/", "%"):
            kind, op, pos = self.take()
            rhs = self.unary()
            if op == "*":
                value = value * rhs
            elif rhs == 0:
                raise EvalError(f"division by zero at position {pos + 1}")
            elif op == "/":
                value = value / rhs
            else:
                value = math.fmod(value, rhs)
        return value

    def unary(self):
        t = self.peek()
        if t[0] == "op" and t[1] in ("-", "+"):
            self.take()
            self.enter()
            value = self.unary()
            self.depth -= 1
            return -value if t[1] == "-" else value
        return self.power()

    def power(self):
        base = self.atom()
        t = self.peek()
        if t[0] == "op" and t[1] in ("^", "**"):
            self.take()
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            return apply("power", math.pow, [base, exponent], t[2])
        return base

    def atom(self):
        kind, val, pos = self.take()
        if kind == "num":
            return val
        if kind == "op" and val == "(":
            value = self.expr()
            self.expect(")")
            return value
        if kind == "name":
            if self.peek()[0] == "op" and self.peek()[1] == "(":
                return self.call(val, pos)
            if val in self.variables:
                return self.variables[val]
            if val in CONSTANTS:
                return CONSTANTS[val]
            if val in FUNCTIONS:
                raise EvalError(f"function {val!r} at position {pos + 1} needs arguments in parentheses")
            raise EvalError(f"unknown name {val!r} at position {pos + 1}")
        raise EvalError(f"unexpected {describe((kind, val, pos))} at position {pos + 1}")

    def call(self, name, pos):
        if name not in FUNCTIONS:
            raise EvalError(f"unknown function {name!r} at position {pos + 1}")
        lo, hi, fn = FUNCTIONS[name]
        self.expect("(")
        args = []
        if not (self.peek()[0] == "op" and self.peek()[1] == ")"):
            args.append(self.expr())
            while self.peek()[0] == "op" and self.peek()[1] == ",":
                self.take()
                args.append(self.expr())
        self.expect(")")
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = str(lo) if hi == lo else f"at least {lo}"
            raise EvalError(f"{name} takes {want} argument(s), got {len(args)} (position {pos + 1})")
        return apply(name, fn, args, pos)


def apply(name, fn, args, pos):
    try:
        value = float(fn(*args))
    except (ValueError, OverflowError, ZeroDivisionError) as e:
        raise EvalError(f"{name} at position {pos + 1}: {e}")
    if not math.isfinite(value):
        raise EvalError(f"{name} at position {pos + 1} gives a non-finite result")
    return value


def describe(token):
    kind, val, _ = token
    if kind == "end":
        return "end of expression"
    return repr(val) if kind != "num" else f"number {val:g}"


def run(expression, variables):
    if len(expression) > MAX_LENGTH:
        raise Err(f"expression is {len(expression)} characters long; the limit is {MAX_LENGTH}")
    try:
        value = Parser(expression, variables).parse()
    except EvalError as e:
        raise Err(str(e))
    except RecursionError:
        raise Err(f"expression nested deeper than {MAX_DEPTH} levels")
    if not math.isfinite(value):
        raise Err("the result is not a finite number")
    return value


class WitWorld(wit_world.WitWorld):
    def evaluate(self, expression):
        return run(expression, {})

    def evaluate_with(self, expression, variables):
        scope = {}
        for v in variables:
            if not NAME.match(v.name):
                raise Err(f"invalid variable name {v.name!r}: use letters, digits and _, not starting with a digit")
            if v.name in scope:
                raise Err(f"variable {v.name!r} is given twice")
            if v.name in FUNCTIONS:
                raise Err(f"variable {v.name!r} would hide the function of that name")
            if not math.isfinite(v.value):
                raise Err(f"variable {v.name!r} is not a finite number")
            scope[v.name] = v.value
        return run(expression, scope)

    def list_functions(self):
        names = []
        for name, (lo, hi, _) in FUNCTIONS.items():
            params = ", ".join(["x", "y"][:lo] if lo <= 2 else ["x"] * lo)
            if hi is None:
                params += ", ..."
            names.append(f"{name}({params})")
        return names + sorted(CONSTANTS)
