"""Join findings.json with verdicts.toml and write PRECISION.md.

    .venv/bin/python bench/precision/report.py [--findings PATH] [--output PATH]
    .venv/bin/python bench/precision/report.py --unjudged [--context 3]   # read them

Per rule: TRUE / FALSE / DEBATABLE / UNJUDGED counts, precision TRUE/(TRUE+FALSE) and
TRUE/(all judged). Unjudged findings are listed by key, never folded into a count, and
verdicts whose finding is no longer reported are listed too (a fixed false positive,
or a true finding the engine lost).

verdicts.toml holds one ``[[verdict]]`` table per finding key:

    [[verdict]]
    key = "owner/name|path|FMCP201|def f(ctx):|0"
    verdict = "FALSE"            # TRUE, FALSE or DEBATABLE
    cause = "sdk-only"           # FALSE only: version, sdk-only, monorepo, rule-logic
    reason = "one line: why"
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
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
DEFAULT_FINDINGS = HERE.parent / ".work" / "precision" / "findings.json"
VERDICTS = ("TRUE", "FALSE", "DEBATABLE")
CAUSES = ("version", "sdk-only", "monorepo", "rule-logic")


def load_verdicts(path: Path) -> dict[str, dict[str, str]]:
    data = read_toml(path.read_text(encoding="utf-8")) if path.is_file() else {}
    verdicts: dict[str, dict[str, str]] = {}
    for item in data.get("verdict", []):
        key = item.get("key")
        if not key:
            raise SystemExit(f"{path}: a verdict without a key: {item}")
        if key in verdicts:
            raise SystemExit(f"{path}: two verdicts for {key!r}")
        if item.get("verdict") not in VERDICTS:
            raise SystemExit(f"{path}: {key!r}: verdict must be one of {VERDICTS}")
        if item["verdict"] == "FALSE" and item.get("cause") not in CAUSES:
            raise SystemExit(f"{path}: {key!r}: a FALSE verdict needs a cause in {CAUSES}")
        if not str(item.get("reason", "")).strip():
            raise SystemExit(f"{path}: {key!r}: a verdict needs a reason")
        verdicts[key] = item
    return verdicts


def ratio(num: int, den: int) -> str:
    return f"{100 * num / den:.0f}%" if den else "-"


def md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def show_unjudged(
    findings: list[dict[str, Any]], verdicts: dict[str, dict[str, str]], root: Path, context: int
) -> None:
    for f in findings:
        if f["key"] in verdicts:
            continue
        print("=" * 100)
        print(f"key: {f['key']}")
        print(f"{f['repo']}  {f['path']}:{f['row']}:{f['column']}  {f['code']}  {f['message']}")
        path = root / str(f["repo"]).replace("/", "+") / str(f["path"])
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        row = int(f["row"])
        for n in range(max(1, row - context), min(len(lines), row + context) + 1):
            print(f"{'>' if n == row else ' '}{n:5} {lines[n - 1]}")


def _opt_in_codes() -> set[str]:
    """Codes of rules that are off by default (judged with run.py --extend-select)."""
    try:
        from fastmcp_kit.lint.registry import all_rules
    except ImportError:  # run outside fkit's venv: every verdict counts
        return set()
    return {code for code, rule in all_rules().items() if not rule.default_enabled}


def render(data: dict[str, object], verdicts: dict[str, dict[str, str]], manifest: Path) -> str:
    findings: list[dict[str, object]] = data["findings"]  # type: ignore[assignment]
    repos: list[dict[str, object]] = data["repos"]  # type: ignore[assignment]
    fkit: dict[str, str] = data["fkit"]  # type: ignore[assignment]
    kinds: dict[str, list[str]] = {}
    runs: dict[str, str] = {}
    if manifest.is_file():
        for item in read_toml(manifest.read_text(encoding="utf-8")).get("repo", []):
            kinds[item["name"]] = item.get("kinds", [])
            projects = item.get("projects", [])
            if len(projects) == 1:
                runs[item["name"]] = f"fastmcp {projects[0]['fastmcp']}; mcp {projects[0]['mcp']}"
            else:
                runs[item["name"]] = f"{len(projects)} sub-projects (see manifest)"

    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    per_repo: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    false_by_cause: dict[str, list[tuple[dict[str, object], dict[str, str]]]] = defaultdict(list)
    unjudged: list[dict[str, object]] = []
    reported = set()
    for f in findings:
        key = str(f["key"])
        reported.add(key)
        code = str(f["code"])
        names[code] = str(f.get("name", ""))
        verdict = verdicts.get(key)
        label = verdict["verdict"] if verdict else "UNJUDGED"
        per_rule[code][label] += 1
        per_repo[str(f["repo"])][label] += 1
        if verdict is None:
            unjudged.append(f)
        elif label == "FALSE":
            false_by_cause[verdict["cause"]].append((f, verdict))
    # Verdicts on opt-in rules the run did not select are kept, not stale.
    unselected = _opt_in_codes() - set(str(data.get("command", "")).replace(",", " ").split())
    stale = [
        v for k, v in verdicts.items() if k not in reported and k.split("|")[2] not in unselected
    ]

    out: list[str] = []
    w = out.append
    w("# fkit precision on real FastMCP projects")
    w("")
    w("Generated by `bench/precision/report.py` from `bench/.work/precision/findings.json`")
    w("(written by `bench/precision/run.py`) and the hand-made verdicts in")
    w("[`verdicts.toml`](verdicts.toml). Do not edit by hand; re-run both scripts.")
    w("")
    w(
        f"- fkit: `{fkit.get('version', '?')}`, checkout at commit `{fkit.get('commit', '?')}`"
        + (" (uncommitted changes)" if fkit.get("dirty") == "yes" else "")
    )
    if fkit.get("engine_commit"):
        w(f"- last commit that changed `fastmcp_kit/`: `{fkit['engine_commit']}`")
    w(f"- command, at each repository root: `{data['command']}` (default rule set)")
    w(f"- run: {data['generated']}")
    linted = [r for r in repos if r.get("status") == "ok"]
    w(f"- repositories: {len(linted)} linted of {len(repos)} in [`manifest.toml`](manifest.toml)")
    w(
        f"- findings: {len(findings)}, of which judged {len(findings) - len(unjudged)}, "
        f"**unjudged {len(unjudged)}**"
    )
    w("")
    w("TRUE: a real bug or breakage on the FastMCP (or `mcp`) version that really runs in that")
    w("project (lock > exact pin > newest release in range). FALSE: correct code there, or the")
    w("wrong project (the MCP SDK's own FastMCP), or wrong advice. DEBATABLE: stylistic,")
    w("forward-looking or harmless. Precision = TRUE / (TRUE + FALSE); strict = TRUE / judged.")
    w("")
    w("## Per rule")
    w("")
    w("| rule | name | findings | TRUE | FALSE | DEBATABLE | UNJUDGED | precision | strict |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    total: Counter[str] = Counter()
    for code in sorted(per_rule):
        c = per_rule[code]
        total.update(c)
        n = sum(c.values())
        judged = c["TRUE"] + c["FALSE"] + c["DEBATABLE"]
        w(
            f"| {code} | {names[code]} | {n} | {c['TRUE']} | {c['FALSE']} | {c['DEBATABLE']} | "
            f"{c['UNJUDGED']} | {ratio(c['TRUE'], c['TRUE'] + c['FALSE'])} | {ratio(c['TRUE'], judged)} |"
        )
    judged = total["TRUE"] + total["FALSE"] + total["DEBATABLE"]
    w(
        f"| **all** | | **{sum(total.values())}** | **{total['TRUE']}** | **{total['FALSE']}** | "
        f"**{total['DEBATABLE']}** | **{total['UNJUDGED']}** | "
        f"**{ratio(total['TRUE'], total['TRUE'] + total['FALSE'])}** | **{ratio(total['TRUE'], judged)}** |"
    )
    w("")
    w("## False findings by cause")
    w("")
    w("`version`: the rule judged the code against a FastMCP version that does not run there;")
    w("`sdk-only`: a standalone-fastmcp rule fired on MCP SDK code; `monorepo`: the version or")
    w("layout of another sub-project was applied; `rule-logic`: the rule misread the code.")
    w("")
    w("| cause | findings | rules |")
    w("|---|---:|---|")
    for cause in CAUSES:
        items = false_by_cause.get(cause, [])
        rules = Counter(str(f["code"]) for f, _ in items)
        w(
            f"| {cause} | {len(items)} | {', '.join(f'{c} ({n})' for c, n in sorted(rules.items()))} |"
        )
    w("")
    for cause in CAUSES:
        items = false_by_cause.get(cause, [])
        if not items:
            continue
        w(f"### {cause}")
        w("")
        w("Findings sharing a rule, repository and reason are merged (first three places shown;")
        w("every finding has its own entry in verdicts.toml).")
        w("")
        w("| rule | repository | findings | where | reason |")
        w("|---|---|---:|---|---|")
        groups: dict[tuple[str, str, str], list[dict[str, object]]] = defaultdict(list)
        for f, v in items:
            groups[(str(f["code"]), str(f["repo"]), v["reason"])].append(f)
        for (code, repo, reason), members in sorted(groups.items()):
            where = ", ".join(f"`{md(f['path'])}:{f['row']}`" for f in members[:3])
            more = f" and {len(members) - 3} more" if len(members) > 3 else ""
            w(f"| {code} | {md(repo)} | {len(members)} | {where}{more} | {md(reason)} |")
        w("")
    w("## Per repository")
    w("")
    w("`engine target` is what fkit's version detection picks at the repository root (a probe,")
    w("informational); `runs` is the ground truth from the manifest.")
    w("")
    w(
        "| repository | kinds | commit | runs | engine target | findings | TRUE | FALSE | DEBATABLE "
        "| UNJUDGED | status |"
    )
    w("|---|---|---|---|---|---:|---:|---:|---:|---:|---|")
    for r in repos:
        name = str(r["name"])
        c = per_repo.get(name, Counter())
        w(
            f"| {name} | {', '.join(kinds.get(name, []))} | `{str(r['commit'])[:10]}` | "
            f"{md(runs.get(name, '?'))} | {md(r.get('root_target_probe', '?'))} | {sum(c.values())} | "
            f"{c['TRUE']} | {c['FALSE']} | {c['DEBATABLE']} | {c['UNJUDGED']} | {md(r.get('status'))} |"
        )
    w("")
    w(f"## Unjudged findings ({len(unjudged)})")
    w("")
    if unjudged:
        w("Read each in context (`report.py --unjudged --context 5`) and add a verdict.")
        w("")
        for f in unjudged:
            w(f"- `{md(f['key'])}` ({f['path']}:{f['row']}: {md(f['message'])})")
    else:
        w("None.")
    w("")
    w(f"## Verdicts whose finding is no longer reported ({len(stale)})")
    w("")
    if stale:
        w("A FALSE one here is a fixed false positive; a TRUE one is a real finding the engine")
        w("lost (or moved: a changed message line or code gives a new key).")
        w("")
        for v in sorted(stale, key=lambda v: v["key"]):
            w(f"- {v['verdict']}: `{md(v['key'])}`: {md(v['reason'])}")
    else:
        w("None.")
    w("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=Path, default=DEFAULT_FINDINGS)
    parser.add_argument("--verdicts", type=Path, default=HERE / "verdicts.toml")
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.toml")
    parser.add_argument("--output", type=Path, default=HERE / "PRECISION.md")
    parser.add_argument(
        "--unjudged", action="store_true", help="print unjudged findings in context"
    )
    parser.add_argument("--context", type=int, default=4)
    parser.add_argument("--check", action="store_true", help="exit 1 while findings are unjudged")
    args = parser.parse_args(argv)
    data = json.loads(args.findings.read_text(encoding="utf-8"))
    verdicts = load_verdicts(args.verdicts)
    if args.unjudged:
        show_unjudged(data["findings"], verdicts, args.findings.parent, args.context)
        return 0
    args.output.write_text(render(data, verdicts, args.manifest), encoding="utf-8")
    missing = sum(1 for f in data["findings"] if f["key"] not in verdicts)
    print(f"{len(data['findings'])} findings, {missing} unjudged -> {args.output}", file=sys.stderr)
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
