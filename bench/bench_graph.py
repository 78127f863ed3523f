"""Graph store benchmark: bulk upsert vs the engine's raw COPY, lineage latency, peak RSS.

Each scale runs in a fresh process (``bench.graph_scale``) so peak RSS is that
scale's own and one scale's caches do not flatter the next.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import BenchArgs, Row, save_rows


def run(args: BenchArgs) -> list[Row]:
    rows: list[Row] = []
    for scale in args.scales:
        cmd = [
            sys.executable,
            "-m",
            "bench.graph_scale",
            "--scale",
            str(scale),
            "--seed",
            str(args.seed),
            "--workdir",
            str(args.workdir),
            "--queries",
            str(args.queries),
        ]
        print(f"graph: {scale:,} objects ...", file=sys.stderr, flush=True)
        # stdout carries the rows as JSON; stderr (progress, errors) goes to the terminal
        done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
        rows += [Row(**r) for r in json.loads(done.stdout)]
        save_rows("graph", rows, args)  # keep what is measured if a later scale fails
    return rows
