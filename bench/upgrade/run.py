"""Upgrade real FastMCP projects with `fkit upgrade --to 4` and probe every server.

    .venv/bin/python bench/upgrade/run.py [--only OWNER/NAME[:PATH] ...] [--fkit PATH]

For each project in ``manifest.toml`` (a repository at a pinned commit, and a
sub-project path in it) this

1. materialises the commit under ``bench/.work/upgrade/<slug>/orig`` from the local
   bare mirror (as ``bench/precision/run.py`` does; nothing third-party is committed),
   copies it to ``.../upgraded`` and runs there, in the sub-project, with this
   checkout's fkit: ``fkit upgrade --to 4 --check`` (expect 1), ``--write``, the
   findings it leaves for a human (``--output-format json``) and ``--check``
   again (expect 0: idempotent);
2. builds two venvs per project, cached under ``bench/.work/upgrade/venvs/``:
   *orig*, the project's dependencies as its lock installs them (``uv export --frozen``)
   or, without a lock, its declared dependencies with fastmcp pinned to the version
   that runs; *target*, the same set with fastmcp moved to the target release
   (``fastmcp[tasks]==4.2.3``; the other locked pins kept where they resolve, else
   their names only);
3. probes every server entrypoint (``path.py:object``; the object may be a server or a
   function returning one) in a subprocess with a timeout through an in-memory
   ``fastmcp.Client``: tools with input schemas, resources, templates and prompts, for
   (a) the original code in *orig*, (b) the original code in *target*, (c) the upgraded
   code in *target*.

Results go to ``bench/.work/upgrade/results.json``; ``report.py`` turns them into
``bench/UPGRADE.md``. The project's own code is imported from its tree (the tree's import
root first on ``sys.path``), never installed, so (b) and (c) differ only in the code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
WORK = REPO_ROOT / "bench" / ".work" / "upgrade"
PROBE = HERE / "probe.py"
TARGET = "4.2.3"
DEFAULT_PYTHON = "3.12"


def _precision() -> ModuleType:
    """bench/precision/run.py: its manifest reader, mirror lookup and materialiser."""
    spec = importlib.util.spec_from_file_location(
        "precision_run", HERE.parent / "precision" / "run.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


P = _precision()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(
    cmd: list[str], cwd: Path | None = None, timeout: float = 900, **kw: Any
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(
            cmd, 124, str(exc.stdout or ""), f"timeout after {timeout}s"
        )


def load_projects(path: Path) -> list[dict[str, Any]]:
    data = P.read_toml(path.read_text(encoding="utf-8"))
    projects = data.get("project", [])
    seen = set()
    for item in projects:
        item.setdefault("path", ".")
        item["id"] = item["name"] if item["path"] == "." else f"{item['name']}:{item['path']}"
        item["slug"] = item["id"].replace("/", "+").replace(":", "__")
        if item["id"] in seen:
            raise SystemExit(f"manifest: {item['id']} is listed twice")
        seen.add(item["id"])
    return list(projects)


def python_for(version: str) -> str:
    found = sorted(Path("/root/.pyenv/versions").glob(f"{version}.*/bin/python{version}"))
    return str(found[-1]) if found else shutil.which(f"python{version}") or sys.executable


# -- dependencies -----------------------------------------------------------------


def requirement_name(line: str) -> str:
    head = line.split(";")[0].strip()
    for sep in ("==", ">=", "<=", "~=", "!=", "<", ">", "[", " @ ", " "):
        head = head.split(sep)[0]
    return head.strip().lower().replace("_", "-")


def original_requirements(item: dict[str, Any], project: Path) -> tuple[list[str], str]:
    """The requirement lines that reproduce what runs, and where they came from."""
    extras = [f"--extra={e}" for e in item.get("extras", [])]
    if (project / "uv.lock").is_file() and not item.get("no_lock"):
        done = run(
            [
                "uv",
                "export",
                "--frozen",
                "--no-hashes",
                "--no-dev",
                "--no-emit-project",
                "--no-emit-workspace",
                "--no-header",
                "--no-annotate",
                *extras,
                *item.get("export_args", []),
            ],
            cwd=project,
        )
        if done.returncode == 0:
            lines = [ln.strip() for ln in done.stdout.splitlines()]
            lines = [ln for ln in lines if ln and not ln.startswith(("#", "-e", "./", "."))]
            return lines, "uv.lock"
        log(f"  uv export failed: {done.stderr.strip()[-300:]}")
    pins = [f"{name}=={version}" for name, version in item.get("pins", {}).items()]
    source = item.get("requirements")
    if source:
        lines = [ln.strip() for ln in (project / source).read_text().splitlines()]
        lines = [ln for ln in lines if ln and not ln.startswith(("#", "-"))]
    else:
        lines = declared_dependencies(project, item.get("extras", []))
    pinned = {requirement_name(p) for p in pins}
    lines = [ln for ln in lines if requirement_name(ln) not in pinned] + pins
    origin = f"{source or 'pyproject'} + pins"
    if (project / "poetry.lock").is_file():
        # every locked version as a constraint: the transitive pins matter too
        locked = P.read_toml((project / "poetry.lock").read_text(encoding="utf-8"))
        constraints = WORK / f"{item['slug']}.poetry-constraints.txt"
        constraints.write_text(
            "".join(f"{p['name']}=={p['version']}\n" for p in locked.get("package", []))
        )
        lines.append(f"-c {constraints}")
        origin += " + poetry.lock constraints"
    return lines, origin


def unpinned(line: str) -> str:
    """The requirement without its version, environment marker kept."""
    _, semi, marker = line.partition(";")
    return requirement_name(line) + (f" ;{marker}" if semi else "")


def declared_dependencies(project: Path, extras: list[str]) -> list[str]:
    data = P.read_toml((project / "pyproject.toml").read_text(encoding="utf-8"))
    table = data.get("project", {})
    deps = list(table.get("dependencies", []))
    for extra in extras:
        deps += table.get("optional-dependencies", {}).get(extra, [])
    return [d for d in deps if requirement_name(d) != requirement_name(table.get("name", ""))]


def target_requirements(lines: list[str], item: dict[str, Any]) -> list[str]:
    # fastmcp-slim and friends move with fastmcp; fastmcp[tasks]==4.2.3 needs fastmcp-tasks
    # 4.2.3, which the package index does not serve (newest 4.1.4): the target is plain fastmcp.
    # (fastmcp-pvl-core and other packages built on fastmcp stay: they are the project's)
    dropped = {"mcp", "fastmcp", "fastmcp-slim", "fastmcp-tasks", *item.get("target_unpin", [])}
    kept = [ln for ln in lines if not ln.startswith("-") and requirement_name(ln) not in dropped]
    return [*kept, f"fastmcp=={TARGET}"]


CONFLICT_ROUNDS = 25


def conflicting(error: str, lines: list[str]) -> set[str]:
    """Names of the exactly pinned requirements that the resolver's error mentions."""
    text = error.lower().replace("_", "-")
    found = set()
    for line in lines:
        name = requirement_name(line)
        if "==" not in line.split(";")[0] or name == "fastmcp":
            continue
        if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text):
            found.add(name)
    return found


def build_venv(venv: Path, lines: list[str], python: str, strict: bool) -> dict[str, Any]:
    """Install ``lines`` into ``venv`` (cached by content); fall back to names only."""
    stamp = venv / "bench-requirements.txt"
    wanted = "\n".join(lines) + "\n"
    if stamp.is_file() and stamp.read_text() == wanted and (venv / "bench-ok").is_file():
        return json.loads((venv / "bench-ok").read_text())
    if venv.exists():
        shutil.rmtree(venv)
    made = run(["uv", "venv", "-q", "--python", python, str(venv)])
    if made.returncode != 0:
        return {"ok": False, "error": made.stderr.strip()[-500:]}
    req = venv / "bench-input.txt"
    req.write_text(wanted)
    args = ["uv", "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "-r", str(req)]
    if strict:
        args.append("--no-deps")
    done = run(args, timeout=1500)
    mode = "locked pins" if strict else "pins kept"
    first_error = done.stderr.strip()[-800:]
    let_go: set[str] = set()
    current = list(lines)
    # Let go only of the pins the resolver names in the conflict, a few rounds (a
    # released pin can reveal the next one); names only for everything as a last resort.
    for _ in range(CONFLICT_ROUNDS if not strict else 0):
        if done.returncode == 0:
            break
        named = conflicting(done.stderr, current) - let_go
        if not named:
            break
        let_go |= named
        current = [unpinned(ln) if requirement_name(ln) in let_go else ln for ln in lines]
        req.write_text("\n".join(current) + "\n")
        mode = f"pins kept but {', '.join(sorted(let_go))} (locked pins conflict with the target)"
        done = run(args, timeout=1500)
    if done.returncode != 0 and not strict:
        loose = sorted({ln if ln.startswith("fastmcp==") else unpinned(ln) for ln in lines})
        req.write_text("\n".join(loose) + "\n")
        mode = "names only (locked pins conflict with the target)"
        done = run(args, timeout=1500)
    info = {"ok": done.returncode == 0, "mode": mode, "error": done.stderr.strip()[-800:]}
    if let_go or mode.startswith("names"):
        info["pins_conflict"] = first_error
        info["let_go"] = sorted(let_go)
    if info["ok"]:
        info["fastmcp"] = installed(venv, "fastmcp")
        info["mcp"] = installed(venv, "mcp")
        stamp.write_text(wanted)
        (venv / "bench-ok").write_text(json.dumps(info))
    return info


def installed(venv: Path, package: str) -> str:
    done = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            f"import importlib.metadata as m; print(m.version({package!r}))",
        ]
    )
    return done.stdout.strip() or "-"


# -- upgrade and probes -----------------------------------------------------------


def upgrade(fkit: Path, project: Path) -> dict[str, Any]:
    base = [str(fkit), "upgrade", "--to", "4"]
    before = run([*base, "--check"], cwd=project)
    # the findings of the write are those left for a human after it
    write = run([*base, "--write", "--output-format", "json"], cwd=project)
    check = run([*base, "--check"], cwd=project)
    try:
        findings: Any = json.loads(write.stdout)
    except json.JSONDecodeError:
        findings = write.stdout[-3000:]
    return {
        "check_before": before.returncode,
        "write_exit": write.returncode,
        "write_output": write.stderr[-3000:],
        "findings_after": findings,
        "check_after": check.returncode,
        "check_after_output": (check.stdout + check.stderr)[-2000:] if check.returncode else "",
    }


def pins_resolve(project: Path, python: str) -> dict[str, Any]:
    """Do the dependency files fkit wrote resolve together, and to which fastmcp?"""
    files = [f for f in ("pyproject.toml", "requirements.txt") if (project / f).is_file()]
    if "pyproject.toml" in files:
        data = P.read_toml((project / "pyproject.toml").read_text(encoding="utf-8"))
        if not data.get("project", {}).get("dependencies"):
            files.remove("pyproject.toml")
    result: dict[str, Any] = {}
    for name in files:
        done = run(
            ["uv", "pip", "compile", "-q", "--no-header", "--python", python, name], cwd=project
        )
        pins = {
            requirement_name(ln): ln.split("==", 1)[1].strip()
            for ln in done.stdout.splitlines()
            if "==" in ln and requirement_name(ln) in {"fastmcp", "mcp"}
        }
        result[name] = {
            "ok": done.returncode == 0,
            **pins,
            "error": "" if done.returncode == 0 else done.stderr.strip()[-600:],
        }
    return result


def diffstat(orig: Path, upgraded: Path) -> str:
    done = run(["git", "diff", "--no-index", "--stat=200", "--", str(orig), str(upgraded)])
    lines = [ln for ln in done.stdout.splitlines() if "/.git/" not in ln]
    return "\n".join(lines)[-4000:]


def probe(
    venv: Path, project: Path, entry: str, item: dict[str, Any], timeout: float
) -> dict[str, Any]:
    env = {**os.environ, **{k: str(v) for k, v in item.get("env", {}).items()}}
    env.pop("VIRTUAL_ENV", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # workspace members the entrypoint imports (they are not installed: the tree is)
    env["PYTHONPATH"] = os.pathsep.join(str(project / p) for p in item.get("extra_paths", []))
    root = item.get("import_root", "")
    cmd = [str(venv / "bin" / "python"), str(PROBE), str(project), root, entry]
    done = run(cmd, cwd=project, timeout=timeout, env=env)
    out = done.stdout.strip().splitlines()
    if done.returncode == 0 and out:
        result: dict[str, Any] = json.loads(out[-1])
        return result
    return {"ok": False, "error": (done.stderr.strip() or done.stdout.strip())[-1500:]}


def test_suite(venv: Path, project: Path, item: dict[str, Any]) -> dict[str, Any]:
    """The project's own quick tests (manifest ``tests``), in the given venv and tree."""
    deps = item.get("test_deps", ["pytest", "pytest-asyncio"])
    python = str(venv / "bin" / "python")
    added = run(["uv", "pip", "install", "-q", "--python", python, *deps], timeout=600)
    if added.returncode != 0:
        return {"ok": False, "summary": "test deps: " + added.stderr.strip()[-300:]}
    env = {**os.environ, **{k: str(v) for k, v in item.get("env", {}).items()}}
    env.pop("VIRTUAL_ENV", None)
    paths = [item.get("test_path", "src" if (project / "src").is_dir() else ".")]
    env["PYTHONPATH"] = os.pathsep.join(
        str(project / p) for p in paths + item.get("extra_paths", [])
    )
    cmd = [python, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", *item["tests"]]
    done = run(cmd, cwd=project, timeout=600, env=env)
    tail = [ln for ln in done.stdout.splitlines() if ln.strip()]
    return {
        "ok": done.returncode == 0,
        "exit": done.returncode,
        "summary": tail[-1] if tail else done.stderr[-300:],
    }


def do_project(item: dict[str, Any], fkit: Path, args: argparse.Namespace) -> dict[str, Any]:
    rec: dict[str, Any] = {
        k: item.get(k) for k in ("id", "name", "commit", "path", "original", "kinds", "note")
    }
    git_dir = P.find_mirror(P.Entry(item["name"], item["commit"]), WORK, args.mirror_root)
    if git_dir is None:
        rec["status"] = "no mirror"
        return rec
    base = args.trees / item["slug"]
    base.mkdir(parents=True, exist_ok=True)
    orig = base / "orig"
    P.materialise(P.Entry(item["name"], item["commit"]), git_dir, orig, base / "orig.tree.json")
    upgraded = base / "upgraded"
    sub_orig, sub_up = orig / item["path"], upgraded / item["path"]
    stamp = base / "upgrade.json"
    key = {"commit": item["commit"], "engine": args.engine, "path": item["path"]}
    cached = json.loads(stamp.read_text()) if stamp.is_file() and upgraded.is_dir() else {}
    if cached.get("key") == key and not args.fresh:
        # same project commit, same fkit engine: the upgraded tree is still right
        rec["upgrade"], rec["diffstat"] = cached["upgrade"], cached["diffstat"]
        log(f"{item['id']}: fkit upgrade (reused: same commit and fkit engine)")
    else:
        if upgraded.exists():
            shutil.rmtree(upgraded)
        shutil.copytree(orig, upgraded, symlinks=True)
        log(f"{item['id']}: fkit upgrade")
        rec["upgrade"] = upgrade(fkit, sub_up)
        rec["diffstat"] = diffstat(orig, upgraded)
        (base / "upgrade.diff").write_text(
            run(["git", "diff", "--no-index", "--", "orig", "upgraded"], cwd=base).stdout
        )
        stamp.write_text(
            json.dumps({"key": key, "upgrade": rec["upgrade"], "diffstat": rec["diffstat"]})
        )
    python = python_for(item.get("python", DEFAULT_PYTHON))
    rec["pins_after"] = pins_resolve(sub_up, python)
    lines, source = original_requirements(item, sub_orig)
    rec["requirements_source"] = source
    log(f"{item['id']}: venvs ({len(lines)} requirements from {source})")
    venvs = WORK / "venvs"
    strict = source == "uv.lock"
    rec["venv_orig"] = build_venv(venvs / f"{item['slug']}-orig", lines, python, strict)
    rec["venv_target"] = build_venv(
        venvs / f"{item['slug']}-target", target_requirements(lines, item), python, False
    )
    if item.get("install_project", True):
        # for importlib.metadata only: the code imported is always the tree's
        for key in ("orig", "target"):
            venv = venvs / f"{item['slug']}-{key}"
            if rec[f"venv_{key}"].get("ok"):
                python_bin = str(venv / "bin" / "python")
                run(
                    [
                        "uv",
                        "pip",
                        "install",
                        "-q",
                        "--no-deps",
                        "--python",
                        python_bin,
                        str(sub_orig),
                    ]
                )
    rec["servers"] = []
    for entry in item.get("servers", []):
        server: dict[str, Any] = {"entry": entry}
        for label, venv_key, tree in (
            ("a", "venv_orig", sub_orig),
            ("b", "venv_target", sub_orig),
            ("c", "venv_target", sub_up),
        ):
            if not rec[venv_key].get("ok"):
                server[label] = {
                    "ok": False,
                    "error": f"venv failed: {rec[venv_key].get('error', '')[-300:]}",
                }
                continue
            venv = venvs / f"{item['slug']}-{'orig' if venv_key == 'venv_orig' else 'target'}"
            server[label] = probe(venv, tree, entry, item, args.timeout)
        log(
            f"{item['id']}: {entry}: "
            + " ".join(f"{k}={'ok' if server[k].get('ok') else 'FAIL'}" for k in "abc")
        )
        rec["servers"].append(server)
    if item.get("tests"):
        log(f"{item['id']}: test suite")
        rec["tests"] = {
            "orig": test_suite(venvs / f"{item['slug']}-orig", sub_orig, item),
            "target_before": test_suite(venvs / f"{item['slug']}-target", sub_orig, item),
            "target_after": test_suite(venvs / f"{item['slug']}-target", sub_up, item),
        }
    rec["status"] = "ok"
    return rec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.toml")
    parser.add_argument("--fkit", type=Path, default=Path(sys.executable).parent / "fkit")
    parser.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--only", action="append", default=[], help="project id (repeatable)")
    parser.add_argument(
        "--results", type=Path, default=WORK / "results.json", help="results file to update"
    )
    parser.add_argument(
        "--trees",
        type=Path,
        default=WORK,
        help="where the project trees go (a second run beside a first: venvs stay shared)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="re-run fkit even when the upgraded tree is current"
    )
    parser.add_argument("--timeout", type=float, default=180, help="seconds per probe")
    args = parser.parse_args(argv)
    fkit = args.fkit.absolute()
    args.trees = args.trees.absolute()  # probes run with the project as working folder
    projects = load_projects(args.manifest)
    if args.only:
        projects = [p for p in projects if p["id"] in args.only or p["name"] in args.only]
        if not projects:
            parser.error("--only matched nothing in the manifest")
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    out = args.results
    previous = json.loads(out.read_text()) if out.is_file() else {"projects": []}
    identity = P.fkit_identity(fkit)
    args.engine = identity.get("engine_commit", "unknown") + (
        "+dirty" if identity.get("dirty") == "yes" else ""
    )
    results = {r["id"]: r for r in previous.get("projects", [])}
    for item in projects:
        started = time.time()
        try:
            rec = do_project(item, fkit, args)
        except Exception as exc:  # one broken project must not stop the run
            rec = {"id": item["id"], "name": item["name"], "status": f"harness error: {exc!r}"}
        rec["seconds"] = round(time.time() - started)
        results[item["id"]] = rec
        out.write_text(
            json.dumps(
                {
                    "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    "fkit": identity,
                    "target": TARGET,
                    "projects": [
                        results[p["id"]] for p in load_projects(args.manifest) if p["id"] in results
                    ],
                },
                indent=1,
            )
        )
    log(f"results -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
