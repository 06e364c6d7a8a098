"""Identical VM instances grouped into flavors, so packing cost grows with flavors, not VMs.

A flavor is one demand vector plus one anti-affinity group: two instances with the same
numbers but different groups are not interchangeable, so they are different flavors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Flavors:
    dem: FloatArray  # (K, D) absolute demand of one instance
    count: IntArray  # (K,)
    group: IntArray  # (K,) anti-affinity group index, -1 for none
    members: list[list[str]]  # instance ids of each flavor, in plan order
    vm_ids: list[str]  # the first VM entry of each flavor, for messages
    # (flavor, index into Problem.fixed) → the flavor's instances on that plan host now,
    # in plan order: a re-placement leaves them there when the packing allows it.
    home: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return int(self.count.shape[0])

    @property
    def total(self) -> int:
        return int(self.count.sum())


class FlavorBuilder:
    def __init__(self) -> None:
        self._index: dict[tuple[tuple[float, ...], int], int] = {}
        self._dem: list[tuple[float, ...]] = []
        self._group: list[int] = []
        self._members: list[list[str]] = []
        self._vm_ids: list[str] = []
        self._home: dict[tuple[int, int], list[str]] = {}

    def add(
        self,
        dem: tuple[float, ...],
        group: int,
        vm_id: str,
        instances: list[str],
        at: int = -1,
    ) -> None:
        """`at`: the index of the plan host the instances are on now, -1 for none."""
        key = (dem, group)
        i = self._index.get(key)
        if i is None:
            i = len(self._dem)
            self._index[key] = i
            self._dem.append(dem)
            self._group.append(group)
            self._members.append([])
            self._vm_ids.append(vm_id)
        self._members[i].extend(instances)
        if at >= 0:
            there = self._home.get((i, at))
            if there is None:
                self._home[(i, at)] = list(instances)
            else:
                there.extend(instances)

    def build(self, dims: int) -> Flavors:
        dem = np.array(self._dem, dtype=np.float64).reshape(len(self._dem), dims)
        return Flavors(
            dem=dem,
            count=np.array([len(m) for m in self._members], dtype=np.int64),
            group=np.array(self._group, dtype=np.int64),
            members=self._members,
            vm_ids=self._vm_ids,
            home=self._home,
        )
