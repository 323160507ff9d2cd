"""Cost of the bundled module index (not a test).

    python bench/index_bench.py [--runs 7]

Prints the installed size of ``hallucheck/data/index`` (largest files first), and medians over fresh processes of:

* the first lookup into a distribution (reads the catalog, decompresses the distribution's file, judges one import):
  numpy, tensorflow, torch, requests;
* a later lookup into a loaded distribution, per query;
* a process that imports the resolver and asks only ``is_indexed`` (the cost a commit pays that imports nothing
  indexed: one stat per distribution it declares and imports).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "hallucheck" / "data" / "index"

FIRST = """
import sys, time, json
sys.path.insert(0, {root!r})
from hallucheck.resolve import index
import packaging.specifiers, packaging.version  # already loaded in a real run by the manifests
start = time.perf_counter()
verdict = index.judge({distribution!r}, {path!r}, [""], as_module=False)
first = time.perf_counter()
for _ in range(200):
    index.judge({distribution!r}, {path!r}, [""], as_module=False)
later = (time.perf_counter() - first) / 200
start2 = time.perf_counter()
for name in ("requests", "flask", "numpy", "left-pad", "attrs", "rich"):
    index.is_indexed(name)
stat = time.perf_counter() - start2
print(json.dumps([first - start, later, stat, verdict.kind.value if verdict else None]))
"""

CASES = [("numpy", "numpy.float_"), ("tensorflow", "tensorflow.python.framework.ops.Tensor"),
         ("torch", "torch.nn.functional.relu"), ("requests", "requests.fetch_json")]  # fmt: skip


def _run(distribution: str, path: str) -> list[float]:
    code = FIRST.format(root=str(ROOT), distribution=distribution, path=path)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    files = sorted(INDEX.iterdir(), key=lambda item: item.stat().st_size, reverse=True)
    total = sum(item.stat().st_size for item in files)
    print(f"index size: {total / 1e6:.2f} MB in {len(files)} files; largest: "
          + ", ".join(f"{item.name} {item.stat().st_size / 1e3:.0f} kB" for item in files[:4]))  # fmt: skip
    for distribution, path in CASES:
        runs = [_run(distribution, path) for _ in range(args.runs)]
        first = statistics.median(run[0] for run in runs) * 1e3
        later = statistics.median(run[1] for run in runs) * 1e6
        stat = statistics.median(run[2] for run in runs) * 1e6
        print(f"{distribution:10} first lookup {first:6.1f} ms  later {later:6.1f} us  "
              f"six is_indexed {stat:5.1f} us  ({path}: {runs[0][3]})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
