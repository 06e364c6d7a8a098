"""`make fuzz`: many generated plans, inventories and snapshots through the CLI.

    python -m tests.fuzz --plans 10000 --inventories 2000 --snapshots 500 --workers 2
    python -m tests.fuzz --replay plan:1234        # one case again, with its outcomes

Prints the figures (cases, command runs, exit codes, failures, slowest run, peak RSS of
a worker) and exits 1 when any run failed, hung or a worker went over the memory bound.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import sys
import time

from tests.fuzz.harness import RSS_BOUND_MB, init_worker, one_case


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz")
    ap.add_argument("--plans", type=int, default=10_000)
    ap.add_argument("--inventories", type=int, default=2_000)
    ap.add_argument("--snapshots", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0, help="first seed of each kind")
    ap.add_argument("--replay", metavar="KIND:SEED")
    ap.add_argument("--json", metavar="OUT", help="write the figures as JSON too")
    args = ap.parse_args(argv)
    if args.replay:
        from tests.fuzz.harness import CASES

        kind, _, seed = args.replay.partition(":")
        for o in CASES[kind](int(seed)):
            print(o.code, f"{o.seconds:.2f}s", " ".join(o.argv), o.problem)
        return 0
    tasks = [("plan", args.seed + i) for i in range(args.plans)]
    tasks += [("inventory", args.seed + i) for i in range(args.inventories)]
    tasks += [("snapshot", args.seed + i) for i in range(args.snapshots)]
    start = time.perf_counter()
    runs: collections.Counter[str] = collections.Counter()
    codes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: list[str] = []
    slowest = (0.0, "")
    rss = 0.0
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(args.workers, initializer=init_worker, maxtasksperchild=500) as pool:
        for n, r in enumerate(pool.imap_unordered(one_case, tasks, chunksize=8), start=1):
            runs[r["kind"]] += len(r["codes"])
            for c in r["codes"]:
                codes[r["kind"]]["hang" if c is None else f"exit {c}"] += 1
            failures += [f"{r['kind']}:{r['seed']}: {p}" for p in r["problems"]]
            if r["slowest"] > slowest[0]:
                slowest = (r["slowest"], f"{r['kind']}:{r['seed']}")
            rss = max(rss, r["rss_mb"])
            if n % 1000 == 0:
                print(
                    f"  {n:,}/{len(tasks):,} cases, {time.perf_counter() - start:.0f} s", flush=True
                )
    wall = time.perf_counter() - start
    figures = {
        "cases": {"plan": args.plans, "inventory": args.inventories, "snapshot": args.snapshots},
        "command_runs": dict(runs),
        "exit_codes": {k: dict(v) for k, v in codes.items()},
        "failures": len(failures),
        "slowest_run_s": round(slowest[0], 2),
        "slowest_case": slowest[1],
        "peak_worker_rss_mb": round(rss),
        "workers": args.workers,
        "wall_s": round(wall),
    }
    print(json.dumps(figures, indent=2))
    for f in failures[:50]:
        print("FAIL", f[:400])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({**figures, "failure_list": failures[:200]}, fh, indent=2)
    return 1 if failures or rss > RSS_BOUND_MB else 0


if __name__ == "__main__":
    sys.exit(main())
