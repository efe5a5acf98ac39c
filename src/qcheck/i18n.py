"""Results in words of one language: rule descriptions, reasons, figures (see qcheck.words)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from qcheck.catalogue import Catalogue, Target
from qcheck.evaluation import Reason, Result, Status, Summary, Value
from qcheck.measurements import plain_decimal
from qcheck.validation import Validation
from qcheck.verdicts import ALWAYS_COUNTED, InUnit
from qcheck.words import INTERPRETED_MARK, Lang, has_word, join, label, local


def fewest_places(
    *pairs: tuple[Decimal, Decimal], least: int = 2, rounding: str = ROUND_HALF_EVEN
) -> int:
    """Return the fewest decimals, at least ``least``, at which every pair compares as it does.

    Shown at that many decimals, a figure just under its threshold never shows as the
    threshold (93.99999 is not 94), and a gap that is not zero never shows as 0. ``rounding``
    is how the figures are rounded where they are shown (a workbook's formats round half up).
    """
    places = least
    while any(
        rounded(a, places, rounding).compare(rounded(b, places, rounding)) != a.compare(b)
        for a, b in pairs
    ):
        places += 1
    return places


def rounded(number: Decimal, places: int, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """Round ``number`` to ``places`` decimals if it has more."""
    if number.as_tuple().exponent >= -places:  # type: ignore[operator]
        return number
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + places + 2)
        return number.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def validation_line(lang: Lang, validation: Validation, *, strict: bool) -> str:
    """Return the summary of a validation: files, rows, errors, warnings, and the verdict."""
    valid = validation.is_valid(strict=strict)
    return label(
        lang,
        "validation_summary",
        files=len(validation.sources),
        rows=validation.rows,
        errors=validation.error_count,
        warnings=validation.warning_count,
        verdict=label(lang, "valid" if valid else "invalid"),
    )


class Texts:
    """Renders labels, rules, reasons and figures in one language for one catalogue."""

    def __init__(self, lang: Lang, catalogue: Catalogue) -> None:
        self.lang = lang
        self.catalogue = catalogue
        self._rules: dict[str, str] = {}

    def label(self, key: str, **params: object) -> str:
        """Return the label ``key`` with its parameters filled in."""
        return label(self.lang, key, **params)

    def join(self, items: Iterable[object], *, sep: str = "sep.list") -> str:
        """Join ``items`` with a separator of this language: a list's, by default."""
        return join(self.lang, items, sep=sep)

    def years(self, years: Sequence[int]) -> str:
        """Return years as a trend names them: each run that follows on as a span, else each.

        2018–2020; 2018, 2020; 2016, 2018–2020.
        """
        runs: list[list[int]] = []
        for year in sorted(years):
            if runs and year == runs[-1][-1] + 1:
                runs[-1].append(year)
            else:
                runs.append([year])
        return self.join(
            str(run[0]) if len(run) == 1 else self.label("year_span", first=run[0], last=run[-1])
            for run in runs
        )

    def summary(self, summary: Summary) -> str:
        """Return the counts line: 18 targets: 11 met, 5 not met, 2 missing."""
        text = self.label(
            "summary.one" if summary.total == 1 else "summary",  # a language's singular
            total=summary.total,
            passed=summary.passed,
            failed=summary.failed,
            missing=summary.missing,
        )
        for status in summary.counted():
            if status not in ALWAYS_COUNTED:
                text += self.label(f"summary_{status.value}", count=summary.count(status))
        return text

    def status(self, status: Status) -> str:
        """Return the word for a status."""
        return self.label(status.value)

    def target_name(self, target: Target) -> str:
        """Return the indicator's name in this language."""
        return str(local(target, "name", self.lang))

    def marked(self, text: str, target: Target) -> str:
        """Return ``text`` followed by ※ if qcheck reads the target where the plan is open."""
        return f"{text} {INTERPRETED_MARK}" if target.interpretation else text

    def interpretation(self, target: Target) -> str | None:
        """Return how qcheck reads a target the plan leaves open (None if it leaves nothing)."""
        reading = target.interpretation
        if reading is None:
            return None
        return str(local(reading, "", self.lang))

    def area_name(self, area_id: str) -> str:
        """Return an area's name in this language."""
        area = self.catalogue.area(area_id)
        return str(local(area, "name", self.lang))

    def region_name(self, region_id: str | None) -> str:
        """Return a region's name, or the city's for None."""
        if region_id is None:
            return str(local(self.catalogue.plan, "city", self.lang))
        region = self.catalogue.region(region_id)
        return str(local(region, "name", self.lang))

    def unit_suffix(self, unit_id: str | None) -> str:
        """Return the unit as written after a number: '%' directly, others after a space."""
        name = self.unit_name(unit_id)
        return name if unit_id in (None, "%") else " " + name

    def unit_name(self, unit_id: str | None) -> str:
        """Return a unit's name in this language: '%', '微克/立方米'; '' for none."""
        if unit_id in (None, "%"):
            return unit_id or ""
        return str(local(self.catalogue.unit(unit_id), "name", self.lang))

    def number(
        self,
        number: Decimal,
        unit_id: str | None,
        *,
        signed: bool = False,
        places: int | None = 2,
    ) -> str:
        """Format a figure with its unit, rounded to ``places`` decimals where it has more.

        ``places`` None shows every decimal, as for a threshold.
        """
        if places is not None:
            number = rounded(number, places)
        text = plain_decimal(number)
        if signed and not text.startswith("-") and text != "0":
            text = "+" + text
        return text + self.unit_suffix(unit_id)

    @staticmethod
    def places(result: Result, *, rounding: str = ROUND_HALF_EVEN) -> int:
        """Decimals to show a result's figures so that each is on the side its verdict says.

        The value against the threshold (or the baseline), and the value and gap against zero:
        a value of 93.99999 for a target of 94 shows as 93.99999, never as 94 with a gap of 0.
        """
        value = result.value
        pairs = list(result.pairs)
        if result.gap is not None:
            pairs.append((result.gap, Decimal(0)))
        if isinstance(value, Decimal):
            pairs.append((value, Decimal(0)))
        return fewest_places(*pairs, rounding=rounding)

    def value(
        self,
        value: Value | None,
        unit_id: str | None,
        *,
        places: int = 2,
        answers: tuple[str, str] = ("met", "not_met"),
    ) -> str:
        """Format a reported value: an answer (met / not met), or a number; '—' for none."""
        if value is None:
            return "—"
        if isinstance(value, bool):
            return self.label(answers[0] if value else answers[1])
        return self.number(value, unit_id, places=places)

    def observed(self, value: Value, target: Target, year: int) -> str:
        """Format one reported figure for a target, on the side of its threshold that it is."""
        if isinstance(value, Decimal) and (edges := target.rule.edges(year)):
            places = fewest_places(*((value, edge) for edge in edges))
            return self.value(value, target.unit, places=places)
        return self.value(value, target.unit, answers=target.rule.answer_labels)

    def result_value(self, result: Result) -> str:
        """Format the value a result judged, naming its region and any year not the evaluated."""
        answers = result.target.rule.answer_labels
        text = self.value(
            result.value, result.target.unit, places=self.places(result), answers=answers
        )
        whose = [] if result.value_region is None else [self.region_name(result.value_region)]
        if result.value_year is not None and result.value_year != result.year:
            whose.append(self.label("year_of", year=result.value_year))
        if whose:
            text = self.label("bracket", text=text, inner=self.join(whose, sep="sep.comma"))
        return text

    def gap(self, result: Result) -> str:
        """Format a result's gap: percentage points for rates, units otherwise."""
        if result.gap is None:
            return "—"
        text = self.gap_amount(
            result.gap, result.target.unit, signed=True, places=self.places(result)
        )
        relative = result.relative_change
        if relative is not None:
            shown = fewest_places((relative, Decimal(0)), (relative, result.relative_line))
            text += f" ({self.number(relative, '%', signed=True, places=shown)})"
        return text

    def gap_amount(
        self,
        amount: Decimal,
        unit_id: str | None,
        *,
        signed: bool = False,
        places: int | None = None,
    ) -> str:
        """Format a difference: percentage points for rates, the unit otherwise."""
        if unit_id == "%":
            return self.number(amount, None, signed=signed, places=places) + " " + self.points()
        return self.number(amount, unit_id, signed=signed, places=places)

    def points(self) -> str:
        """Return the word for percentage points, in which a rate's differences are said."""
        return str(local(self.catalogue.unit("%"), "gap", self.lang) or self.label("points"))

    def comparison(self, result: Result) -> str:
        """Return 'actual X, target Y, gap Z' for a result, and its reasons if any."""
        text = self.label(
            "comparison",
            actual=self.result_value(result),
            target=self.rule(result.target),
            gap=self.gap(result),
        )
        if reasons := self.reasons(result):
            text += self.label("sep.sentence") + reasons
        return text

    def rule(self, target: Target) -> str:
        """Describe a target's rule in a few words, e.g. '≥ 94%' or 'below the 2017 value'."""
        text = self._rules.get(target.id)
        if text is None:
            text = self._rules[target.id] = target.rule.described(self, target)
        return text

    def reason(self, reason: Reason, target: Target | None = None) -> str:
        """Put one reason into words; its ``figures``, one per region, are in ``target``'s unit."""
        template = f"reason.{reason.code}"
        if not has_word(template):
            return reason.code
        params: dict[str, object] = {}
        for key, param in reason.params.items():
            if key == "regions" and isinstance(param, tuple):
                names = [self._region_label(str(region)) for region in param]
                figures = reason.params.get("figures")
                year = reason.params.get("year")
                if target is not None and isinstance(figures, tuple) and isinstance(year, int):
                    shown = (self.observed(Decimal(figure), target, year) for figure in figures)
                    names = [f"{name} {figure}" for name, figure in zip(names, shown, strict=True)]
                named = self.join(names)
                others = reason.params.get("others")
                if isinstance(others, int):
                    named = self.label("and_more", text=named, count=others)
                params[key] = named
            elif key == "was" and isinstance(param, str):  # a status, as a waived result had
                params[key] = self.status(Status(param))
            elif isinstance(param, tuple):
                params[key] = self.join(param)
            elif isinstance(param, InUnit):
                unit = None if target is None else target.unit
                if param.signed:  # a pace that is not zero never shows as 0, nor as its match
                    pairs = [(param.number, Decimal(0))]
                    if param.against is not None:
                        pairs.append((param.number, param.against))
                    places = fewest_places(*pairs)
                    params[key] = self.gap_amount(param.number, unit, signed=True, places=places)
                elif param.difference:
                    params[key] = self.gap_amount(param.number, unit)
                elif param.against is not None:
                    places = fewest_places((param.number, param.against))
                    params[key] = self.number(param.number, unit, places=places)
                else:
                    params[key] = self.number(param.number, unit)
            elif isinstance(param, Decimal):
                params[key] = self.number(param, None)
            else:
                params[key] = param
        return self.label(template, **params)

    def reasons(self, result: Result) -> str:
        """Put every reason of a result into words, with the baseline where one was used."""
        parts = [self.reason(reason, result.target) for reason in result.reasons]
        if result.baseline is not None and result.baseline_year is not None:
            baseline = self.number(result.baseline, result.target.unit, places=self.places(result))
            parts.insert(0, self.label("baseline", year=result.baseline_year, value=baseline))
        return self.join(parts, sep="sep.clause")

    def _region_label(self, region_id: str) -> str:
        try:
            return self.region_name(region_id)
        except KeyError:
            return region_id
