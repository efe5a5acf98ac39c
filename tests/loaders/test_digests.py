"""The SHA-256 of each input: streamed in blocks, an unreadable file a typed error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qcheck.loaders.digests import BLOCK, digests, sha256_of
from qcheck.problems import InputError


def test_the_digest_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("指标,数值\n食品安全抽检合格率,93.5\n".encode())
    assert sha256_of(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_larger_than_a_block_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    data = bytes(range(256)) * (BLOCK // 256 * 2 + 3)
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()


def test_an_empty_file_has_the_empty_digest(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert sha256_of(path) == hashlib.sha256(b"").hexdigest()


def test_digests_are_keyed_by_the_path_as_written(tmp_path: Path) -> None:
    one, two = tmp_path / "a.csv", tmp_path / "b.csv"
    one.write_bytes(b"a")
    two.write_bytes(b"b")
    found = digests([str(one), two])
    assert found == {
        str(one): hashlib.sha256(b"a").hexdigest(),
        str(two): hashlib.sha256(b"b").hexdigest(),
    }


def test_a_missing_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        sha256_of(tmp_path / "gone.csv")
    [problem] = raised.value.problems
    assert problem.code == "unreadable"
    assert problem.source == str(tmp_path / "gone.csv")


def test_every_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root reads any file whatever its mode: refuse the open itself.
    readable = tmp_path / "ok.csv"
    readable.write_bytes(b"x")
    refused = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for path in refused:
        path.write_bytes(b"y")
    real_open = Path.open

    def open_refusing(self: Path, *args: object, **kwargs: object) -> object:
        if self in refused:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_refusing)
    with pytest.raises(InputError) as raised:
        digests([readable, *refused])
    assert [p.source for p in raised.value.problems] == [str(path) for path in refused]
    assert {p.code for p in raised.value.problems} == {"unreadable"}
    assert "Permission denied" in raised.value.problems[0].detail("en")
