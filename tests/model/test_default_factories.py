"""No model field defaults through a builtin factory: pydantic reads each factory's
signature while building the model, and a builtin's means tokenizing its text (see
`hvplanner.model.defaults`), a cost every command pays at start."""

from __future__ import annotations

import importlib
import pkgutil
from types import BuiltinFunctionType

from pydantic import BaseModel

import hvplanner.model


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for info in pkgutil.iter_modules(hvplanner.model.__path__):
        module = importlib.import_module(f"hvplanner.model.{info.name}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, BaseModel)
            and value.__module__ == module.__name__
        ]
    return found


def test_no_default_factory_is_a_builtin() -> None:
    models = _models()
    assert len(models) > 50
    builtin = [
        f"{m.__name__}.{name}"
        for m in models
        for name, field in m.model_fields.items()
        if field.default_factory is not None
        and (
            isinstance(field.default_factory, BuiltinFunctionType)
            or getattr(field.default_factory, "__module__", None) == "builtins"
        )
    ]
    assert builtin == []
