"""Lint real FastMCP projects at pinned commits and record every finding.

    .venv/bin/python bench/precision/run.py [--fkit PATH] [--only OWNER/NAME ...]

For each repository in ``manifest.toml`` this materialises the tree of its pinned
commit under ``bench/.work/precision/<owner>+<name>/`` (from a local bare mirror of
the repository; nothing is fetched from the network), runs

    fkit lint --output-format json --exit-zero --no-cache -j 1 .

at the repository root with the given fkit (default: the ``fkit`` next to this
interpreter), and writes every finding to ``bench/.work/precision/findings.json``
with its repository, path, code, message, row and the text of the reported line.

Each finding gets a stable key that survives re-runs and line shifts:
``repo|path|code|normalised source line|n``, where the line is stripped with runs of
whitespace collapsed and ``n`` counts findings with the same first four parts in
row/column order. ``verdicts.toml`` is keyed by it; ``report.py`` joins the two.

Mirrors: a bare git directory per repository. Looked up, in order, in
``bench/.work/precision/mirrors.toml`` (``"owner/name" = "/path/to/git-dir"``,
git-ignored, optional) and by globbing ``<mirror-root>/<owner>+<name>*/repo`` and
``<mirror-root>/<owner>+<name>*`` (default mirror root ``/work/.mirror``).
Blobs a mirror lacks (very large files) and symlinks are skipped and counted.

Each tree is made a git repository (``git init``, nothing committed), as the clone a
user lints is: fkit's project, configuration and version search stops at the repository
root, so the fkit checkout around bench/.work/ (its [tool.fkit], its .gitignore, which
ignores ``.work/`` itself, and its pins) never leaks into a linted repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import tomllib

    def read_toml(text: str) -> dict[str, Any]:
        return tomllib.loads(text)
except ImportError:  # Python 3.10: tomlkit comes with fkit
    import tomlkit

    def read_toml(text: str) -> dict[str, Any]:
        return tomlkit.parse(text).unwrap()


HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_WORK = REPO_ROOT / "bench" / ".work" / "precision"
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Entry:
    name: str  # owner/name
    commit: str

    @property
    def slug(self) -> str:
        return self.name.replace("/", "+")


def load_manifest(path: Path) -> list[Entry]:
    data = read_toml(path.read_text(encoding="utf-8"))
    entries = []
    seen: set[str] = set()
    for item in data.get("repo", []):
        name, commit = item["name"], item["commit"]
        if not re.fullmatch(r"[0-9a-f]{40}", commit):
            raise SystemExit(f"manifest: {name}: commit must be 40 hex digits, not {commit!r}")
        if name in seen:
            raise SystemExit(f"manifest: {name} is listed twice")
        seen.add(name)
        entries.append(Entry(name, commit))
    return entries


def find_mirror(entry: Entry, work: Path, mirror_root: Path) -> Path | None:
    lookup = work / "mirrors.toml"
    if lookup.is_file():
        mapped = read_toml(lookup.read_text(encoding="utf-8")).get(entry.name)
        if mapped:
            return Path(mapped)
    candidates = sorted(mirror_root.glob(f"{entry.slug}*/repo")) + sorted(
        mirror_root.glob(f"{entry.slug}*")
    )
    for candidate in candidates:
        # exact owner+name, or owner+name followed by a separator the mirror added
        rest = candidate.relative_to(mirror_root).parts[0][len(entry.slug) :]
        if rest and rest[0].isalnum():
            continue  # owner+name-other is another repository
        if (candidate / "objects").is_dir() and (candidate / "HEAD").is_file():
            return candidate
    return None


def _git(git_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)


def materialise(entry: Entry, git_dir: Path, dest: Path, marker: Path) -> dict[str, Any]:
    """Write the tree of ``entry.commit`` to ``dest`` (reused when already there)."""
    if dest.is_dir() and marker.is_file():
        cached: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        if cached.get("commit") == entry.commit:
            return cached
    if _git(git_dir, "cat-file", "-e", f"{entry.commit}^{{commit}}").returncode != 0:
        raise RuntimeError(f"commit {entry.commit} is not in {git_dir}")
    listing = _git(git_dir, "ls-tree", "-r", "-z", "--full-tree", entry.commit)
    if listing.returncode != 0:
        raise RuntimeError(listing.stderr.decode(errors="replace").strip())
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    blobs: list[tuple[str, str]] = []
    stats: dict[str, Any] = {
        "commit": entry.commit,
        "files": 0,
        "skipped_symlinks": 0,
        "skipped_missing": 0,
    }
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.decode().split()
        if kind != "blob":
            continue  # submodules
        if mode == "120000":
            stats["skipped_symlinks"] += 1
            continue
        blobs.append((sha, path.decode("utf-8", errors="surrogateescape")))
    batch = subprocess.Popen(
        ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert batch.stdin is not None and batch.stdout is not None
    dest_resolved = dest.resolve()
    for sha, rel in blobs:
        batch.stdin.write(sha.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            stats["skipped_missing"] += 1
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after the contents
        target = (dest / rel).resolve()
        if dest_resolved not in target.parents:
            continue  # never write outside the destination
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        stats["files"] += 1
    batch.stdin.close()
    batch.wait()
    stats["git_init"] = make_repository_root(dest)
    marker.write_text(json.dumps(stats), encoding="utf-8")
    return stats


def make_repository_root(dest: Path) -> bool:
    """Make the tree a repository root, as a real checkout is."""
    if (dest / ".git").exists():
        return False
    subprocess.run(["git", "init", "-q", str(dest)], check=True)
    return True


def normalise(line: str) -> str:
    return " ".join(line.split())


def source_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return _NEWLINE.split(data.decode("utf-8", errors="replace"))


# Rules whose reported line is a committed secret: their keys carry a digest of the
# line instead, so that verdicts.toml does not copy third parties' credentials.
SECRET_RULES = frozenset({"FMCP614"})


def finding_key(repo: str, path: str, code: str, norm: str, n: int) -> str:
    if code in SECRET_RULES:
        norm = "sha256:" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]
    return f"{repo}|{path}|{code}|{norm}|{n}"


def fkit_identity(fkit: Path) -> dict[str, str]:
    """The fkit used: its version, package folder and git commit (best effort)."""
    info = {"fkit": str(fkit)}
    version = subprocess.run([str(fkit), "--version"], capture_output=True, text=True)
    info["version"] = version.stdout.strip() or version.stderr.strip()
    python = fkit.parent / "python"
    probe = subprocess.run(
        [str(python), "-c", "import fastmcp_kit, os; print(os.path.dirname(fastmcp_kit.__file__))"],
        capture_output=True,
        text=True,
        cwd=fkit.parent,  # not the working folder: a checkout there would shadow the install
    )
    package = probe.stdout.strip()
    info["package"] = package
    if package:
        head = subprocess.run(
            ["git", "-C", package, "rev-parse", "HEAD"], capture_output=True, text=True
        )
        info["commit"] = head.stdout.strip() or "unknown (not a git checkout)"
        dirty = subprocess.run(
            ["git", "-C", package, "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
        )
        info["dirty"] = "yes" if dirty.stdout.strip() else "no"
        engine = subprocess.run(
            ["git", "-C", package, "log", "-1", "--format=%H", "--", "."],
            capture_output=True,
            text=True,
        )
        info["engine_commit"] = engine.stdout.strip() or "unknown"
    return info


_TARGET_PROBE = """
import json, sys
from pathlib import Path
try:
    from fastmcp_kit.project import detect_target, find_root, read_pyproject
    root = find_root(Path(sys.argv[1]))
    target = detect_target(root, read_pyproject(root), None)
    print(f"{target.version} ({target.source})")
except Exception as exc:  # the engine's internals may change: informational only
    print(f"n/a ({type(exc).__name__})")
"""


def probe_target(fkit: Path, root: Path) -> str:
    """What the engine picks for the repository root (informational; best effort)."""
    done = subprocess.run(
        [str(fkit.parent / "python"), "-c", _TARGET_PROBE, str(root)],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or f"n/a ({done.stderr.strip()[-200:]})"


def lint(
    fkit: Path, root: Path, jobs: int, extend_select: str = ""
) -> tuple[list[dict[str, object]], str | None]:
    command = [
        str(fkit),
        "lint",
        "--output-format",
        "json",
        "--exit-zero",
        "--no-cache",
        "-j",
        str(jobs),
        *(["--extend-select", extend_select] if extend_select else []),
        ".",
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        return [], f"exit {done.returncode}: {done.stderr.strip()[-2000:]}"
    try:
        return json.loads(done.stdout or "[]"), None
    except json.JSONDecodeError as exc:
        return [], f"unreadable JSON output: {exc}"


def collect(entry: Entry, root: Path, raw: list[dict[str, object]]) -> list[dict[str, object]]:
    cache: dict[str, list[str]] = {}
    rows = []
    for item in raw:
        filename = str(item["filename"])
        path = Path(filename)
        rel = (path.relative_to(root) if path.is_absolute() else path).as_posix()
        location: dict[str, int] = item.get("location") or {}  # type: ignore[assignment]
        row = int(location.get("row", 0))
        column = int(location.get("column", 0))
        if rel not in cache:
            cache[rel] = source_lines(root / rel)
        lines = cache[rel]
        text = lines[row - 1] if 0 < row <= len(lines) else ""
        rows.append(
            {
                "repo": entry.name,
                "path": rel,
                "code": item["code"],
                "name": item.get("name", ""),
                "severity": item.get("severity", ""),
                "message": item["message"],
                "row": row,
                "column": column,
                "line": text.rstrip(),
            }
        )
    rows.sort(key=lambda r: (r["path"], r["code"], r["row"], r["column"]))
    counter: Counter[tuple[str, str, str]] = Counter()
    for r in rows:
        norm = normalise(str(r["line"]))
        group = (str(r["path"]), str(r["code"]), norm)
        r["key"] = finding_key(entry.name, *group, counter[group])
        counter[group] += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.toml")
    parser.add_argument(
        "--fkit", type=Path, default=Path(sys.executable).parent / "fkit", help="the fkit to run"
    )
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--only", action="append", default=[], help="owner/name (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="fkit lint -j (default 1)")
    parser.add_argument("--output", type=Path, help="default: <work-dir>/findings.json")
    parser.add_argument(
        "--extend-select", default="", help="opt-in rule codes to lint with too (FMCP608,...)"
    )
    args = parser.parse_args(argv)

    fkit = args.fkit.absolute()
    if not fkit.is_file():
        parser.error(f"no fkit at {fkit}")
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    entries = load_manifest(args.manifest)
    if args.only:
        unknown = set(args.only) - {e.name for e in entries}
        if unknown:
            parser.error(f"not in the manifest: {', '.join(sorted(unknown))}")
        entries = [e for e in entries if e.name in args.only]

    identity = fkit_identity(fkit)
    print(f"fkit {identity.get('version')} at {identity.get('commit', '?')}", file=sys.stderr)
    repos: list[dict[str, object]] = []
    findings: list[dict[str, object]] = []
    for entry in entries:
        record: dict[str, object] = {"name": entry.name, "commit": entry.commit}
        repos.append(record)
        git_dir = find_mirror(entry, work, args.mirror_root)
        if git_dir is None:
            record["status"] = "no mirror"
            print(f"{entry.name}: no mirror found", file=sys.stderr)
            continue
        dest = work / entry.slug
        try:
            stats = materialise(entry, git_dir, dest, work / f"{entry.slug}.tree.json")
        except RuntimeError as exc:
            record["status"] = f"materialise failed: {exc}"
            print(f"{entry.name}: {record['status']}", file=sys.stderr)
            continue
        record.update({k: v for k, v in stats.items() if k != "commit"})
        record["root_target_probe"] = probe_target(fkit, dest)
        raw, error = lint(fkit, dest, args.jobs, args.extend_select)
        if error:
            record["status"] = f"lint failed: {error}"
            print(f"{entry.name}: {record['status']}", file=sys.stderr)
            continue
        rows = collect(entry, dest, raw)
        record["status"] = "ok"
        record["findings"] = len(rows)
        findings.extend(rows)
        print(f"{entry.name}: {len(rows)} findings", file=sys.stderr)

    if args.only and (args.output or work / "findings.json").is_file():
        # A partial run replaces only the repositories it ran.
        previous = json.loads((args.output or work / "findings.json").read_text(encoding="utf-8"))
        if previous.get("fkit", {}).get("commit") == identity.get("commit"):
            ran = {e.name for e in entries}
            repos = [r for r in previous["repos"] if r["name"] not in ran] + repos
            findings = [f for f in previous["findings"] if f["repo"] not in ran] + findings
            order = {e.name: i for i, e in enumerate(load_manifest(args.manifest))}
            repos.sort(key=lambda r: order.get(str(r["name"]), len(order)))
            findings.sort(
                key=lambda f: (
                    order.get(str(f["repo"]), len(order)),
                    f["path"],
                    f["code"],
                    f["row"],
                    f["column"],
                )
            )
    extra = f" --extend-select {args.extend_select}" if args.extend_select else ""
    command = f"fkit lint --output-format json --exit-zero --no-cache -j {args.jobs}{extra} ."
    output = {
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "fkit": identity,
        "command": command,
        "repos": repos,
        "findings": findings,
    }
    out = args.output or work / "findings.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(output, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = [r for r in repos if r.get("status") != "ok"]
    print(
        f"{len(findings)} findings in {len(repos) - len(failed)} repositories -> {out}",
        file=sys.stderr,
    )
    for r in failed:
        print(f"  not linted: {r['name']}: {r.get('status')}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())
