"""Thin helpers over HiGHS (highspy): quiet solvers and models built from NumPy arrays."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

from hvplanner.engine.placement.flavors import FloatArray

INF = highspy.kHighsInf
_state = {"banner_shown": False}


def new_highs(time_limit: float | None = None) -> highspy.Highs:
    """A HiGHS instance that prints nothing.

    The first construction in a process prints a banner from C++ straight to file
    descriptor 1, which would corrupt `hvplanner place --json`; it is sent to /dev/null.
    """
    if _state["banner_shown"]:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        _state["banner_shown"] = True
        h = _construct_quietly()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return h


def quick_mip(h: highspy.Highs) -> None:
    """Settings for the many small integer programs here (pricing knapsacks, masters).

    Measured on the benchmark mixes: feasibility jump, restarts and symmetry detection
    cost more than they save on problems this small; CG ran 3× faster without them.
    """
    h.setOptionValue("mip_heuristic_effort", 0.0)
    h.setOptionValue("mip_detect_symmetry", False)
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    h.setOptionValue("mip_allow_restart", False)


def _construct_quietly() -> highspy.Highs:
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        return highspy.Highs()  # type: ignore[no-untyped-call]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def dense_model(
    cost: FloatArray,
    a: FloatArray,
    *,
    row_lo: FloatArray,
    row_hi: FloatArray,
    col_lo: FloatArray,
    col_hi: FloatArray,
    integer: bool = False,
    maximize: bool = False,
) -> highspy.HighsLp:
    """An LP (or MIP) with a dense constraint matrix `a` (rows × columns)."""
    lp = highspy.HighsLp()
    rows, cols = a.shape
    lp.num_col_ = cols
    lp.num_row_ = rows
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(col_lo, dtype=np.float64)
    lp.col_upper_ = np.asarray(col_hi, dtype=np.float64)
    lp.row_lower_ = np.asarray(row_lo, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_hi, dtype=np.float64)
    nz_r, nz_c = np.nonzero(a.T)  # column-major order
    starts = np.zeros(cols + 1, dtype=np.int32)
    np.cumsum(np.bincount(nz_r, minlength=cols), out=starts[1:])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = nz_c.astype(np.int32)
    lp.a_matrix_.value_ = a.T[nz_r, nz_c].astype(np.float64)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * cols
    if maximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    return lp


@dataclass(frozen=True)
class Solved:
    status: highspy.HighsModelStatus
    x: FloatArray
    duals: FloatArray
    objective: float
    bound: float  # MIP dual bound (the LP objective for an LP)

    @property
    def optimal(self) -> bool:
        return bool(self.status == highspy.HighsModelStatus.kOptimal)

    @property
    def has_solution(self) -> bool:
        return bool(self.x.size) and self.status in (
            highspy.HighsModelStatus.kOptimal,
            highspy.HighsModelStatus.kTimeLimit,
            highspy.HighsModelStatus.kInterrupt,
            highspy.HighsModelStatus.kSolutionLimit,
            highspy.HighsModelStatus.kObjectiveBound,
            highspy.HighsModelStatus.kIterationLimit,
        )


def run(h: highspy.Highs, mip: bool = False) -> Solved:
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=np.float64) if sol.value_valid else np.zeros(0)
    duals = np.asarray(sol.row_dual, dtype=np.float64) if sol.dual_valid else np.zeros(0)
    obj = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if mip else obj
    return Solved(status, x, duals, obj, bound)
