"""The project's crisis resource table (coach/safety/data/resources.json), selected by a locale code.

US (988) is the documented default; an unknown locale gets the international directories and the advice to call
the local emergency number. Every row keeps its source and whether it was checked; edit the JSON to change them.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources as importlib_resources

DEFAULT_LOCALE = "US"
INTERNATIONAL = "INTL"


@dataclass(frozen=True)
class Line:
    name: str
    contact: str
    note: str = ""
    source: str = ""
    checked: bool = False
    kind: str = "crisis"  # crisis | dv | poison


@dataclass(frozen=True)
class Resources:
    locale: str  # the resolved code ("INTL" for an unknown locale)
    country: str
    crisis_lines: tuple[Line, ...]
    emergency: str  # the emergency number, or "your local emergency number"
    extra: tuple[Line, ...]  # domestic-violence and poison-control lines where known
    source: str  # where the emergency number came from
    known: bool  # False: the locale was not in the table, these are the international fallbacks

    @property
    def line(self) -> Line:
        """The main crisis line."""
        return self.crisis_lines[0]

    @property
    def dv(self) -> Line | None:
        return next((x for x in self.extra if x.kind == "dv"), None)

    @property
    def poison(self) -> Line | None:
        return next((x for x in self.extra if x.kind == "poison"), None)


@functools.cache
def _table() -> dict:
    text = importlib_resources.files("coach.safety").joinpath("data/resources.json").read_text(encoding="utf-8")
    return json.loads(text)


def _line(row: dict, kind: str = "crisis") -> Line:
    return Line(
        name=row["name"],
        contact=row["contact"],
        note=row.get("note", ""),
        source=row.get("source", ""),
        checked=bool(row.get("checked", False)),
        kind=row.get("kind", kind),
    )


def _code(locale: str | None) -> str:
    code = (locale or DEFAULT_LOCALE).strip().upper().replace("_", "-")
    code = code.split("-")[-1] if "-" in code else code  # "en-GB" / "en_gb" -> "GB"
    return {"UK": "GB"}.get(code, code)


def locales() -> tuple[str, ...]:
    """Codes in the table, default first, for the UI selector (plus INTL for any other country)."""
    codes = list(_table()["locales"])
    default = _table().get("default", DEFAULT_LOCALE)
    return (default, *[c for c in codes if c != default], INTERNATIONAL)


@functools.cache
def resources(locale: str | None = DEFAULT_LOCALE) -> Resources:
    """The resources for a locale code (case-insensitive; "en-GB" and "uk" work too)."""
    table = _table()
    code = _code(locale)
    row = table["locales"].get(code)
    known = row is not None
    if row is None:
        row, code = table["international"], INTERNATIONAL
    return Resources(
        locale=code,
        country=row["country"],
        crisis_lines=tuple(_line(r) for r in row["crisis"]),
        emergency=row["emergency"]["number"],
        extra=tuple(_line(r) for r in row.get("extra", ())),
        source=row["emergency"].get("source", ""),
        known=known,
    )


def _fmt(line: Line) -> str:
    return f"**{line.name}**: {line.contact}" + (f" ({line.note})" if line.note else "")


def resources_markdown(locale: str | None = DEFAULT_LOCALE) -> str:
    """The always-visible resources panel for the app."""
    res = resources(locale)
    lines = [f"### If you are in crisis ({res.country})"]
    if res.known:
        lines.append(f"- In immediate danger: call **{res.emergency}**")
    else:
        lines.append("- In immediate danger: call **your local emergency number**")
    lines += [f"- {_fmt(x)}" for x in res.crisis_lines]
    for x in res.extra:
        label = {"dv": "Domestic violence", "poison": "Poisoning or overdose"}.get(x.kind, "Also")
        lines.append(f"- {label}: {_fmt(x)}")
    if not res.known:
        lines.append("- Your country isn't in Coach's table yet: the directories above list lines near you.")
    lines.append(
        "\nCoach is an automated program, not a person or a therapist. You deserve support from a real person."
    )
    return "\n".join(lines)
