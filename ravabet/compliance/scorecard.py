"""The monthly scorecard: for each unit and each instruction item that has an indicator,
how many evidence records the unit produced in a Jalali month."""

from dataclasses import dataclass

from ravabet.lib import jalali

from .catalog import items
from .registry import INDICATORS


@dataclass
class Column:
    code: str
    text: str
    labels: list[str]


@dataclass
class Row:
    unit: object
    cells: list[int]

    @property
    def covered(self) -> int:
        return sum(1 for value in self.cells if value)


def columns() -> list[Column]:
    catalog = items()
    return [Column(code=code, text=catalog[code].text, labels=[i.label for i in INDICATORS[code]])
            for code in catalog if code in INDICATORS]


def scorecard(units, year: int, month: int) -> tuple[list[Column], list[Row]]:
    """One query per unit and indicator: bounded by the organisation's size, not by its data."""
    start, end = jalali.month_bounds(year, month)
    cols = columns()
    rows = [Row(unit=unit, cells=[sum(indicator.count(unit, start, end) for indicator in INDICATORS[col.code])
                                  for col in cols])
            for unit in units]
    return cols, rows
