"""Where reports come from: folders with links, pipes, devices, descriptors, and --targets.

Folders are walked through links, each file once, and every entry that cannot be read is an
error naming it; pipes and devices are read as standard input is, within --max-bytes, their
format told by their suffix or content, YAML told from CSV by parsing; a targets file is read
within a bound. Tests run as root, so an unreadable entry is simulated by monkeypatching the
call that would fail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcheck.cli import main
from qcheck.loaders.files import looks_like_yaml
from qcheck.loaders.folders import HIDDEN, find_reports
from qcheck.loaders.formats import REPORT_SUFFIXES
from qcheck.loaders.targets import load_catalogue
from qcheck.problems import TargetsError
from tests.helpers import REPO_ROOT
from tests.loaders.test_inputs import validation

FOOD = "indicator,value\nfood_safety_pass_rate,{}\n"
SERVICE = "indicator,value\nservice_satisfaction,90\n"
NEEDS_FIFO = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@pytest.fixture(autouse=True)
def _in_tmp(in_tmp: Path) -> None:
    """Every test runs in a temporary directory of its own."""


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def the_problem(*args: str) -> dict[str, Any]:
    """Validate ARGS, which must exit 2 with one problem; return it."""
    code, found = validation(*args)
    assert code == 2, found
    problems: list[dict[str, Any]] = found["problems"]
    assert len(problems) == 1, problems
    return problems[0]


def codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(problem["code"], problem["source"]) for problem in document["problems"]]


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- folders: links ------------------------------------------------------------------------


def test_a_linked_folder_is_read_so_its_conflicting_row_counts() -> None:
    write("reports/city.csv", FOOD.format(95))
    write("elsewhere/county.csv", FOOD.format(80))
    Path("reports/county").symlink_to(Path("../elsewhere"))
    code, found = validation("reports")
    assert code == 2
    assert found["source"] == ["reports/city.csv", "reports/county/county.csv"]
    assert [problem["code"] for problem in found["problems"]] == ["duplicate"]


def test_a_linked_file_is_read() -> None:
    write("reports/city.csv", SERVICE)
    write("elsewhere/food.data", FOOD.format(95))
    Path("reports/food.csv").symlink_to(Path("../elsewhere/food.data"))
    code, found = validation("reports")
    assert (code, found["source"]) == (0, ["reports/city.csv", "reports/food.csv"])


def test_a_link_back_to_a_parent_is_no_loop() -> None:
    write("reports/sub/a.csv", FOOD.format(95))
    Path("reports/sub/up").symlink_to(Path(".."))
    Path("reports/sub/root").symlink_to(Path.cwd() / "reports")
    Path("reports/sub/self").symlink_to(Path())
    code, found = validation("reports")
    assert (code, found["source"]) == (0, ["reports/sub/a.csv"])


def test_two_links_to_one_folder_read_it_once_by_its_own_path() -> None:
    write("reports/real/a.csv", FOOD.format(95))
    write("reports/real/b.csv", SERVICE)
    Path("reports/alias").symlink_to(Path("real"))
    Path("reports/again").symlink_to(Path("real"))
    Path("reports/real/link.csv").symlink_to(Path("a.csv"))
    code, found = validation("reports", "--strict")
    assert (code, found["source"]) == (0, ["reports/real/a.csv", "reports/real/b.csv"])


def test_a_file_with_two_names_in_a_folder_is_read_once() -> None:
    write("reports/a.csv", FOOD.format(95))
    os.link("reports/a.csv", "reports/b.csv")  # a hard link: one file, two names
    code, found = validation("reports", "--strict")
    assert (code, found["source"]) == (0, ["reports/a.csv"])


def test_a_file_named_twice_by_two_names_is_read_once() -> None:
    write("a.csv", FOOD.format(95))
    os.link("a.csv", "b.csv")
    Path("c.csv").symlink_to(Path("a.csv"))
    code, found = validation("a.csv", "b.csv", "c.csv", "--strict")
    assert (code, found["source"]) == (0, ["a.csv"])


def test_a_link_that_leads_nowhere_is_unreadable() -> None:
    write("reports/a.csv", FOOD.format(95))
    Path("reports/gone.csv").symlink_to(Path("moved.csv"))
    Path("reports/.hidden-gone.csv").symlink_to(Path("moved.csv"))
    problem = the_problem("reports")
    assert (problem["code"], problem["source"]) == ("unreadable", "reports/gone.csv")
    assert problem["message"] == "a link to 'moved.csv', which does not exist"
    assert problem["message_zh"] == "链接指向的“moved.csv”不存在"


def test_a_link_to_itself_is_unreadable() -> None:
    write("reports/a.csv", FOOD.format(95))
    Path("reports/loop").symlink_to(Path("loop"))
    code, found = validation("reports")
    assert (code, codes(found)) == (2, [("unreadable", "reports/loop")])


# ---- folders: what cannot be read ----------------------------------------------------------


def refuse(monkeypatch: pytest.MonkeyPatch, target: str, name: str, owner: Any = os) -> None:
    """Make ``owner.name`` (os.scandir, Path.stat, ...) raise PermissionError for ``target``."""
    original = getattr(owner, name)

    def refusing(*args: Any, **kwargs: Any) -> Any:
        if any(str(arg) == target for arg in args[:1]):
            raise PermissionError(13, "Permission denied")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, refusing)


def test_a_folder_that_cannot_be_listed_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    write("reports/a.csv", FOOD.format(95))
    write("reports/locked/b.csv", FOOD.format(80))
    refuse(monkeypatch, "reports/locked", "scandir")
    problem = the_problem("reports")
    assert (problem["code"], problem["source"]) == ("unreadable", "reports/locked")
    assert problem["message"] == "Permission denied"
    assert problem["message_zh"] == "无法读取：没有权限"


def test_a_top_folder_that_cannot_be_listed_is_unreadable_not_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write("reports/a.csv", FOOD.format(95))
    refuse(monkeypatch, "reports", "scandir")
    result = run("evaluate", "reports", "--lang", "en")
    assert result.exit_code == 2
    assert "reports: [unreadable] Permission denied" in result.stderr
    assert "no-data" not in result.stderr


@pytest.mark.parametrize("call", ["stat", "open"])
def test_a_file_that_cannot_be_looked_at_or_opened_is_unreadable(
    call: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("reports/a.csv", FOOD.format(95))
    write("reports/b.csv", FOOD.format(80))
    refuse(monkeypatch, "reports/b.csv", call, Path)
    code, found = validation("reports")
    assert (code, codes(found)) == (2, [("unreadable", "reports/b.csv")])


def test_with_each_an_unreadable_folder_fails_the_run_and_the_rest_is_evaluated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write("reports/a.csv", FOOD.format(95))
    write("reports/locked/b.csv", FOOD.format(80))
    refuse(monkeypatch, "reports/locked", "scandir")
    result = run("evaluate", "reports", "--each", "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert [report["source"] for report in document["reports"]] == [["reports/a.csv"]]
    assert [error["source"] for error in document["input_errors"]] == [["reports/locked"]]


@NEEDS_FIFO
def test_a_pipe_in_a_folder_is_unreadable_not_a_hang() -> None:
    write("reports/a.csv", FOOD.format(95))
    os.mkfifo("reports/b.csv")  # no writer: opening it would wait for ever
    problem = the_problem("reports")
    assert (problem["code"], problem["source"]) == ("unreadable", "reports/b.csv")
    assert problem["message"] == "a pipe or device, not a file"


# ---- folders: the walk against a reference -------------------------------------------------

NAMES = ("a", "b", "r.csv", "s.yaml", "T.XLSX", "u.txt", "n.md", ".h", ".h.csv", "~$l.xlsx")
Node = tuple[str, ...]  # a path from the root, by names
Tree = dict[Node, Any]  # "dir", "file", or ("link", target, absolute)


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    """Folders, files and links (to folders, files, links, themselves, nowhere) under a root."""
    tree: Tree = {(): "dir"}
    folders: list[Node] = [()]

    def new_node() -> Node | None:
        node = (*draw(st.sampled_from(folders)), draw(st.sampled_from(NAMES)))
        return None if node in tree else node

    for kind, most in (("dir", 6), ("file", 8), ("link", 6)):
        for _ in range(draw(st.integers(0, most))):
            node = new_node()
            if node is None:
                continue
            if kind == "link":
                missing = (*node[:-1], "missing")
                target = draw(st.sampled_from([*tree, node, missing]))
                tree[node] = ("link", target, draw(st.booleans()))
            else:
                tree[node] = kind
                if kind == "dir":
                    folders.append(node)
    return tree


def build(tree: Tree, root: Path) -> None:
    for node, kind in sorted(tree.items(), key=lambda item: len(item[0])):
        path = root.joinpath(*node)
        if kind == "dir":
            path.mkdir(exist_ok=True)
        elif kind == "file":
            path.write_text(FOOD.format(95), encoding="utf-8")
        else:
            _, target, absolute = kind
            where = root.joinpath(*target)
            path.symlink_to(where if absolute else os.path.relpath(where, path.parent))


def reference_walk(tree: Tree) -> tuple[set[Node], set[Node]]:
    """Return the files a walk through links reaches, and the entries that lead nowhere."""

    def resolve(node: Node, hops: int = 0) -> Node | None:
        kind = tree.get(node)
        if isinstance(kind, tuple):
            return None if hops > 40 else resolve(kind[1], hops + 1)
        return None if kind is None else node

    files: set[Node] = set()
    nowhere: set[Node] = set()
    done: set[Node] = set()
    folders: list[Node] = [()]
    while folders:
        folder = folders.pop()
        if folder in done:
            continue
        done.add(folder)
        for node in [node for node in tree if node[:-1] == folder and node]:
            if node[-1].startswith(HIDDEN):
                continue
            real = resolve(node)
            if real is None:
                nowhere.add(node)
            elif tree[real] == "dir":
                folders.append(real)
            elif Path(node[-1]).suffix.lower() in REPORT_SUFFIXES:
                files.add(real)
    return files, nowhere


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees())
def test_the_walk_finds_each_reachable_report_once(tree: Tree) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve() / "root"
        root.mkdir()
        build(tree, root)
        found, problems = find_reports(root, REPORT_SUFFIXES)

        def node(path: Path) -> Node:
            return path.relative_to(root).parts

        real = [node(path.resolve()) for path in found]
        where_problems = {
            (*node(Path(p.source).parent.resolve()), Path(p.source).name) for p in problems
        }
    expected_files, expected_nowhere = reference_walk(tree)
    assert len(real) == len(set(real)), found
    assert set(real) == expected_files
    assert where_problems == expected_nowhere
    assert all(problem.code == "unreadable" for problem in problems)
    assert found == sorted(found)


# ---- pipes, devices and descriptors --------------------------------------------------------


@contextmanager
def descriptor(data: bytes) -> Iterator[str]:
    """Yield /dev/fd/N for a pipe holding ``data``, as a shell's <(...) gives one."""
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        writer.join()
        os.close(read_end)


@contextmanager
def fifo(name: str, data: bytes) -> Iterator[str]:
    """Yield the name of a FIFO that a thread writes ``data`` into once it is opened."""
    os.mkfifo(name)

    def feed() -> None:
        with Path(name).open("wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        yield name
    finally:
        # Opened for reading without waiting, the FIFO lets a writer never read from finish.
        released = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
        writer.join()
        os.close(released)


NEEDS_DEV_FD = pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd here")


@NEEDS_DEV_FD
@pytest.mark.parametrize(
    "data",
    [
        FOOD.format(95).encode(),
        "指标,数值\n食品安全抽检合格率,95\n".encode("gb18030"),
        b"measurements:\n  - {indicator: food_safety_pass_rate, value: 95}\n",
    ],
    ids=["csv", "csv-gbk", "yaml"],
)
def test_a_descriptor_is_read_like_standard_input(data: bytes) -> None:
    with descriptor(data) as name:
        code, found = validation(name, "--strict")
    assert (code, found["source"], found["rows"]) == (0, [name], 1)


@NEEDS_DEV_FD
def test_a_descriptor_of_a_regular_file_is_read_by_its_content() -> None:
    write("report", FOOD.format(95))
    with Path("report").open("rb") as stream:
        name = f"/dev/fd/{stream.fileno()}"
        code, found = validation(name)
    assert (code, found["source"], found["rows"]) == (0, [name], 1)


@NEEDS_FIFO
@pytest.mark.parametrize("name", ["r.csv", "report"])
def test_a_named_pipe_is_read(name: str) -> None:
    with fifo(name, FOOD.format(80).encode()) as path:
        result = run("evaluate", path, "--format", "json")
    assert result.exit_code == 1, result.output
    (report,) = json.loads(result.stdout)["reports"]
    food = next(r for r in report["results"] if r["id"] == "food_safety_pass_rate")
    assert (report["source"], food["status"], food["value"]) == ([path], "fail", 80)


@NEEDS_FIFO
def test_a_named_pipe_takes_its_format_from_its_suffix_or_the_option() -> None:
    yaml_text = b"measurements: [{indicator: food_safety_pass_rate, value: 95}]\n"
    with fifo("r.yaml", yaml_text) as path:
        assert validation(path)[0] == 0
    with fifo("r.txt", yaml_text) as path:
        code, found = validation(path, "--stdin-format", "yaml")
    assert code == 0, found


@NEEDS_DEV_FD
def test_a_device_that_never_ends_is_too_large_at_once() -> None:
    code, found = validation("/dev/zero", "--max-bytes", "100000")
    assert code == 2
    (problem,) = found["problems"]
    assert (problem["code"], problem["source"]) == ("too-large", "/dev/zero")
    assert problem["message"] == "the stream has more than 100,000 bytes, over the limit"
    assert problem["message_zh"] == "数据流超过上限100,000字节"


@NEEDS_DEV_FD
def test_a_stream_within_max_bytes_is_read_and_one_past_it_is_not() -> None:
    data = FOOD.format(95).encode()
    with descriptor(data) as name:
        assert validation(name, "--max-bytes", str(len(data)))[0] == 0
    with descriptor(data) as name:
        code, found = validation(name, "--max-bytes", str(len(data) - 1))
    assert (code, codes(found)) == (2, [("too-large", name)])


@pytest.mark.parametrize(
    ("name", "message_en", "message_zh"),
    [
        (
            "report",
            "qcheck cannot tell the format of a file without a suffix",
            "无扩展名的文件无法判断格式",
        ),
        ("report.md", "qcheck does not read .md files", "qcheck 不读取.md文件"),
    ],
)
def test_a_file_with_no_known_suffix_says_how_to_pass_it(
    name: str, message_en: str, message_zh: str
) -> None:
    write(name, FOOD.format(95))
    problem = the_problem(name)
    assert (problem["code"], problem["source"]) == ("unsupported-format", name)
    assert (problem["message"], problem["message_zh"]) == (message_en, message_zh)
    assert f"- --stdin-format csv < {name}" in problem["hint"]
    assert f"- --stdin-format csv < {name}" in problem["hint_zh"]
    assert "rename" in problem["hint"]


def test_a_missing_file_without_a_suffix_is_unreadable_not_unsupported() -> None:
    code, found = validation("nowhere")
    assert (code, codes(found)) == (2, [("unreadable", "nowhere")])


# ---- standard input: YAML or CSV -----------------------------------------------------------

YAML_WITH_COMMAS = {
    "list": "- {indicator: 食品安全抽检合格率, value: 95.2}\n",
    "flow": "measurements: [{indicator: 食品安全抽检合格率, value: 95.2}, {indicator: PM10, year: "
    "2017, value: 78}]\n",
    "comma-value": "title: 2020年, 张掖市\nmeasurements:\n"
    "  - {indicator: 食品安全抽检合格率, value: 95}\n",
    "braces": "{measurements: [{indicator: 食品安全抽检合格率, value: 95.2}]}\n",
    "comment-first": "# 2020, 张掖\nyear: 2020\nmeasurements:\n  - indicator: 食品安全抽检合格率\n"
    "    value: 95.2\n",
}


@pytest.mark.parametrize("text", YAML_WITH_COMMAS.values(), ids=YAML_WITH_COMMAS.keys())
def test_yaml_on_stdin_with_a_comma_on_its_first_line_is_read_as_yaml(text: str) -> None:
    result = run("validate", "-", "--format", "json", "--strict", stdin=text)
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["validation"]["rows"] >= 1


CSV_LIKE_YAML = {
    "scalar": "indicator,value\nfood_safety_pass_rate,95\n",
    "title-with-colon": "报表: 2020年, 张掖市\n指标,数值\n食品安全抽检合格率,95\n",
    "title-with-a-key": "year: 2020\nindicator,value\nfood_safety_pass_rate,95\n",
    "title-with-a-dash": "- 2020 -\n指标,数值\n食品安全抽检合格率,95\n",
    "title-in-brackets": "[2020] 报表,,\n指标,数值,\n食品安全抽检合格率,95,\n",
    "colon-in-a-cell": "indicator,value,note\nfood_safety_pass_rate,95,note: see annex\n",
}


@pytest.mark.parametrize("text", CSV_LIKE_YAML.values(), ids=CSV_LIKE_YAML.keys())
def test_csv_on_stdin_that_yaml_could_parse_is_read_as_csv(text: str) -> None:
    result = run("validate", "-", "--format", "json", stdin=text)
    document = json.loads(result.stdout)["validation"]
    assert result.exit_code == 0, document["problems"]
    assert document["rows"] == 1
    assert {problem["code"] for problem in document["problems"]} <= {"title-row"}


def test_broken_yaml_on_stdin_gets_the_yaml_error() -> None:
    text = "measurements:\n  - {indicator: food_safety_pass_rate, value: 95\n"
    result = run("validate", "-", "--format", "json", stdin=text)
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert problem["code"] == "bad-yaml"


TEXT = st.text(alphabet="ab 12,.:-#%甘州区", max_size=12)
TITLE = st.text(alphabet="ab 12,.:-#%甘州区年报表", min_size=1, max_size=20)
INDICATORS = st.sampled_from(["食品安全抽检合格率", "PM10", "food_safety_pass_rate", "a, b: c"])


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {"indicator": INDICATORS, "value": st.one_of(TEXT, st.floats(0, 100))},
            optional={"note": TEXT, "year": st.integers(2000, 2100)},
        ),
        min_size=1,
        max_size=4,
    ),
    wrapped=st.booleans(),
    title=st.none() | TEXT,
    flow=st.sampled_from([None, False, True]),
)
def test_any_yaml_report_is_told_from_csv(
    items: list[dict[str, object]], wrapped: bool, title: str | None, flow: bool | None
) -> None:
    document: object = items
    if wrapped:
        document = {"measurements": items} | ({} if title is None else {"title": title})
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, width=10_000)
    assert looks_like_yaml(text), text


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(TEXT, min_size=2, max_size=4), max_size=4),
    header=st.sampled_from(
        [["indicator", "value"], ["指标", "数值", "年份"], ["id", "值", "note"]]
    ),
    title=st.none() | TITLE,
    delimiter=st.sampled_from([",", "\t", ";"]),
)
def test_any_csv_report_is_told_from_yaml(
    rows: list[list[str]], header: list[str], title: str | None, delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if title is not None:
        writer.writerow([title])
    writer.writerows([header, *rows])
    assert not looks_like_yaml(buffer.getvalue()), buffer.getvalue()


# ---- the targets file ----------------------------------------------------------------------


def test_targets_from_a_device_that_never_ends_are_too_large_at_once() -> None:
    for args in (["targets", "--targets", "/dev/zero"], ["targets", "--check", "/dev/zero"]):
        result = run(*args, "--lang", "en")
        assert result.exit_code == 2, result.output
        assert "/dev/zero: [too-large] the stream has more than 16,777,216 bytes" in result.stderr
    write("r.csv", FOOD.format(95))
    result = run("evaluate", "r.csv", "--targets", "/dev/zero", "--lang", "zh")
    assert result.exit_code == 2
    assert "/dev/zero：[too-large] 数据流超过上限16,777,216字节" in result.stderr


@NEEDS_DEV_FD
def test_targets_from_a_pipe_are_read() -> None:
    with descriptor((REPO_ROOT / "targets.yaml").read_bytes()) as name:
        result = run("targets", "--targets", name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["targets"]) == 27


@NEEDS_FIFO
def test_targets_from_a_named_pipe_are_checked() -> None:
    with fifo("targets.yaml", (REPO_ROOT / "targets.yaml").read_bytes()) as name:
        result = run("targets", "--check", name)
    assert result.exit_code == 0, result.output


def test_a_targets_file_over_the_bound_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write("targets.yaml", (REPO_ROOT / "targets.yaml").read_text(encoding="utf-8"))
    size = path.stat().st_size
    assert load_catalogue(path, max_bytes=size).targets
    with pytest.raises(TargetsError) as raised:
        load_catalogue(path, max_bytes=size - 1)
    (problem,) = raised.value.problems
    assert (problem.code, problem.source) == ("too-large", "targets.yaml")
    assert problem.message == f"the file has {size:,} bytes, over the limit of {size - 1:,}"


def test_a_link_that_vanishes_as_it_is_read_is_unreadable_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Folders such as /proc hold links that are gone by the time they are read: once exit 3.
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "gone.csv").symlink_to(tmp_path / "nowhere.csv")

    def vanished(self: Path) -> Path:
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "readlink", vanished)
    result = run("validate", str(folder), "--format", "json")
    assert result.exit_code == 2, result.output
    (problem,) = json.loads(result.stdout)["validation"]["problems"]
    assert (problem["code"], problem["source"]) == ("unreadable", str(folder / "gone.csv"))
