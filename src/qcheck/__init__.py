"""qcheck: check reported figures against Zhangye City's 2020 quality targets.

The Python API is what the command line uses::

    from qcheck import evaluate, load_catalogue, load_measurements

    catalogue = load_catalogue()
    measurements, warnings = load_measurements(["report.csv"], catalogue=catalogue)
    report = evaluate(catalogue=catalogue, measurements=measurements, year=2020)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public names, imported on first use so that `qcheck --version` stays fast.
_EXPORTS = {
    "load_catalogue": "qcheck.loaders.targets",
    "load_targets": "qcheck.loaders.targets",  # deprecated: load_catalogue
    "load_measurements": "qcheck.loaders.files",
    "check_files": "qcheck.loaders.files",
    "check_table": "qcheck.loaders.arrow_table",
    "ReadOptions": "qcheck.loaders.files",
    "evaluate": "qcheck.evaluation",
    "exit_code_for": "qcheck.evaluation",
    "Report": "qcheck.evaluation",
    "Result": "qcheck.evaluation",
    "Status": "qcheck.evaluation",
    "Catalogue": "qcheck.catalogue",
    "Target": "qcheck.catalogue",
    "Measurement": "qcheck.measurements",
    "Problem": "qcheck.problems",
    "InputError": "qcheck.problems",
    "TargetsError": "qcheck.problems",
    "Validation": "qcheck.validation",
}
__all__ = [
    "Catalogue",
    "InputError",
    "Measurement",
    "Problem",
    "ReadOptions",
    "Report",
    "Result",
    "Status",
    "Target",
    "TargetsError",
    "Validation",
    "__version__",
    "check_files",
    "check_table",
    "evaluate",
    "exit_code_for",
    "load_catalogue",
    "load_measurements",
    "load_targets",
]

if TYPE_CHECKING:
    from qcheck.catalogue import Catalogue, Target
    from qcheck.evaluation import Report, Result, Status, evaluate, exit_code_for
    from qcheck.loaders.arrow_table import check_table
    from qcheck.loaders.files import ReadOptions, check_files, load_measurements
    from qcheck.loaders.targets import load_catalogue, load_targets
    from qcheck.measurements import Measurement
    from qcheck.problems import InputError, Problem, TargetsError
    from qcheck.validation import Validation


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'qcheck' has no attribute {name!r}")
