# The csv-stats example component: Python's csv module reads the table, statistics are computed in plain Python.
import csv
import io
import math
import re
import statistics

import wit_world
from componentize_py_types import Err

MAX_TEXT = 10_000_000
MAX_COLUMNS = 1000
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")


def parse_table(text, delimiter):
    if len(text) > MAX_TEXT:
        raise Err(f"the CSV text is {len(text)} characters; the limit is {MAX_TEXT}")
    delim = delimiter or ","
    if len(delim) != 1:
        raise Err(f"delimiter must be one character, got {delimiter!r}")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delim, strict=True))
    except csv.Error as e:
        raise Err(f"malformed CSV: {e}")
    rows = [r for r in rows if r != []]
    if not rows:
        raise Err("the CSV text is empty: expected a header row")
    header = rows[0]
    if len(header) > MAX_COLUMNS:
        raise Err(f"{len(header)} columns; the limit is {MAX_COLUMNS}")
    return header, rows[1:]


def number(value):
    v = value.strip()
    if not NUMBER.match(v):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def summarize(name, values):
    present = [v for v in values if v.strip() != ""]
    nums = [n for n in (number(v) for v in present) if n is not None]
    counts = {}
    for v in present:
        counts[v] = counts.get(v, 0) + 1
    most = None
    if counts:
        best = max(counts.values())
        most = next(v for v in present if counts[v] == best)
    summary = wit_world.ColumnSummary(
        name=name,
        count=len(present),
        missing=len(values) - len(present),
        numbers=len(nums),
        mean=None,
        median=None,
        min=None,
        max=None,
        stddev=None,
        sum=None,
        distinct=len(counts),
        most_common=most,
    )
    if nums:
        summary.mean = statistics.fmean(nums)
        summary.median = float(statistics.median(nums))
        summary.min = min(nums)
        summary.max = max(nums)
        summary.sum = math.fsum(nums)
        summary.stddev = statistics.stdev(nums) if len(nums) > 1 else None
    return summary


def column_values(rows, index):
    return [r[index] if index < len(r) else "" for r in rows]


def find_column(header, name):
    try:
        return header.index(name)
    except ValueError:
        raise Err(f"no column {name!r}; the columns are {', '.join(repr(h) for h in header)}")


class WitWorld(wit_world.WitWorld):
    def describe_csv(self, text, delimiter):
        header, rows = parse_table(text, delimiter)
        return wit_world.TableSummary(rows=len(rows), columns=[summarize(h, column_values(rows, i)) for i, h in enumerate(header)])

    def describe_column(self, text, delimiter, column):
        header, rows = parse_table(text, delimiter)
        i = find_column(header, column)
        return summarize(column, column_values(rows, i))

    def group_by(self, text, delimiter, key_column, value_column):
        header, rows = parse_table(text, delimiter)
        k = find_column(header, key_column)
        v = find_column(header, value_column)
        groups = {}
        for r in rows:
            key = r[k] if k < len(r) else ""
            g = groups.setdefault(key, [0, []])
            g[0] += 1
            n = number(r[v]) if v < len(r) else None
            if n is not None:
                g[1].append(n)
        out = [
            wit_world.Group(key=key, count=c, sum=math.fsum(nums), mean=(math.fsum(nums) / len(nums)) if nums else 0.0)
            for key, (c, nums) in groups.items()
        ]
        out.sort(key=lambda g: -g.sum)
        return out
