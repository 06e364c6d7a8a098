"""What a drag carries: VM ids from the canvas, or a template or host model as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QMimeData

from hvplanner.model.plan import VM, HostModel

VM_IDS = "application/x-hvplanner-vm-ids"
VM_TEMPLATE = "application/x-hvplanner-vm-template"
HOST_MODEL = "application/x-hvplanner-host-model"


def vm_ids_mime(ids: Sequence[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(VM_IDS, json.dumps(list(ids)).encode())
    return mime


def template_mime(vm: VM) -> QMimeData:
    mime = QMimeData()
    mime.setData(VM_TEMPLATE, vm.model_dump_json().encode())
    return mime


def host_model_mime(model: HostModel) -> QMimeData:
    mime = QMimeData()
    mime.setData(HOST_MODEL, model.model_dump_json().encode())
    return mime


def read_vm_ids(mime: QMimeData) -> list[str] | None:
    if not mime.hasFormat(VM_IDS):
        return None
    try:
        ids = json.loads(bytes(mime.data(VM_IDS).data()))
    except ValueError:
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    return ids


def read_template(mime: QMimeData) -> VM | None:
    if not mime.hasFormat(VM_TEMPLATE):
        return None
    try:
        return VM.model_validate_json(bytes(mime.data(VM_TEMPLATE).data()))
    except ValueError:
        return None


def read_host_model(mime: QMimeData) -> HostModel | None:
    if not mime.hasFormat(HOST_MODEL):
        return None
    try:
        return HostModel.model_validate_json(bytes(mime.data(HOST_MODEL).data()))
    except ValueError:
        return None
