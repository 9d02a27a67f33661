"""Recall harness: does `fkit lint` catch the mistakes real users made?

Every case under `bench/recall/cases/<NNN-slug>/` holds `case.toml`, `mistake.py` (the wrong
line ends in `# MISTAKE`) and `near_miss.py` (correct code of the same shape). For each case
this script copies both files into their own temporary projects, each with a
`pyproject.toml` pinning `fastmcp==<fastmcp_version>`, and runs

    fkit lint --select ALL --ignore FMCP230,FMCP231,FMCP232,FMCP233 --no-cache \
        --fastmcp-version <v> --output-format json <both projects>

(The opt-in schema-quality family, descriptions and duplicate names, is style advice for
the model: a near miss written to the point has no docstrings, and that is not an alarm.)

Then it classifies the mistake as *caught* (a finding whose reported range covers the
`# MISTAKE` line), *elsewhere* (findings, none on that line) or *missed* (no finding), and
records every finding on the near miss as a false alarm. It prints a summary and writes
`bench/recall/RECALL.md`.

No network, no clock: the report depends only on the cases and on fkit.

    .venv/bin/python bench/recall/run.py            # all cases, writes RECALL.md
    .venv/bin/python bench/recall/run.py 012 031    # only cases whose directory starts so
    .venv/bin/python bench/recall/run.py --no-write # print only
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
REPORT = HERE / "RECALL.md"
MARKER = "# MISTAKE"
REQUIRED_KEYS = (
    "title",
    "links",
    "fastmcp_version",
    "kind",
    "mistake",
    "observed",
    "near_miss",
    "source_visible",
)


@dataclass
class Finding:
    code: str
    row: int
    end_row: int
    message: str

    def covers(self, line: int) -> bool:
        return self.row <= line <= self.end_row


@dataclass
class Case:
    slug: str
    meta: dict
    mistake_line: int
    mistake_findings: list[Finding] = field(default_factory=list)
    near_miss_findings: list[Finding] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.slug.split("-", 1)[0]

    @property
    def result(self) -> str:
        if any(f.covers(self.mistake_line) for f in self.mistake_findings):
            return "caught"
        if self.mistake_findings:
            return "elsewhere"
        return "missed"

    @property
    def rules(self) -> list[str]:
        on_line = [f for f in self.mistake_findings if f.covers(self.mistake_line)]
        chosen = on_line or self.mistake_findings
        return sorted({f.code for f in chosen})


# The opt-in schema-quality family: style advice for the model, not mistakes.
SCHEMA_QUALITY = "FMCP230,FMCP231,FMCP232,FMCP233"


def fkit_executable(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).parent / "fkit"
    if beside.exists():
        return str(beside)
    found = shutil.which("fkit")
    if not found:
        sys.exit(
            "fkit not found: run with the interpreter of the venv where fkit is installed, or pass --fkit"
        )
    return found


def mistake_line(path: Path) -> int:
    lines = [
        i
        for i, text in enumerate(path.read_text().splitlines(), 1)
        if text.rstrip().endswith(MARKER)
    ]
    if len(lines) != 1:
        sys.exit(f"{path}: expected exactly one line ending in '{MARKER}', found {len(lines)}")
    return lines[0]


def load_case(directory: Path) -> Case:
    meta = tomllib.loads((directory / "case.toml").read_text())
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        sys.exit(f"{directory / 'case.toml'}: missing {', '.join(missing)}")
    if not meta["source_visible"] and not meta.get("source_visible_reason"):
        sys.exit(f"{directory / 'case.toml'}: source_visible = false needs source_visible_reason")
    near = directory / "near_miss.py"
    if MARKER in near.read_text():
        sys.exit(f"{near}: a near miss must not carry '{MARKER}'")
    return Case(slug=directory.name, meta=meta, mistake_line=mistake_line(directory / "mistake.py"))


def write_project(root: Path, case: Case, source: Path) -> None:
    root.mkdir(parents=True)
    python = str(case.meta.get("python_version", "3.11"))
    root.joinpath("pyproject.toml").write_text(
        "[project]\n"
        f'name = "recall-case-{case.number}"\n'
        'version = "0"\n'
        f'requires-python = "~={python}.0"\n'
        f'dependencies = ["fastmcp=={case.meta["fastmcp_version"]}"]\n'
    )
    shutil.copy(source, root / source.name)


def lint(fkit: str, case: Case) -> None:
    directory = CASES / case.slug
    with tempfile.TemporaryDirectory(prefix=f"recall-{case.number}-") as tmp:
        mistake_root = Path(tmp) / "mistake"
        near_root = Path(tmp) / "near_miss"
        write_project(mistake_root, case, directory / "mistake.py")
        write_project(near_root, case, directory / "near_miss.py")
        command = [
            fkit,
            "lint",
            "--select",
            "ALL",
            "--ignore",
            SCHEMA_QUALITY,
            "--no-cache",
            "--fastmcp-version",
            case.meta["fastmcp_version"],
            "--output-format",
            "json",
            "--jobs",
            "1",
            str(mistake_root),
            str(near_root),
        ]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        if done.returncode not in (0, 1):
            sys.exit(f"{case.slug}: fkit exited {done.returncode}\n{done.stderr}")
        for item in json.loads(done.stdout or "[]"):
            finding = Finding(
                code=item["code"],
                row=item["location"]["row"],
                end_row=item["end_location"]["row"],
                message=item["message"],
            )
            name = Path(item["filename"]).name
            if name == "mistake.py":
                case.mistake_findings.append(finding)
            elif name == "near_miss.py":
                case.near_miss_findings.append(finding)
    for findings in (case.mistake_findings, case.near_miss_findings):
        findings.sort(key=lambda f: (f.row, f.code, f.message))


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def link_cell(links: list[str]) -> str:
    parts = []
    for url in links[:2]:
        label = (
            url.removeprefix("https://github.com/").replace("/issues/", "#").replace("/pull/", "#")
        )
        if "/commit/" in label:
            repo, sha = label.split("/commit/")
            label = f"{repo}@{sha[:7]}"
        parts.append(f"[{label}]({url})")
    if len(links) > 2:
        parts.append(f"+{len(links) - 2}")
    return ", ".join(parts)


def render(cases: list[Case], fkit_version: str) -> str:
    visible = [c for c in cases if c.meta["source_visible"]]
    caught = [c for c in visible if c.result == "caught"]
    elsewhere = [c for c in visible if c.result == "elsewhere"]
    missed = [c for c in visible if c.result == "missed"]
    alarms = [c for c in cases if c.near_miss_findings]
    pct = 100 * len(caught) / len(visible) if visible else 0.0
    out = [
        "# Recall on mistakes real users made",
        "",
        "Generated by `bench/recall/run.py` from `bench/recall/cases/`; do not edit.",
        f"{fkit_version}, `fkit lint --select ALL --ignore {SCHEMA_QUALITY} --no-cache --fastmcp-version <case version>`.",
        "",
        f"- cases: {len(cases)} ({len(visible)} visible in source)",
        f"- **recall: {len(caught)}/{len(visible)} ({pct:.0f}%)** caught on the `# MISTAKE` line",
        f"- caught elsewhere (findings, none on the line): {len(elsewhere)}",
        f"- missed (no finding at all): {len(missed)}",
        f"- near misses with any finding (false alarms): {len(alarms)}/{len(cases)}",
        "",
        "| # | case | report | fastmcp | kind | fkit | rule | near miss |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in cases:
        near = ", ".join(f"{f.code}:{f.row}" for f in case.near_miss_findings) or "clean"
        result = case.result if case.meta["source_visible"] else f"{case.result} (not visible)"
        out.append(
            f"| {case.number} | [{cell(case.meta['title'])}](cases/{case.slug}/) | {link_cell(case.meta['links'])} "
            f"| {case.meta['fastmcp_version']} | {cell(case.meta['kind'])} | {result} "
            f"| {', '.join(case.rules) or '-'} | {near} |"
        )
    out += ["", "## Not caught on the line, by the analysis a rule needs", ""]
    by_kind: dict[str, list[Case]] = {}
    for case in elsewhere + missed:
        by_kind.setdefault(case.meta["kind"], []).append(case)
    out += ["| kind | cases (fastmcp) |", "|---|---|"]
    for kind in sorted(by_kind, key=lambda k: (-len(by_kind[k]), k)):
        listed = ", ".join(
            f"{c.number} ({c.meta['fastmcp_version']})"
            for c in sorted(by_kind[kind], key=lambda c: c.slug)
        )
        out.append(f"| {cell(kind)} | {listed} |")
    if alarms:
        out += ["", "## False alarms on near misses", ""]
        for case in alarms:
            for f in case.near_miss_findings:
                out.append(f"- {case.number} `near_miss.py:{f.row}` {f.code}: {cell(f.message)}")
    out += ["", "## Findings on the mistakes", ""]
    for case in cases:
        for f in case.mistake_findings:
            where = (
                "on the line"
                if f.covers(case.mistake_line)
                else f"line {f.row}, mistake on {case.mistake_line}"
            )
            out.append(f"- {case.number} {f.code} ({where}): {cell(f.message)}")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="case directory prefixes (e.g. 012)")
    parser.add_argument("--fkit", help="fkit executable (default: next to this interpreter)")
    parser.add_argument("--no-write", action="store_true", help="do not write RECALL.md")
    args = parser.parse_args()
    fkit = fkit_executable(args.fkit)
    directories = sorted(p for p in CASES.iterdir() if (p / "case.toml").exists())
    if args.only:
        directories = [p for p in directories if any(p.name.startswith(o) for o in args.only)]
    cases = [load_case(p) for p in directories]
    for case in cases:
        lint(fkit, case)
        near = (
            "clean"
            if not case.near_miss_findings
            else "FALSE ALARM " + ",".join(f.code for f in case.near_miss_findings)
        )
        print(f"{case.slug:48} {case.result:9} {','.join(case.rules) or '-':18} near miss: {near}")
    version = subprocess.run([fkit, "--version"], capture_output=True, text=True).stdout.strip()
    report = render(cases, version)
    summary = [line for line in report.splitlines() if line.startswith("- ")][:5]
    print("\n".join(summary))
    if not args.no_write and not args.only:
        REPORT.write_text(report)
        print(f"wrote {REPORT.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
