"""Turn bench/.work/upgrade/results.json into bench/UPGRADE.md.

    .venv/bin/python bench/upgrade/report.py [--results PATH] [--compare PATH] [--output PATH]

One row per server. "Same components" compares (a) with (c): tool names, each tool's
argument names and required arguments, resource URIs, template URIs and prompts with
their arguments. JSON-schema details that the release itself changes (4.x adds
``additionalProperties: false``, for instance) are not counted as a difference; the
count of tools whose full schema differs between (b) and (c), which only the
upgrade can cause, is shown in the notes.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / ".work" / "upgrade" / "results.json"
OUTPUT = HERE.parent / "UPGRADE.md"


def shape(probe: dict[str, Any]) -> dict[str, Any]:
    tools = {
        name: (
            sorted((schema or {}).get("properties", {})),
            sorted((schema or {}).get("required", [])),
        )
        for name, schema in probe.get("tools", {}).items()
    }
    return {
        "tools": tools,
        "resources": probe.get("resources", []),
        "templates": probe.get("templates", []),
        "prompts": probe.get("prompts", {}),
    }


def counts(probe: dict[str, Any]) -> str:
    return "{}t/{}r/{}rt/{}p".format(
        len(probe.get("tools", {})),
        len(probe.get("resources", [])),
        len(probe.get("templates", [])),
        len(probe.get("prompts", {})),
    )


def error_line(probe: dict[str, Any]) -> str:
    lines = [ln.strip() for ln in str(probe.get("error", "")).splitlines() if ln.strip()]
    # the exception line of a traceback, else the last line
    for ln in reversed(lines):
        if ln.split(":")[0].endswith(("Error", "Exception")) or ln.startswith("venv failed"):
            return ln[:160].replace("|", "\\|")
    return (lines[-1] if lines else "?")[:160].replace("|", "\\|")


def difference(a: dict[str, Any], c: dict[str, Any]) -> str:
    sa, sc = shape(a), shape(c)
    parts = []
    for kind in ("tools", "resources", "templates", "prompts"):
        left, right = sa[kind], sc[kind]
        keys_l, keys_r = set(left), set(right)
        if keys_l != keys_r:
            lost, new = sorted(keys_l - keys_r), sorted(keys_r - keys_l)
            parts.append(f"{kind}: lost {lost[:4]} new {new[:4]}")
        elif isinstance(left, dict):
            changed = sorted(k for k in left if left[k] != right[k])
            if changed:
                parts.append(f"{kind} with other arguments: {changed[:4]}")
    return "; ".join(parts)


def summarise_findings(findings: Any) -> str:
    if not isinstance(findings, list):
        return "(unreadable)"
    by = Counter(str(f.get("severity")) for f in findings)
    errors = Counter(str(f.get("code")) for f in findings if f.get("severity") == "error")
    text = ", ".join(f"{n} {sev}" for sev, n in sorted(by.items()))
    if errors:
        text += " (errors: " + ", ".join(f"{c} {n}" for c, n in errors.most_common()) + ")"
    return text or "none"


def is_fastmcp_break(probe: dict[str, Any]) -> bool:
    """Did the server fail because of FastMCP/MCP, not because the venv could not be made
    or another package moved when the locked pins were let go?"""
    lines = [ln.strip() for ln in str(probe.get("error", "")).splitlines() if ln.strip()]
    if not lines or lines[0].startswith("venv failed"):
        return False
    exception = next(
        (ln for ln in reversed(lines) if ln.split(":")[0].endswith(("Error", "Exception"))),
        lines[-1],
    )
    return "mcp" in exception.lower()


def left_on_sdk(project: dict[str, Any]) -> bool:
    """An MCP SDK project whose dependency files fkit left on the SDK 1.x (no fastmcp):
    its (b)/(c) break only because the target venv installs fastmcp 4 (mcp 2) beside it."""
    pins = project.get("pins_after") or {}
    return (
        "sdk-only" in (project.get("kinds") or [])
        and bool(pins)
        and all(
            r.get("ok") and str(r.get("mcp", "")).startswith("1.") and not r.get("fastmcp")
            for r in pins.values()
        )
    )


def pins_summary(pins: dict[str, Any] | None) -> str:
    if not pins:
        return "-"
    parts = []
    for name, r in pins.items():
        if r.get("ok"):
            parts.append(f"{name}: fastmcp {r.get('fastmcp', '-')}, mcp {r.get('mcp', '-')}")
        else:
            lines = [ln for ln in str(r.get("error", "")).splitlines() if ln.strip()]
            parts.append(f"{name}: **no resolution** ({(lines[-1] if lines else '?')[:100]})")
    return "; ".join(parts).replace("|", "\\|")


def manifest_ids() -> list[str]:
    text = (HERE / "manifest.toml").read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    ids = []
    for item in tomllib.loads(text).get("project", []):
        path = item.get("path", ".")
        ids.append(item["name"] if path == "." else f"{item['name']}:{path}")
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--results",
        type=Path,
        action="append",
        help="results file (repeatable; a later file's project replaces an earlier one's)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        help="results of an earlier fkit over the same projects: its totals beside these",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    for path in args.results or [RESULTS]:
        part = json.loads(path.read_text(encoding="utf-8"))
        data = {**data, **{k: v for k, v in part.items() if k != "projects"}}
        commit = part.get("fkit", {}).get("commit", "?")[:10]
        merged.update({p["id"]: {**p, "fkit_commit": commit} for p in part["projects"]})
    order = {p: i for i, p in enumerate(manifest_ids())}
    data["projects"] = sorted(merged.values(), key=lambda p: order.get(p["id"], len(order)))
    newest = data.get("fkit", {}).get("commit", "?")[:10]
    for p in data["projects"]:
        if p.get("fkit_commit", newest) != newest:
            p["fkit_note"] = f"upgraded by fkit {p['fkit_commit']} (not rerun with {newest})"
    t = tally(data["projects"])
    rows, problems = t.rows, t.problems
    compared = []
    for path in args.compare or []:
        base = json.loads(path.read_text(encoding="utf-8"))
        ids = {p["id"] for p in data["projects"]}
        b = tally([p for p in base["projects"] if p["id"] in ids])
        compared.append(
            f"- The same servers with the fkit before this round "
            f"({base['fkit'].get('commit', '?')[:10]}, run {base.get('generated')}): "
            f"**{b.fixed}** of {b.broke} broken servers fixed, **{b.still}** of {b.worked} "
            f"working servers kept; own test suites passing after the upgrade: "
            f"{b.tests_after} of {b.tests_before}."
        )
    out = render(data, t, compared)
    missing = [i for i in manifest_ids() if i not in merged]
    problems += [f"- `{i}`: in the manifest, not run in this round" for i in missing]
    if problems:
        out += ["## Projects not probed", "", *problems, ""]
    out += REPRODUCE
    args.output.write_text("\n".join(out), encoding="utf-8")
    print(f"{len(rows)} servers -> {args.output}")
    return 0


@dataclass
class Tally:
    rows: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    broke: int = 0
    fixed: int = 0
    worked: int = 0
    still: int = 0
    a_fail: int = 0
    env_fail: int = 0
    projects_ok: int = 0
    # MCP SDK servers whose pins fkit left on the SDK 1.x
    sdk_kept: int = 0
    # own test suites: run, passing under (a), passing after the upgrade (c) of those
    tests_run: int = 0
    tests_before: int = 0
    tests_after: int = 0
    tests_target_before: int = 0


def tally(projects: list[dict[str, Any]]) -> Tally:
    t = Tally()
    rows, problems = t.rows, t.problems
    broke = fixed = worked = still = 0
    a_fail = env_fail = 0
    projects_ok = 0
    for p in projects:
        if p.get("status") != "ok":
            problems.append(f"- `{p['id']}`: {p.get('status')}")
            continue
        projects_ok += 1
        up = p["upgrade"]
        idem = "yes" if up["check_after"] == 0 else f"no (exit {up['check_after']})"
        fnd = summarise_findings(up["findings_after"])
        tests = p.get("tests")
        if tests:
            t.tests_run += 1
            if tests["orig"].get("ok"):
                t.tests_before += 1
                t.tests_after += bool(tests["target_after"].get("ok"))
                t.tests_target_before += bool(tests["target_before"].get("ok"))
        test_note = (
            "own tests: (a) {} / (b) {} / (c) {}".format(
                *(
                    str(tests[k].get("summary", "?")).replace("|", "/")[:70]
                    for k in ("orig", "target_before", "target_after")
                )
            )
            if tests
            else ""
        )
        let_go = p.get("venv_target", {}).get("let_go")
        venv_note = f"target venv let go of locked {', '.join(let_go)}" if let_go else ""
        if p.get("venv_target", {}).get("mode", "").startswith("names"):
            venv_note = "target venv: names only (locked pins conflict with the target)"
        for s in p["servers"]:
            a, b, c = s["a"], s["b"], s["c"]
            notes = [n for n in (p.get("fkit_note", ""), test_note, venv_note) if n]
            if not a.get("ok"):
                a_fail += 1
                col_a = "no: " + error_line(a)
                col_b = "ok" if b.get("ok") else "breaks: " + error_line(b)
                col_c = "ok " + counts(c) if c.get("ok") else "no: " + error_line(c)
                verdict = "n/a (original does not load)"
            else:
                col_a = "ok " + counts(a)
                sdk_kept = not b.get("ok") and left_on_sdk(p)
                if not b.get("ok") and (sdk_kept or not is_fastmcp_break(b)):
                    env_fail += not sdk_kept
                    t.sdk_kept += sdk_kept
                    col_b = "env: " + error_line(b)
                    col_c = ("ok " + counts(c)) if c.get("ok") else "env: " + error_line(c)
                    verdict = "n/a (the target venv, not the code)"
                    if sdk_kept:
                        verdict = "n/a (left on its MCP SDK: pins untouched)"
                    rows.append(
                        f"| `{p['id']}` | `{s['entry']}` | {p.get('original', '?')} | {col_a} | {col_b} "
                        f"| {col_c} | {verdict} | {up['check_before']} / {idem} "
                        f"| {pins_summary(p.get('pins_after'))} | {fnd} | {'; '.join(notes)} |"
                    )
                    continue
                if b.get("ok"):
                    worked += 1
                    diff_b = difference(a, b)
                    col_b = "works" + (f" (differs: {diff_b})" if diff_b else "")
                else:
                    broke += 1
                    col_b = "breaks: " + error_line(b)
                if c.get("ok"):
                    diff = difference(a, c)
                    same = not diff
                    col_c = "ok, same" if same else f"ok, differs: {diff}"
                    if b.get("ok"):
                        # the release changes schema details; count only what the upgrade changed
                        schema_diff = sum(
                            1
                            for t in b.get("tools", {})
                            if b["tools"][t] != c.get("tools", {}).get(t)
                        )
                        if schema_diff:
                            notes.append(f"{schema_diff} tool schema(s) differ from (b) in detail")
                else:
                    same = False
                    col_c = "**FAILS**: " + error_line(c)
                if b.get("ok"):
                    still += same
                    verdict = "kept" if same else "**damaged**"
                else:
                    fixed += same
                    verdict = "fixed" if same else "**still broken**"
            rows.append(
                f"| `{p['id']}` | `{s['entry']}` | {p.get('original', '?')} | {col_a} | {col_b} "
                f"| {col_c} | {verdict} | {up['check_before']} / {idem} | {pins_summary(p.get('pins_after'))} | {fnd} | {'; '.join(notes)} |"
            )
    t.broke, t.fixed, t.worked, t.still = broke, fixed, worked, still
    t.a_fail, t.env_fail, t.projects_ok = a_fail, env_fail, projects_ok
    return t


def render(data: dict[str, Any], t: Tally, compared: list[str]) -> list[str]:
    rows = t.rows
    broke, fixed, worked, still = t.broke, t.fixed, t.worked, t.still
    a_fail, env_fail, projects_ok = t.a_fail, t.env_fail, t.projects_ok
    servers = len(rows)
    out = [
        "# Real-project upgrade: `fkit upgrade --to 4` on public FastMCP projects",
        "",
        f"Generated by `bench/upgrade/report.py` from a run of `bench/upgrade/run.py` "
        f"({data.get('generated')}, fkit {data['fkit'].get('commit', '?')[:10]}, "
        f"target fastmcp {data.get('target')}).",
        "",
        "## Totals",
        "",
        f"- {projects_ok} projects, {servers} servers probed.",
        f"- Of **{broke}** servers that break on {data.get('target')} before the upgrade, "
        f"**{fixed}** come out working with the same components.",
        f"- Of **{worked}** servers that already worked on {data.get('target')}, **{still}** still work "
        f"with the same components after the upgrade.",
        f"- {a_fail} server(s) did not load under their original release (harness or environment; not counted).",
        f"- {env_fail} server(s) failed on the target for a reason that is not FastMCP's (no venv "
        "could be made, or a package other than fastmcp/mcp moved when the locked pins were let "
        "go; not counted).",
        f"- {t.sdk_kept} MCP SDK server(s) left on their SDK (fkit leaves the pins of a project "
        "that does not declare fastmcp alone; they resolve to mcp 1.x): only the target venv's "
        "fastmcp 4 (mcp 2) breaks them in (b)/(c); not counted.",
        f"- Own test suites ({t.tests_run} projects): {t.tests_before} pass under the original "
        f"release; of those, {t.tests_target_before} pass on the target before the upgrade and "
        f"**{t.tests_after}** after it.",
        *compared,
        "",
        "What the table does not say by itself, and what is left: "
        "[`upgrade/README.md`](upgrade/README.md).",
        "",
        "## Servers",
        "",
        "Columns: (a) original code under its original release; (b) original code under the "
        "target; (c) upgraded code under the target, compared with (a) (`t/r/rt/p` = tools, "
        "resources, resource templates, prompts); check = `fkit upgrade --to 4 --check` exit "
        "before writing / idempotent after `--write`; pins after = `uv pip compile` of the "
        "dependency files fkit wrote (do they resolve, to which fastmcp); findings = what `fkit upgrade --to 4` "
        "still reports after writing.",
        "",
        "| project | server | original | (a) original | (b) on target | (c) upgraded | verdict | check | pins after | findings left | notes |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    return out


REPRODUCE = [
    "## Reproduce",
    "",
    "```sh",
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' uv",
    "# all projects with this checkout's fkit (venvs cached in bench/.work/upgrade/venvs)",
    ".venv/bin/python bench/upgrade/run.py --timeout 300",
    ".venv/bin/python bench/upgrade/run.py --only owner/name",
    "# another fkit beside it (its own trees and results; the venvs are shared)",
    ".venv/bin/python bench/upgrade/run.py --fkit OTHER/.venv/bin/fkit \\",
    "    --trees bench/.work/upgrade-base --results bench/.work/upgrade/results-base.json",
    ".venv/bin/python bench/upgrade/report.py           # writes bench/UPGRADE.md",
    ".venv/bin/python bench/upgrade/report.py --results bench/.work/upgrade/results.json \\",
    "    --compare bench/.work/upgrade/results-base.json  # the other fkit's totals beside",
    "```",
    "",
]


if __name__ == "__main__":
    raise SystemExit(main())
