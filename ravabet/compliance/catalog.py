"""The instruction's 36 items, loaded from the product's own copy of the instruction
(data/instruction.yaml, codes A1…F7)."""

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "instruction.yaml"


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    text: str
    text_en: str

    @property
    def number(self) -> int:
        return int(self.code[1:])


@dataclass(frozen=True)
class Section:
    code: str
    letter: str
    title: str
    title_en: str
    items: tuple[Item, ...]


@functools.cache
def sections() -> tuple[Section, ...]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(
        Section(
            code=section["code"], letter=section["letter_fa"], title=section["title_fa"],
            title_en=section["title_en"],
            items=tuple(Item(code=item["code"], section=section["code"], text=item["fa"], text_en=item["en"])
                        for item in section["items"]),
        )
        for section in raw["sections"]
    )


@functools.cache
def items() -> dict[str, Item]:
    return {item.code: item for section in sections() for item in section.items}


def item_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {item.text[:70]}") for code, item in items().items()]
