"""Tile layouts: one tile per region, placed roughly by geography (never a boundary map).

A hand-made grid for the demo city; any other set of regions falls back to a grid in code order.
Positions are (row, column), 1-based; CSS classes ``r<row> c<col>`` place the tiles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# 湖州市: 长兴 to the north-west on Taihu, 吴兴 in the middle, 南浔 to the east, 安吉 to the
# south-west, 德清 to the south-east.
HAND_GRIDS: dict[str, dict[str, tuple[int, int]]] = {
    "330500000000": {
        "330522000000": (1, 1),  # 长兴县
        "330502000000": (1, 2),  # 吴兴区
        "330503000000": (1, 3),  # 南浔区
        "330523000000": (2, 1),  # 安吉县
        "330521000000": (2, 3),  # 德清县
    },
}
MAX_GRID = 8


def tile_positions(parent_code: str | None, codes: Sequence[str]) -> dict[str, tuple[int, int]]:
    """A position for every code: the hand-made grid when it covers them all, else code order."""
    hand = HAND_GRIDS.get(parent_code or "")
    if hand is not None and all(code in hand for code in codes):
        return {code: hand[code] for code in codes}
    ordered = sorted(codes)
    columns = min(MAX_GRID, max(1, math.ceil(math.sqrt(len(ordered)))))
    out: dict[str, tuple[int, int]] = {}
    for index, code in enumerate(ordered):
        row, col = divmod(index, columns)
        out[code] = (min(row + 1, 99), col + 1)
    return out
