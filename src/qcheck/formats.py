"""Output format names and the --output suffixes that choose them (no imports: used at start-up)."""

FORMATS = ("table", "json", "csv", "markdown", "junit", "github", "sarif")
SUFFIX_FORMATS = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".xml": "junit",
    ".sarif": "sarif",
    ".txt": "table",
}
