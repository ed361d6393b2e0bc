"""The price table (`cost/prices.yaml`): what each billable unit costs, per region, and where
that figure was read.

Prices are `Decimal`s parsed from strings, so that 730 x 0.0225 is exactly 16.425. A price
names one or more sources; a source is a page or a file of a public repository (its address),
the date it was read and the words or values it says. A region missing under a price has no
figure for it: the estimate reports that, it never borrows another region's price.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

TABLE_PATH = Path(__file__).with_name("prices.yaml")
_KEY = re.compile(r"^[a-z0-9_]+(:[a-z0-9.\-]+)?$")


class PriceTableError(ValueError):
    """The price table is malformed (a test loads the committed one)."""


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    read: datetime.date
    via: str
    """How it was read: which corpus of the search tool held the stored copy, or which
    repository snapshot."""
    says: str
    """The words or values the figure comes from, quoted."""


@dataclass(frozen=True)
class Price:
    key: str
    region: str
    usd: Decimal
    unit: str
    sources: tuple[Source, ...]
    note: str = ""


@dataclass(frozen=True)
class PriceTable:
    hours_per_month: Decimal
    currency: str
    prices: Mapping[tuple[str, str], Price]
    units: Mapping[str, str]
    sources: Mapping[str, Source]

    def get(self, key: str, region: str) -> Price | None:
        """The price of `key` in `region`, or None when the table has none."""
        return self.prices.get((key, region))

    @property
    def regions(self) -> frozenset[str]:
        return frozenset(region for _, region in self.prices)

    def has_region(self, region: str) -> bool:
        return region in self.regions

    def unit(self, key: str) -> str:
        base = key.split(":", 1)[0]
        return self.units.get(key) or self.units.get(base, "")

    @property
    def last_read(self) -> datetime.date:
        return max(source.read for source in self.sources.values())


def _decimal(value: Any, where: str) -> Decimal:
    if not isinstance(value, str):
        raise PriceTableError(f"{where}: write prices as quoted strings (exact decimals), got {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise PriceTableError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise PriceTableError(f"{where}: {value!r} is not a price")
    return number


def _date(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise PriceTableError(f"{where}: read date {value!r} is not YYYY-MM-DD") from None


def parse(document: Mapping[str, Any]) -> PriceTable:
    """Check and load a price table document (the YAML, already parsed)."""
    sources: dict[str, Source] = {}
    for source_id, entry in (document.get("sources") or {}).items():
        where = f"sources.{source_id}"
        missing = {"url", "read", "via", "says"} - set(entry)
        if missing:
            raise PriceTableError(f"{where}: missing {sorted(missing)}")
        if not str(entry["url"]).startswith("https://"):
            raise PriceTableError(f"{where}: url must be an https:// address")
        sources[source_id] = Source(
            id=source_id,
            url=str(entry["url"]),
            read=_date(entry["read"], where),
            via=str(entry["via"]),
            says=str(entry["says"]).strip(),
        )

    prices: dict[tuple[str, str], Price] = {}
    units: dict[str, str] = {}
    used: set[str] = set()
    for key, entry in (document.get("prices") or {}).items():
        where = f"prices.{key}"
        if not _KEY.match(key):
            raise PriceTableError(f"{where}: price keys are snake_case (with an optional :variant)")
        if "unit" not in entry:
            raise PriceTableError(f"{where}: missing unit")
        units[key] = str(entry["unit"])
        for region, value in (entry.get("regions") or {}).items():
            at = f"{where}.regions.{region}"
            unknown_fields = sorted(set(value) - {"usd", "sources", "note"})
            if unknown_fields:
                # e.g. an unquoted note with a comma, which YAML's flow style splits into keys
                raise PriceTableError(f"{at}: unknown fields {unknown_fields} (a price has usd, sources, note)")
            cited = value.get("sources") or []
            if not cited:
                raise PriceTableError(f"{at}: a price needs at least one source")
            unknown = [s for s in cited if s not in sources]
            if unknown:
                raise PriceTableError(f"{at}: unknown sources {unknown}")
            used.update(cited)
            prices[(key, region)] = Price(
                key=key,
                region=region,
                usd=_decimal(value.get("usd"), at),
                unit=units[key],
                sources=tuple(sources[s] for s in cited),
                note=str(value.get("note", "")).strip(),
            )
    unused = sorted(set(sources) - used)
    if unused:
        raise PriceTableError(f"sources cited by no price: {unused}")
    return PriceTable(
        hours_per_month=_decimal(str(document.get("hours_per_month", "")), "hours_per_month"),
        currency=str(document.get("currency", "USD")),
        prices=prices,
        units=units,
        sources=sources,
    )


def load(path: Path = TABLE_PATH) -> PriceTable:
    """The committed price table."""
    return parse(yaml.safe_load(path.read_text()))
