"""Command overhead as a user meets it: `hvplanner size` on a sample, `hvplanner place --json`
on 100,000 VMs, each a fresh process started the way a shell starts it.

    python -m bench.cli [--repeat R] [--vms N] [--baseline REV]

Each figure is the best and the median of R runs in CPU seconds (user + sys of the child,
what a shared machine inflates least) and in wall seconds, printed beside baselines taken
in the same run: the interpreter alone, the interpreter importing pydantic, pydantic with
one model of one field (the floor of any command that validates with it), and, for place,
reading the same plan file with json.loads. The targets (issue 19): `size` within
0.15 s and `place` at 100,000 VMs within 2 s, wall, on a quiet machine.

The catalog cache lives in a temporary folder: the runs after the first read it, as a
user's runs do; one extra row shows `size` with no cache (the TOML parsed every time).

The package measured has its bytecode compiled first, as an install has it (`make` and pip
compile it): without it every run compiles the sources again where bytecode is not
written (PYTHONDONTWRITEBYTECODE), and the figure would depend on who compiled by hand.
`--baseline REV` takes that commit's `hvplanner` and `resources` out of git into a
temporary folder, compiles them the same way and runs its `size` and `place` beside, in
turn with this tree's.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import hvplanner
from bench.placement import cloud_plan
from hvplanner.formats.planfile import plan_to_json
from hvplanner.formats.planstream import save_plan_streamed
from hvplanner.model.plan import Plan
from hvplanner.paths import samples_dir

SIZE_TARGET_S = 0.15
PLACE_TARGET_S = 2.0
SAMPLE = "p2v-128-old-servers.hvplan.json"
ROOT = Path(__file__).resolve().parent.parent
# What any command validating with pydantic pays before its own models: pydantic's import
# and the machinery its first model class loads.
ONE_MODEL = "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\n"
# What the console script runs, for a tree taken out of git (its folder first on the path).
SCRIPT = "import sys\nfrom hvplanner.cli import main\nsys.exit(main())\n"


def hvplanner_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m hvplanner`."""
    script = Path(sys.executable).with_name("hvplanner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hvplanner"]


def compiled(package: Path) -> Path:
    """`package` with the bytecode of every module written, as an install has it."""
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"compileall failed on {package}")
    print(f"Bytecode compiled for {package} (as `make` and pip do).")
    return package


def tree_command(rev: str, folder: Path) -> list[str]:
    """`hvplanner` of commit `rev`, taken out of git into `folder` and compiled."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "hvplanner", "resources"],
        check=True,
        capture_output=True,
    ).stdout
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    compiled(folder / "hvplanner")
    script = folder / "hvplanner-cli.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return [sys.executable, str(script)]


def run(argv: Sequence[str], repeat: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of `repeat` runs of `argv`, its output discarded."""
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=env)
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(
            after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        )
    return cpu, wall


def run_alternately(
    jobs: dict[str, tuple[list[str], dict[str, str]]], repeat: int
) -> dict[str, tuple[list[float], list[float]]]:
    """`run` of each job once per round, `repeat` rounds: a change in the machine's load
    falls on every job alike."""
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in jobs}
    for _ in range(repeat):
        for name, (argv, env) in jobs.items():
            cpu, wall = run(argv, 1, env)
            times[name][0].extend(cpu)
            times[name][1].extend(wall)
    return times


def row(name: str, cpu: list[float], wall: list[float], base: float | None) -> str:
    ratio = f"{min(cpu) / base:.2f}" if base else ""
    return (
        f"| {name} | {min(cpu):.3f} | {statistics.median(cpu):.3f} | {min(wall):.3f} | "
        f"{statistics.median(wall):.3f} | {ratio} |"
    )


def verdict(cpu: list[float], wall: list[float], target: float) -> str:
    """Wall time is what the target names; on a busy machine CPU time is what it would be."""
    said = [
        f"{what} {min(values):.3f} s {'within' if min(values) <= target else 'over'}"
        for what, values in (("best wall", wall), ("best CPU", cpu))
    ]
    return ", ".join(said)


def per_vm(plan: Plan) -> Plan:
    """The same VMs one entry each, as an imported estate lists them."""
    vms = [
        vm.model_copy(update={"id": f"{vm.id}-{i}", "count": 1})
        for vm in plan.vms
        for i in range(vm.count)
    ]
    return plan.model_copy(update={"vms": vms})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cli")
    ap.add_argument("--repeat", type=int, default=9, help="runs of each small command")
    ap.add_argument("--vms", type=int, default=100_000, help="VMs of the place plans")
    ap.add_argument("--baseline", metavar="REV", help="a commit whose size and place run beside")
    args = ap.parse_args(argv)
    compiled(Path(hvplanner.__file__).parent)
    hv = hvplanner_command()
    py = sys.executable
    sample = str(samples_dir() / SAMPLE)
    heads = "| command | CPU s best | CPU s median | wall s best | wall s median | × base |"
    rule = "|---|---:|---:|---:|---:|---:|"

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HVPLANNER_CACHE_DIR": str(Path(tmp) / "cache")}
        r = args.repeat
        jobs = {
            "python -c pass (baseline)": ([py, "-c", "pass"], env),
            'python -c "import pydantic" (baseline)': ([py, "-c", "import pydantic"], env),
            "python: pydantic and one model of one field (baseline)": ([py, "-c", ONE_MODEL], env),
            "hvplanner size": ([*hv, "size", sample], env),
            "hvplanner size, no catalog cache": (
                [*hv, "size", sample],
                {**env, "HVPLANNER_CACHE_DIR": ""},
            ),
        }
        if args.baseline:
            old = tree_command(args.baseline, Path(tmp) / "baseline")
            old_sample = str(Path(tmp) / "baseline" / "resources" / "samples" / SAMPLE)
            jobs[f"hvplanner size at {args.baseline} (baseline)"] = (
                [*old, "size", old_sample],
                env,
            )
        for command, job_env in jobs.values():  # a first run of each fills the catalog cache
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=job_env)
        times = run_alternately(jobs, r)
        print(f"`{' '.join(Path(a).name for a in hv)} size {SAMPLE}`, {r} runs each, in turn:\n")
        print(heads + "\n" + rule)
        base = min(times['python -c "import pydantic" (baseline)'][0])
        for name, (cpu, wall) in times.items():
            print(row(name, cpu, wall, None if name.startswith("python -c pass") else base))
        size_cpu, size_wall = times["hvplanner size"]
        print(f"\nsize ({SIZE_TARGET_S:g} s): {verdict(size_cpu, size_wall, SIZE_TARGET_S)}.\n")

        flavored = cloud_plan(args.vms, seed=args.vms)
        paths = {
            "cloud mix, 18 flavors": Path(tmp) / "flavors.hvplan.json",
            "cloud mix, one entry per VM": Path(tmp) / "per-vm.hvplan.json",
        }
        paths["cloud mix, 18 flavors"].write_text(plan_to_json(flavored), encoding="utf-8")
        save_plan_streamed(per_vm(flavored), paths["cloud mix, one entry per VM"])
        print(f"`hvplanner place PLAN --json` at {args.vms:,} VMs, 3 runs each:\n")
        print(heads + "\n" + rule)
        verdicts = []
        for name, path in paths.items():
            loads = f"import json; json.loads(open({str(path)!r}, 'rb').read())"
            base_cpu, base_wall = run([py, "-c", loads], 3, env)
            place_jobs = {f"hvplanner place, {name}": ([*hv, "place", str(path), "--json"], env)}
            if args.baseline:
                place_jobs[f"hvplanner place at {args.baseline}, {name} (baseline)"] = (
                    [*old, "place", str(path), "--json"],
                    env,
                )
            place_times = run_alternately(place_jobs, 3)
            place_cpu, place_wall = place_times[f"hvplanner place, {name}"]
            mb = path.stat().st_size / 1e6
            print(
                row(f"python: json.loads of the plan file, {mb:.1f} MB", base_cpu, base_wall, None)
            )
            for job, (cpu, wall) in place_times.items():
                print(row(job, cpu, wall, min(base_cpu)))
            verdicts.append(f"{name}: {verdict(place_cpu, place_wall, PLACE_TARGET_S)}")
        print(f"\nplace ({PLACE_TARGET_S:g} s): " + "; ".join(verdicts) + ".")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nPython {platform.python_version()} on {platform.machine()}, {sys.platform}, "
        f"{os.cpu_count()} CPUs, load average {load} at the end of the run."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
