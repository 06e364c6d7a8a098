"""Plan files (`*.hvplan.json`): load with migration and precise errors, save atomically.

A plan file is data, never code: it is parsed as JSON and validated field by field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from hvplanner.errors import PlanLoadError
from hvplanner.formats.atomic import write_atomic
from hvplanner.formats.files import read_limited
from hvplanner.model.plan import SCHEMA_VERSION, Plan

PLAN_SUFFIX = ".hvplan.json"
MAX_PLAN_BYTES = 512 * 1024 * 1024

# schema_version N → N+1. Each step rewrites the raw JSON, so old files keep loading.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}


def describe_validation_error(exc: ValidationError, limit: int = 3, strip: str = "") -> str:
    """'vms[2].ram_gb: Input should be a valid number' — field paths as users write them.

    `strip` drops a leading location, e.g. "plan" when the plan sits inside an export.
    """
    parts: list[str] = []
    for err in exc.errors()[:limit]:
        path = ""
        locs = err["loc"]
        if strip and locs and locs[0] == strip:
            locs = locs[1:]
        for loc in locs:
            if isinstance(loc, int):
                path += f"[{loc}]"
            elif not path:
                path = str(loc)
            else:
                path += f".{loc}"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{path}: {msg}" if path else msg)
    more = len(exc.errors()) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def migrate(data: dict[str, Any], where: str = "plan") -> dict[str, Any]:
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PlanLoadError(f"{where}: schema_version: missing or not a whole number")
    if version > SCHEMA_VERSION:
        raise PlanLoadError(
            f"{where}: made by a newer hvplanner (schema {version}); "
            f"this version reads up to {SCHEMA_VERSION}"
        )
    if version < 1:
        raise PlanLoadError(f"{where}: schema_version: {version} is not a valid version")
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def plan_from_data(data: object, where: str = "plan") -> Plan:
    if not isinstance(data, dict):
        raise PlanLoadError(f"{where}: the top level must be a JSON object")
    data = migrate(data, where)
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanLoadError(f"{where}: {describe_validation_error(exc)}") from exc


class _PeekPlan(BaseModel):
    model_config = ConfigDict(extra="ignore")
    schema_version: object = None


class _Peek(BaseModel):
    """The two things read before validating: the version and the export wrapper."""

    model_config = ConfigDict(extra="ignore")
    schema_version: object = None
    plan: _PeekPlan | None = None


class _Export(BaseModel):
    """An export document as far as loading goes: the plan part, the results ignored."""

    model_config = ConfigDict(extra="ignore")
    plan: Plan


def _current(version: object) -> bool:
    return type(version) is int and version == SCHEMA_VERSION


def _validate_fast(raw: str | bytes, where: str) -> Plan | None:
    """Validate current-version JSON in one pass, without building Python dicts first.

    Returns None when the slow path must decide: invalid JSON, another schema version,
    or a shape the peek cannot read. That path gives the precise messages.
    """
    try:
        peek = _Peek.model_validate_json(raw)
    except (ValidationError, ValueError):
        return None
    exported = "schema_version" not in peek.model_fields_set and peek.plan is not None
    try:
        if _current(peek.schema_version):
            return Plan.model_validate_json(raw)
        if exported and peek.plan is not None and _current(peek.plan.schema_version):
            return _Export.model_validate_json(raw).plan
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            return None
        detail = describe_validation_error(exc, strip="plan" if exported else "")
        raise PlanLoadError(f"{where}: {detail}") from exc
    return None


def plan_from_json(text: str | bytes, where: str = "plan") -> Plan:
    """A plan, or an export document whose "plan" part is read (its results are not)."""
    plan = _validate_fast(text, where)
    if plan is not None:
        return plan
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanLoadError(
            f"{where}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise PlanLoadError(f"{where}: not UTF-8 text ({exc.reason})") from exc
    except RecursionError as exc:
        raise PlanLoadError(f"{where}: JSON nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise PlanLoadError(f"{where}: not a readable JSON document ({exc})") from exc
    # A results export keeps the plan under "plan"; only the plan part is read back.
    if isinstance(data, dict) and "plan" in data and "schema_version" not in data:
        data = data["plan"]
        if not isinstance(data, dict):
            raise PlanLoadError(f"{where}: plan: must be a JSON object")
    return plan_from_data(data, where)


def load_plan(path: str | os.PathLike[str]) -> Plan:
    raw = read_limited(path, MAX_PLAN_BYTES, "a plan file", PlanLoadError)
    p = Path(path)
    return plan_from_json(raw, str(p))


def known_hypervisor(plan: Plan, where: str | os.PathLike[str]) -> Plan:
    """The plan, when the catalog knows its hypervisor; else PlanLoadError naming the file
    and the field. For the commands that size, place, cost or simulate it on its own
    hypervisor (a plan file may name any)."""
    from hvplanner.catalog import load_catalog
    from hvplanner.errors import UnknownHypervisorError

    try:
        load_catalog().get(plan.hypervisor)
    except UnknownHypervisorError as exc:
        raise PlanLoadError(f"{where}: hypervisor: {exc}") from None
    return plan


def plan_to_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2, exclude_defaults=False) + "\n"


def save_plan(plan: Plan, path: str | os.PathLike[str]) -> None:
    write_atomic(path, plan_to_json(plan))


def plan_json_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://hvplanner.invalid/schema/plan-v1.json"
    schema["title"] = "hvplanner plan"
    return schema
