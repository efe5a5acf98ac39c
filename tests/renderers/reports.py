"""Reports built by hand, not by evaluating files: every status and every reason code in one."""

from __future__ import annotations

import string
from decimal import Decimal
from itertools import cycle

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report, Result, Status
from qcheck.problems import Problem
from qcheck.verdicts import InUnit, Reason, ReasonParam
from qcheck.words import FALLBACK, reason_codes, word

# A value for every parameter a reason's words name; a new parameter fails loudly (KeyError).
PARAMS: dict[str, ReasonParam] = {
    "year": 2019,
    "years": (2018, 2019),
    "regions": ("sunan", "linze"),
    "count": 6,
    "passed": 5,
    "by": "10%",
    "due": "2019-06",
    "reported": Decimal("82.5"),
    "computed": Decimal("83.1"),
    "sum": Decimal(120),
    "was": "fail",
    "reason": "口径调整",
    "approved_by": "市市场监督管理局",
    "expires": "2030-06-30",
    "base": 2017,
    "asked": 2017,
    "required": InUnit(Decimal("1.67"), difference=True, signed=True),
    "actual": InUnit(Decimal("1.5"), difference=True, signed=True),
    "projected": InUnit(Decimal("84.5"), against=Decimal(85)),
    "sign": "≥",
    "line": InUnit(Decimal(85)),
    "baseline": InUnit(Decimal(80)),
    "margin": InUnit(Decimal("0.4"), difference=True),
    "band": InUnit(Decimal(1), difference=True),
}


def reason(code: str) -> Reason:
    """Return a reason with every parameter its words name."""
    words = word(FALLBACK, f"reason.{code}")
    names = {name for _, name, _, _ in string.Formatter().parse(words)}
    return Reason(code=code, params={name: PARAMS[name] for name in names if name})


def every_case(catalogue: Catalogue, *, year: int = 2020) -> Report:
    """Return a report with a result per target, every status and every reason code among them.

    The results are listed in reverse, areas interleaved, as a renderer must not rely on.
    """
    statuses = cycle(Status)
    codes = list(reason_codes())
    results = []
    for index, target in enumerate(catalogue.targets):
        status = next(statuses)
        mine = codes[index :: len(catalogue.targets)]
        results.append(
            Result(
                target=target,
                status=status,
                year=year,
                value=None if status is Status.MISSING else Decimal("93.5"),
                gap=None if status is Status.MISSING else Decimal("-0.5"),
                reasons=tuple(reason(code) for code in mine),
            )
        )
    warning = Problem.of("looks-like-fraction", source="a.csv", row=3, value="0.95", percent="95")
    return Report(
        catalogue=catalogue,
        sources=("a.csv",),
        year=year,
        results=tuple(reversed(results)),
        problems=(warning,),
    )
