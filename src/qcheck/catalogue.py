"""The targets catalogue: indicators, their rules, units, regions and plan sources."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from pydantic import Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails

from qcheck.decimals import plain_decimal
from qcheck.model import MAX_YEAR as MAX_YEAR
from qcheck.model import MIN_YEAR as MIN_YEAR
from qcheck.model import Frozen as Frozen
from qcheck.model import Identifier as Identifier
from qcheck.names import NameIndex
from qcheck.rules import Rule as Rule


class Plan(Frozen):
    """The plan the targets come from and the period it covers."""

    title: str
    document: str = ""
    issuer: str = ""
    issued: str = ""
    city_zh: str
    city_en: str
    start_year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    target_year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)

    @model_validator(mode="after")
    def _period_is_ordered(self) -> Plan:
        if self.start_year > self.target_year:
            raise ValueError("start_year must not be after target_year")
        return self


class Named(Frozen):
    """A thing a report may name: by its id, its Chinese or English name, or an alias."""

    if TYPE_CHECKING:  # each subclass declares them, with constraints of its own
        id: str
        name_zh: str
        name_en: str
        aliases: tuple[str, ...]

    def spellings(self) -> tuple[str, ...]:
        """Return every spelling a report may write for it: id, names, then aliases."""
        return (self.id, self.name_zh, self.name_en, *self.aliases)


class Area(Frozen):
    """A group of targets, such as product quality."""

    id: Identifier
    name_zh: str
    name_en: str


class Conversion(Frozen):
    """How a figure written in one unit is read in another: a ratio 0.952 is 95.2 (%)."""

    to: str = Field(min_length=1)
    factor: Decimal = Field(gt=0)


class Unit(Named):
    """A unit of measure, the spellings accepted for it and the values it allows.

    A unit that ``converts`` to another is accepted in a report for a target measured in that
    other unit: its figures are multiplied by the factor (a ratio 0–1 read as a percentage).
    ``warning_band`` is the default band of its targets: a figure that meets the line by less
    is met, at risk.
    """

    id: str = Field(min_length=1)
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    integer: bool = False
    gap_zh: str | None = None
    gap_en: str | None = None
    converts: Conversion | None = None
    warning_band: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Unit:
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"unit {self.id!r}: minimum is above maximum")
        if (
            self.warning_band is not None
            and (span := self.span_under(self.warning_band)) is not None
        ):
            raise ValueError(
                f"unit {self.id!r}: warning_band {plain_decimal(self.warning_band)} must be "
                f"less than the {plain_decimal(span)} the unit spans"
            )
        return self

    def span_under(self, band: Decimal) -> Decimal | None:
        """Return the span of the unit's range where ``band`` is not less than it, else None."""
        if self.minimum is None or self.maximum is None:
            return None
        span = self.maximum - self.minimum
        return span if band >= span else None

    def allows(self, number: Decimal) -> bool:
        """Whether a figure in this unit may be ``number``: within its minimum and maximum."""
        return (self.minimum is None or number >= self.minimum) and (
            self.maximum is None or number <= self.maximum
        )


class Plausible(Frozen):
    """The figures a report can credibly give for a target; any other is refused as a slip.

    A supervised sampling's pass rate of 0.95% is no pass rate anyone measured: it is 95%
    written as a fraction.
    """

    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @model_validator(mode="after")
    def _range_is_given_and_ordered(self) -> Plausible:
        if self.minimum is None and self.maximum is None:
            raise ValueError("plausible: give a minimum, a maximum or both")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("plausible: minimum is above maximum")
        return self

    def allows(self, number: Decimal) -> bool:
        """Whether ``number`` is a credible figure: within the minimum and maximum given."""
        return (self.minimum is None or number >= self.minimum) and (
            self.maximum is None or number <= self.maximum
        )

    def shown(self) -> str:
        """Write the range as people read it: 50–100, ≥50, ≤100."""
        if self.maximum is None:
            return f"≥{plain_decimal(self.minimum or Decimal(0))}"
        if self.minimum is None:
            return f"≤{plain_decimal(self.maximum)}"
        return f"{plain_decimal(self.minimum)}–{plain_decimal(self.maximum)}"


class Region(Named):
    """A county or district whose figures a regional rule combines."""

    id: Identifier
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()


class PlanSource(Frozen):
    """Where in the plan a target is stated, in the plan's own words."""

    clause: str = Field(min_length=1)
    text: str = Field(min_length=1)


class Interpretation(Frozen):
    """The choice qcheck makes where the plan leaves a rule open."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Department(Frozen):
    """A body of the city government that leads a target's work (牵头单位), and what it is now.

    Plans name bodies as they were; a reform may since have merged or renamed them (in 2019,
    市质监局 and 市食药监局 went into a market regulation bureau), so today's department could
    not find its targets by its own name. ``now`` is the body today, ``source`` where that is
    stated; unless ``confirmed``, it is qcheck's reading of a national pattern, marked ※.
    """

    name: str = Field(min_length=1)  # as the plan names it
    now: str | None = None  # the body that does its work today; None: unchanged, or not known
    since: int | None = Field(default=None, ge=1949, le=2100)  # the year it changed
    source: str = ""
    confirmed: bool = False

    @model_validator(mode="after")
    def _now_has_a_source(self) -> Department:
        if not self.name.strip() or (self.now is not None and not self.now.strip()):
            raise ValueError(f"department {self.name!r}: a name is blank")
        if self.now is not None and not self.source.strip():
            raise ValueError(f"department {self.name!r}: say where 'now' is stated, in source")
        if self.now is None and (self.since is not None or self.confirmed):
            raise ValueError(f"department {self.name!r}: since and confirmed tell of 'now'")
        return self


class Target(Named):
    """One indicator of the plan with its rule, unit and source."""

    id: Identifier
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    area: Identifier
    unit: str | None = None
    rule: Rule
    source: PlanSource
    interpretation: Interpretation | None = None
    plausible: Plausible | None = None
    lead_units: tuple[str, ...] = ()
    lead_task: str = ""
    warning_band: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _unit_matches_rule(self) -> Target:
        if self.warning_band is not None and not self.rule.banded:
            raise ValueError(
                f"a target of kind {self.rule.kind} has no warning band: it applies to a figure "
                "meeting a line by at least, at most or a range, never to equals, a total or an "
                "answer"
            )
        if self.rule.answers_yes_no and self.unit is not None:
            raise ValueError("a qualitative target has no unit")
        if not self.rule.answers_yes_no and self.unit is None:
            raise ValueError(f"a {self.rule.kind} target needs a unit")
        if self.rule.answers_yes_no and self.plausible is not None:
            raise ValueError("a qualitative target has no plausible range")
        return self


class Catalogue(Frozen):
    """Every target of a plan, with the areas, units and regions they refer to."""

    plan: Plan
    areas: tuple[Area, ...] = Field(min_length=1)
    units: tuple[Unit, ...] = ()
    city_aliases: tuple[str, ...] = ()
    regions: tuple[Region, ...] = ()
    departments: tuple[Department, ...] = ()
    targets: tuple[Target, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Catalogue:
        # A second definition would silently win, or count a region twice.
        if twice := _defined_twice(area.id for area in self.areas):
            raise ValueError(f"area id {twice!r} is defined twice")
        if twice := _defined_twice(unit.id for unit in self.units):
            raise ValueError(f"unit id {twice!r} is defined twice")
        if twice := _defined_twice(region.id for region in self.regions):
            raise ValueError(f"region id {twice!r} is defined twice")
        if twice := _defined_twice(department.name for department in self.departments):
            raise ValueError(f"department {twice!r} is defined twice")
        departments = {department.name for department in self.departments}
        area_ids = {area.id for area in self.areas}
        unit_ids = {unit.id for unit in self.units}
        seen: set[str] = set()
        problems: list[InitErrorDetails] = []  # every target's, not only the first one's
        for index, target in enumerate(self.targets):
            try:
                if target.id in seen:
                    raise ValueError(f"target id {target.id!r} is used twice")
                seen.add(target.id)
                if target.area not in area_ids:
                    raise ValueError(f"target {target.id!r}: unknown area {target.area!r}")
                if target.unit is not None and target.unit not in unit_ids:
                    raise ValueError(f"target {target.id!r}: unknown unit {target.unit!r}")
                if any(not name.strip() for name in target.lead_units):
                    raise ValueError(f"target {target.id!r}: a lead unit is blank")
                if twice := _defined_twice(target.lead_units):
                    raise ValueError(f"target {target.id!r}: lead unit {twice!r} is named twice")
                unknown = [name for name in target.lead_units if name not in departments]
                if departments and unknown:
                    raise ValueError(
                        f"target {target.id!r}: lead unit {unknown[0]!r} is not among departments"
                    )
                target.rule.check(self, target)
                self._check_plausible(target)
                band = target.warning_band
                if band is not None and target.unit is not None:
                    span = self.unit(target.unit).span_under(band)
                    if span is not None:
                        raise ValueError(
                            f"target {target.id!r}: warning_band {plain_decimal(band)} must be "
                            f"less than the {plain_decimal(span)} its unit {target.unit!r} spans"
                        )
            except ValueError as error:
                problems.append(
                    InitErrorDetails(
                        type="value_error",
                        loc=("targets", index),
                        input=target.id,
                        ctx={"error": error},
                    )
                )
        if problems:
            raise ValidationError.from_exception_data(type(self).__name__, problems)
        for unit in self.units:
            if unit.converts is not None and unit.converts.to not in unit_ids - {unit.id}:
                raise ValueError(f"unit {unit.id!r}: converts to unknown unit {unit.converts.to!r}")
        # Building the indexes raises on a name used for two things.
        _ = self.indicator_names, self.region_names, self.unit_names
        return self

    def warning_band(self, target: Target) -> Decimal | None:
        """Return the band inside which a met figure of ``target`` is at risk (None: no band).

        The target's own, else its unit's default; none for a rule without a band (equals,
        an answer, a total).
        """
        if not target.rule.banded or target.unit is None:
            return None
        if target.warning_band is not None:
            return target.warning_band
        return self.unit(target.unit).warning_band

    def department(self, name: str) -> Department | None:
        """Return the department a plan names ``name``, if the catalogue declares it."""
        return next((found for found in self.departments if found.name == name), None)

    def _check_plausible(self, target: Target) -> None:
        """Refuse a plausible range its unit does not allow, or that leaves the rule unmeetable."""
        plausible = target.plausible
        if plausible is None or target.unit is None:
            return
        unit = self.unit(target.unit)
        for bound in (plausible.minimum, plausible.maximum):
            if bound is not None and not unit.allows(bound):
                raise ValueError(
                    f"target {target.id!r}: plausible: {plain_decimal(bound)} is outside the range "
                    f"of its unit {target.unit!r}"
                )
        rule = target.rule
        for year in range(rule.first(self), rule.last(self) + 1):
            for edge in rule.edges(year):
                if not plausible.allows(edge):
                    shown = plain_decimal(edge)
                    raise ValueError(
                        f"target {target.id!r}: plausible: the rule's line {shown} lies "
                        f"outside the plausible range {plausible.shown()}: widen the range or "
                        "correct the line"
                    )

    @cached_property
    def indicator_names(self) -> NameIndex[Target]:
        """Every accepted spelling of every indicator: id, Chinese, English and aliases."""
        return NameIndex((name, target) for target in self.targets for name in target.spellings())

    @cached_property
    def region_names(self) -> NameIndex[Region | None]:
        """Every accepted spelling of every region; city-wide names map to None."""
        entries: list[tuple[str, Region | None]] = [(name, None) for name in self.city_aliases]
        entries += [(self.plan.city_zh, None), (self.plan.city_en, None)]
        for region in self.regions:
            entries += [(name, region) for name in region.spellings()]
        return NameIndex(dict.fromkeys(entries))

    @cached_property
    def unit_names(self) -> NameIndex[Unit]:
        """Every accepted spelling of every unit."""
        return NameIndex((name, unit) for unit in self.units for name in unit.spellings())

    def target(self, target_id: str) -> Target:
        """Return the target with id ``target_id``."""
        return self._by_id.targets[target_id]

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with id ``unit_id``."""
        return self._by_id.units[unit_id]

    def area(self, area_id: str) -> Area:
        """Return the area with id ``area_id``."""
        return self._by_id.areas[area_id]

    def region(self, region_id: str) -> Region:
        """Return the region with id ``region_id``."""
        return self._by_id.regions[region_id]

    @cached_property
    def _by_id(self) -> _ById:
        # A province-wide catalogue has thousands of regions: look them up, never search.
        return _ById(
            targets={target.id: target for target in self.targets},
            units={unit.id: unit for unit in self.units},
            areas={area.id: area for area in self.areas},
            regions={region.id: region for region in self.regions},
        )


class _ById(NamedTuple):
    """A catalogue's targets, units, areas and regions, each by its id."""

    targets: dict[str, Target]
    units: dict[str, Unit]
    areas: dict[str, Area]
    regions: dict[str, Region]


def _defined_twice(ids: Iterable[str]) -> str | None:
    """Return the first id that is defined more than once, if any."""
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            return ident
        seen.add(ident)
    return None
