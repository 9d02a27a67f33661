"""Fixes keep a file's bytes: its encoding (PEP 263 cookie), BOM and newlines.

An editor pipes its buffer through ``fkit lint - --fix`` and replaces the buffer
with what comes back, so stdout must be the input byte for byte unless a fix changed
the code, and then the fixed code in the input's own encoding. Files fixed on disk
keep the same.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from fastmcp_kit.cli import main
from fastmcp_kit.lint.engine import FileResult
from fastmcp_kit.lint.write_back import encode_fixed
from tests.helpers import chdir, write_tree

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["fastmcp>=4"]\n'

# FMCP301 (safe fix) moves the import; the literal below it must keep its bytes.
LATIN_1 = b'# -*- coding: latin-1 -*-\nfrom fastmcp import Image\ns = "caf\xe9"\n'
LATIN_1_FIXED = (
    b'# -*- coding: latin-1 -*-\nfrom fastmcp.utilities.types import Image\ns = "caf\xe9"\n'
)
BOM = b"\xef\xbb\xbf"
UTF8 = 'from fastmcp import Image\ns = "caf\u00e9"\n'.encode()
UTF8_FIXED = 'from fastmcp.utilities.types import Image\ns = "caf\u00e9"\n'.encode()
CRLF = b"from fastmcp import Image\r\nx = 1\r\n"
CRLF_FIXED = b"from fastmcp.utilities.types import Image\r\nx = 1\r\n"
# Neither a BOM, a cookie nor valid UTF-8: Python itself refuses to read it.
UNDECODABLE = b'from fastmcp import Image\ns = "caf\xe9"\n'


def fix_stdin(root: Path, data: bytes, *args: str) -> tuple[int, bytes, str]:
    """``fkit lint - --fix`` in-process with byte streams, as a real pipe has."""
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    raw_out = io.BytesIO()
    stdout = io.TextIOWrapper(raw_out, encoding="utf-8", write_through=True)
    err = io.StringIO()
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = stdin, stdout
    try:
        with chdir(root), contextlib.redirect_stderr(err):
            code = main(["lint", "--no-cache", "-", "--fix", "--select", "FMCP301", *args])
        stdout.flush()
    finally:
        sys.stdin, sys.stdout = old_in, old_out
    return code, raw_out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"pyproject.toml": PYPROJECT})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(LATIN_1, LATIN_1_FIXED, id="latin-1-cookie"),
        pytest.param(BOM + UTF8, BOM + UTF8_FIXED, id="utf-8-bom"),
        pytest.param(UTF8, UTF8_FIXED, id="utf-8"),
        pytest.param(CRLF, CRLF_FIXED, id="crlf"),
    ],
)
def test_stdin_fix_answers_in_the_inputs_encoding(
    project: Path, data: bytes, expected: bytes
) -> None:
    code, out, err = fix_stdin(project, data)
    assert code == 0, err
    assert out == expected


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'# -*- coding: latin-1 -*-\ns = "caf\xe9"\n', id="latin-1-cookie"),
        pytest.param(BOM + b"x = 1\r\n", id="bom-crlf"),
        pytest.param(b"", id="empty"),
    ],
)
def test_stdin_fix_without_a_fix_returns_the_input_bytes(project: Path, data: bytes) -> None:
    code, out, err = fix_stdin(project, data)
    assert code == 0, err
    assert out == data


def test_undecodable_stdin_comes_back_unchanged_with_one_line(project: Path) -> None:
    code, out, err = fix_stdin(project, UNDECODABLE)
    assert out == UNDECODABLE  # never an empty buffer for the editor to save
    assert code == 1
    lines = [line for line in err.splitlines() if "decode" in line]
    assert len(lines) == 1, err
    assert lines[0].startswith("-:1:1: FMCP001 cannot decode file")
    assert "internal error" not in err and "Traceback" not in err


def test_stdin_no_rule_reads_comes_back_unchanged(project: Path) -> None:
    code, out, err = fix_stdin(project, b"\xff\x00 not text", "--stdin-filename", "logo.png")
    assert code in (0, 1), err
    assert out == b"\xff\x00 not text"


def test_stdin_fix_through_a_real_pipe(project: Path) -> None:
    """The console script's own stdout (a real byte stream), not a test double."""
    done = subprocess.run(
        [sys.executable, "-m", "fastmcp_kit", "lint", "--no-cache", "-", "--fix"],
        input=LATIN_1,
        capture_output=True,
        cwd=project,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == LATIN_1_FIXED


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(LATIN_1, LATIN_1_FIXED, id="latin-1-cookie"),
        pytest.param(BOM + UTF8, BOM + UTF8_FIXED, id="utf-8-bom"),
        pytest.param(CRLF, CRLF_FIXED, id="crlf"),
    ],
)
def test_files_fixed_on_disk_keep_encoding_bom_and_newlines(
    project: Path, data: bytes, expected: bytes
) -> None:
    (project / "server.py").write_bytes(data)
    err = io.StringIO()
    with chdir(project), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["lint", "--no-cache", "--fix", "--select", "FMCP301", "server.py"])
    assert code == 0, err.getvalue()
    assert (project / "server.py").read_bytes() == expected


def test_fixed_code_the_encoding_cannot_hold_is_not_written() -> None:
    result = FileResult("a.py", source="x = 1\n", fixed_source="x = '\u20ac'\n", encoding="ascii")
    assert encode_fixed(result) is None
    result.encoding = "utf-8-sig"
    assert encode_fixed(result) == BOM + "x = '\u20ac'\n".encode()
