"""Print the mutation score of each inspections/rules/ module from mutmut's results (mutants/).

Score = killed / total, where a mutant no test ran ("no tests"), a survivor, a timeout and a
suspicious result all count as not killed. Exit status 1 when a module is below ``--min``.

Positional arguments limit the report to some modules (globs on the path under ``--root``, e.g.
``applicability.py 'reminders/*'``), for a run of ``mutmut run`` on those modules only.

``--recheck [PATTERN]`` marks every mutant not killed yet (optionally only names matching the
glob PATTERN) as unchecked, so the next ``mutmut run`` tests them again with the current tests
while killed ones keep their result: tests are only ever added, so a kill stays a kill.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut 3 exit codes (mutmut/stats.py): 1 and 3 mean a test failed, i.e. the mutant was killed.
KILLED = {1, 3}
LABELS = {0: "survived", 33: "no tests", 5: "no tests", 34: "skipped", None: "not checked"}


def module_counts(meta: Path) -> Counter:
    codes = json.loads(meta.read_text())["exit_code_by_key"].values()
    counts = Counter("killed" if c in KILLED else LABELS.get(c, "other") for c in codes)
    counts["total"] = len(codes)
    return counts


def recheck(metas: list[Path], pattern: str) -> int:
    count = 0
    for meta in metas:
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        for name, code in codes.items():
            if code not in KILLED and code is not None and fnmatch.fnmatchcase(name, pattern):
                codes[name] = None
                count += 1
        meta.write_text(json.dumps(data, indent=4))
    return count


def _selected(path: str, modules: list[str]) -> bool:
    name = path.removesuffix(".meta")
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in modules)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default="mutants/inspections/rules")
    parser.add_argument("--min", type=float, default=85.0, help="minimum score per module (%%)")
    parser.add_argument("--recheck", nargs="?", const="*", metavar="PATTERN")
    parser.add_argument("modules", nargs="*", help="only these modules (globs: 'facts.py')")
    args = parser.parse_args()
    root = Path(args.root)
    # Sub-packages (rules/reminders/) keep their results in sub-directories.
    metas = [
        meta
        for meta in sorted(root.rglob("*.py.meta"))
        if not args.modules or _selected(str(meta.relative_to(root)), args.modules)
    ]
    if not metas:
        print(f"no mutmut results under {args.root}: run `mutmut run` first", file=sys.stderr)
        return 2
    if args.recheck:
        print(f"{recheck(metas, args.recheck)} mutants marked for a new check")
        return 0
    total: Counter = Counter()
    failing = []
    print(f"{'module':<32} {'killed':>7} {'total':>6} {'score':>7}  survived  no-tests  other")
    for meta in metas:
        c = module_counts(meta)
        if not c["total"]:
            continue
        total.update(c)
        score = 100 * c["killed"] / c["total"]
        if score < args.min:
            failing.append(str(meta.relative_to(root)).removesuffix(".py.meta"))
        other = c["total"] - c["killed"] - c["survived"] - c["no tests"]
        name = str(meta.relative_to(root)).removesuffix(".meta")
        print(
            f"{name:<32} {c['killed']:>7} {c['total']:>6} {score:>6.1f}%"
            f"  {c['survived']:>8}  {c['no tests']:>8}  {other:>5}"
        )
    score = 100 * total["killed"] / total["total"]
    print(f"{'TOTAL':<32} {total['killed']:>7} {total['total']:>6} {score:>6.1f}%")
    if failing:
        print(f"below {args.min:g}%: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
