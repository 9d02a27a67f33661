"""Dump the public API surface of real FastMCP releases for fkit's version-aware rules.

python scripts/dump_api_surface.py                          # the default releases, fresh venvs
python scripts/dump_api_surface.py --venvs-dir /work/venvs  # reuse <dir>/fm-<version> venvs
python scripts/dump_api_surface.py --versions 3.4.10 4.1.2  # only these releases

For each release the driver finds (``--venvs-dir``/fm-<version>, checked to hold that
fastmcp) or creates (``python -m venv`` + ``pip install fastmcp==<version>`` in a temporary
directory) a virtualenv, runs *this file* inside it with ``--extract`` (the extractor, this
file and its two ``dump_api_*.py`` helpers, uses the standard library only: importlib,
pkgutil, inspect, ast) and writes the result to
``fastmcp_kit/apisurface/data/fastmcp-<version>.json`` (``.json.gz`` when larger than
300 KB). A release that cannot be installed is reported and skipped, never guessed.

What the extractor records (see ``extract``):

* ``modules``: every public (no ``_`` segment) module under ``fastmcp`` that imports
  (files, namespace folders and ``sys.modules`` aliases), with
  ``exports`` (``__all__`` when present, else every public attribute) and ``other`` (public
  attributes outside ``__all__``: still importable), plus ``lazy``/``lazy_errors`` for
  names a module-level ``__getattr__`` serves or refuses (``from fastmcp import Client`` in
  4.x; ``CurrentDocket`` "moved to the fastmcp-tasks package");
* ``failed``: modules that exist but do not import, with the reason and whether it is a
  missing optional dependency (``extra``: the module exists for users who install it);
* ``classes``: the constructor signature of every public class defined in those modules
  (and in the py-key-value stores/wrappers used with FastMCP), as parameter tokens:
  ``name`` (required), ``name=`` (has a default), ``/`` and ``*`` markers, ``*args``,
  ``**kwargs``; ``kwargs_rejected`` when a ``**kwargs`` only exists to raise (FastMCP 3.x+)
  and ``removed_kwargs`` with FastMCP's own hint for each removed keyword; ``also``: the
  other public modules it can be imported from (``module``, or ``module:Alias`` if renamed);
  ``is``: the fastmcp base classes it derives from (``auth_provider``, ``middleware``, ...);
* ``members``: for every class in ``classes``, every class in their MROs (pydantic's
  ``BaseModel``, ``Exception``, mcp's types...) and every class their annotations name
  (``starlette.requests.Request``): ``mro`` (its bases, without itself and ``object``),
  ``own`` (the public members the class itself defines: methods, properties, class-level
  annotations and pydantic fields, class values, ``self.x = ...`` in its methods, each
  as one string such as ``async def(message, level=) -> None``: see
  ``scripts/dump_api_members.py``), ``protocols`` (``async_cm`` for ``__aenter__``,
  ``cm``, ``async_iter``, ``iter``, ``awaitable``, ``callable``, ``subscript`` for
  ``__getitem__``; inherited ones too) and
  ``dynamic`` (serves undeclared attributes). Inherited members are found by following
  ``mro`` (``fastmcp_kit/apisurface/layer.py``);
* ``functions``: every public module-level function defined under the scanned packages,
  as ``def`` (the same member string) and ``also`` (other public modules it is imported
  from, as for classes);
* ``decorator_returns``: what ``@mcp.tool``/``resource``/``prompt`` (``resource_template``:
  ``@mcp.resource`` with a URI template), ``FastMCPApp``'s ``tool``/``ui`` and the
  standalone ``fastmcp.tools.tool`` & co. return for a plain function, found by
  decorating one: ``function`` (the function itself) or the class of the result;
  ``object_mode`` under 3.x's deprecated ``decorator_mode="object"`` setting;
* ``format``: the layout version (``FORMAT``).

Types (return annotations, properties, attributes) are Python text with qualified names
(``list[mcp_types._types.Tool]``, ``str | None``), written by
``scripts/dump_api_annotations.py``. The extractor's three files use the standard library
only and are copied together into the venv.

The JSON has sorted keys and one line per module, class or function, so a regenerated file
diffs well (the dumps exceed 300 KB and are stored gzipped: ``git diff`` shows them with
``git config diff.gzip.textconv "gzip -dc"``, which ``.gitattributes`` asks for). The
loader parses ``members`` and ``functions`` one line at a time on first use, so keep
that layout (``render``).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib
import importlib.util
import inspect
import io
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import tempfile
import types
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

# The member extractor lives beside this file (and is copied with it into the venv).
EXTRACTOR_MODULES = ("dump_api_members.py", "dump_api_annotations.py")
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from dump_api_annotations import Resolver  # noqa: E402
from dump_api_members import (  # noqa: E402
    class_entries,
    decorator_returns,
    encode_callable,
    signature_tokens,
)

DEFAULT_VERSIONS = (
    "2.13.3",
    "2.14.7",
    "3.0.2",
    "3.4.10",
    "3.4.11",
    "4.0.0",
    "4.0.11",
    "4.1.2",
    "4.1.7",
    "4.2.3",
)
"""The releases shipped: the newest release of each minor line that has a dump, plus
earlier ones the fact sheet was verified on. ``scripts/refresh_fastmcp_data.py`` adds
new releases here and dumps them."""

ROOTS = ("fastmcp",)
# Storage classes users pass to FastMCP (session_state_store=, client_storage=, cache_storage=).
EXTRA_ROOTS = ("key_value.aio.stores", "key_value.aio.wrappers", "key_value.aio.protocols")
# Classes are tagged with the fastmcp base classes they derive from ("is": [...]), so
# rules can pick e.g. every auth provider without a hand-kept list.
TAG_BASES = {
    "auth_provider": "fastmcp.server.auth.AuthProvider",
    "token_verifier": "fastmcp.server.auth.TokenVerifier",
    "middleware": "fastmcp.server.middleware.Middleware",
    "provider": "fastmcp.server.providers.Provider",
    "transform": "fastmcp.server.transforms.Transform",
}
DISTRIBUTIONS = ("fastmcp", "fastmcp-slim", "mcp", "py-key-value-aio", "pydantic")
GZIP_ABOVE = 300_000
# Version of the data layout (2: members of every class, functions, decorator_returns).
FORMAT = 2
REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "fastmcp_kit" / "apisurface" / "data"
_PROBE_KWARG = "fkit_probe_unknown_kwarg"

# -- the extractor (runs inside the target venv; standard library only) ---------------


def _public(name: str) -> bool:
    return not name.startswith("_")


def _clean(message: str) -> str:
    """An error message without file paths or memory addresses, on one line."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    first = re.sub(r" \((?:/|[A-Za-z]:\\)[^)]*\)", "", first)
    first = re.sub(r"(?:/|[A-Za-z]:\\)\S*site-packages[/\\]", "", first)
    return re.sub(r" at 0x[0-9a-f]+", "", first)[:300]


def _error(exc: BaseException) -> str:
    return _clean(f"{type(exc).__name__}: {exc}")


def _is_extra(exc: BaseException, module: str) -> bool:
    """Did the import fail only because an optional third-party package is missing?"""
    root = module.split(".")[0]
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ModuleNotFoundError) and cause.name:
            missing = cause.name.split(".")[0]
            if missing != root:
                return True
        text = str(cause)
        if "pip install" in text or re.search(r"\bextras?\b", text):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _walk(root: str, modules: dict[str, types.ModuleType], failed: dict[str, Any]) -> None:
    """Import ``root`` and every public submodule; record what fails and why."""
    pending = [root]
    while pending:
        name = pending.pop()
        locations: Iterable[str] | None = None
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                module = importlib.import_module(name)
        except BaseException as exc:  # SystemExit and friends from broken modules too
            if isinstance(exc, KeyboardInterrupt):
                raise
            if name == root:
                try:
                    importlib.import_module(name.rpartition(".")[0] or name)
                except BaseException:
                    return  # the root's parent is missing: nothing to record
            failed[name] = {"error": _error(exc), "extra": _is_extra(exc, name)}
            try:
                spec = importlib.util.find_spec(name)
            except BaseException:
                spec = None
            locations = spec.submodule_search_locations if spec is not None else None
        else:
            modules[name] = module
            locations = getattr(module, "__path__", None)
        if locations is None:
            continue
        children = _children(list(locations))
        pending.extend(f"{name}.{child}" for child in reversed(children) if _public(child))


def _children(locations: list[str]) -> list[str]:
    """Submodules and subpackages, namespace packages (folders without ``__init__.py``,
    e.g. ``fastmcp/experimental`` in 2.x/3.x) included when they hold Python files."""
    names = {info.name for info in pkgutil.iter_modules(locations)}
    for location in locations:
        if not os.path.isdir(location):
            continue
        for entry in sorted(os.listdir(location)):
            path = os.path.join(location, entry)
            if (
                entry.isidentifier()
                and os.path.isdir(path)
                and not os.path.exists(os.path.join(path, "__init__.py"))
                and any(f.endswith(".py") for _, _, files in os.walk(path) for f in files)
            ):
                names.add(entry)
    return sorted(names)


def _getattr_candidates(module: types.ModuleType) -> set[str]:
    """Names a module-level ``__getattr__`` mentions: its string constants and the
    string items of module globals it reads (``if name in _MOVED: ...``)."""
    hook = module.__dict__.get("__getattr__")
    code = getattr(hook, "__code__", None)
    if code is None:
        return set()
    found: set[str] = set()
    stack = [code]
    while stack:
        current = stack.pop()
        for const in current.co_consts:
            if isinstance(const, str):
                found.add(const)
            elif isinstance(const, types.CodeType):
                stack.append(const)
            elif isinstance(const, (tuple, frozenset)):
                found.update(item for item in const if isinstance(item, str))
        for global_name in current.co_names:
            value = module.__dict__.get(global_name)
            if isinstance(value, (dict, set, frozenset, list, tuple)):
                found.update(item for item in value if isinstance(item, str))
    return {name for name in found if name.isidentifier() and _public(name)}


def _module_entry(module: types.ModuleType) -> dict[str, Any]:
    public = sorted(name for name in vars(module) if _public(name))
    declared = getattr(module, "__all__", None)
    entry: dict[str, Any] = {}
    if isinstance(declared, (list, tuple)):
        exports = sorted({str(name) for name in declared})
        entry["all"] = True
        entry["exports"] = exports
        other = sorted(set(public) - set(exports))
        if other:
            entry["other"] = other
    else:
        entry["exports"] = public
    return entry


def _probe_lazy(module: types.ModuleType, entry: dict[str, Any]) -> None:
    if "__getattr__" not in module.__dict__:
        return
    known = set(entry["exports"]) | set(entry.get("other", ()))
    lazy: list[str] = []
    errors: dict[str, str] = {}
    for name in sorted(_getattr_candidates(module) - known):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                getattr(module, name)
        except AttributeError:
            continue
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            errors[name] = _error(exc)
        else:
            lazy.append(name)
    try:
        module.fkit_probe_unknown_attribute  # noqa: B018
    except AttributeError:
        entry["getattr"] = "strict"  # unknown names still raise AttributeError
    except BaseException:
        entry["getattr"] = "strict"
    else:
        entry["getattr"] = "open"  # serves anything: names cannot be checked
    if lazy:
        entry["lazy"] = lazy
    if errors:
        entry["lazy_errors"] = errors


def _defining_path(obj: Any) -> str | None:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    if "<" in qualname or "[" in qualname:  # local classes, parametrized generics
        return None
    return f"{module}.{qualname}"


def _in_roots(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root + ".") for root in roots)


def _fastmcp_kwargs(cls: type, entry: dict[str, Any], module: types.ModuleType) -> None:
    """FastMCP 3.x+ takes ``**kwargs`` only to reject them with a helpful TypeError."""
    removed = getattr(module, "_REMOVED_KWARGS", None)
    if isinstance(removed, dict):
        entry["removed_kwargs"] = {str(k): _clean(str(v)) for k, v in sorted(removed.items())}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cls("fkit-probe", **{_PROBE_KWARG: 1})
    except TypeError as exc:
        if _PROBE_KWARG in str(exc):
            entry["kwargs_rejected"] = True
    except Exception:
        pass


def extract(
    roots: Sequence[str] = ROOTS, extra_roots: Sequence[str] = EXTRA_ROOTS
) -> dict[str, Any]:
    """The API surface of the importable packages ``roots`` (+ ``extra_roots``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _extract(roots, extra_roots)


def _extract(roots: Sequence[str], extra_roots: Sequence[str]) -> dict[str, Any]:
    modules: dict[str, types.ModuleType] = {}
    failed: dict[str, Any] = {}
    for root in (*roots, *extra_roots):
        _walk(root, modules, failed)
    scanned = (*roots, *extra_roots)
    # Modules registered without a file of their own (3.4's `sys.modules["fastmcp.tools.tool"]
    # = fastmcp.tools.base` shim) import just as well.
    for name, module in sorted(sys.modules.items()):
        if (
            isinstance(module, types.ModuleType)
            and name not in modules
            and _in_roots(name, scanned)
            and all(_public(part) for part in name.split("."))
        ):
            modules[name] = module
            failed.pop(name, None)
    module_entries = {name: _module_entry(module) for name, module in modules.items()}
    for name, module in modules.items():
        _probe_lazy(module, module_entries[name])

    tag_bases: dict[str, type] = {}
    for tag, public_path in TAG_BASES.items():
        module_name, _, attr = public_path.rpartition(".")
        base = getattr(modules.get(module_name), attr, None)
        if isinstance(base, type):
            tag_bases[tag] = base
    classes: dict[str, Any] = {}
    class_objects: dict[str, type] = {}
    functions: dict[str, Any] = {}
    resolver = Resolver()
    for name in sorted(modules):
        module = modules[name]
        entry = module_entries[name]
        for attr in (*entry["exports"], *entry.get("other", ()), *entry.get("lazy", ())):
            try:
                value = getattr(module, attr)
            except BaseException:
                continue
            if inspect.isfunction(value):
                _record_function(functions, name, attr, value, scanned, resolver)
                continue
            if not isinstance(value, type):
                continue
            path = _defining_path(value)
            if path is None or not _in_roots(path, scanned) or not _public(value.__name__):
                continue
            if path not in classes:
                class_objects[path] = value
                classes[path] = {"init": signature_tokens(value)}
                tags = sorted(
                    tag
                    for tag, base in tag_bases.items()
                    if value is not base and issubclass(value, base)
                )
                if tags:
                    classes[path]["is"] = tags
                if path.endswith(".FastMCP") and path.startswith(tuple(roots)):
                    defining = sys.modules.get(value.__module__)
                    if defining is not None:
                        _fastmcp_kwargs(value, classes[path], defining)
            if f"{name}.{attr}" != path:
                # Importable elsewhere: "module" (same name) or "module:Alias".
                where = name if attr == value.__name__ else f"{name}:{attr}"
                classes[path].setdefault("also", []).append(where)

    members = class_entries(class_objects, tuple(scanned), resolver)
    return {
        "classes": dict(sorted(classes.items())),
        "decorator_returns": decorator_returns() if "fastmcp" in roots else {},
        "distributions": _distributions(),
        "failed": dict(sorted(failed.items())),
        "format": FORMAT,
        "functions": dict(sorted(functions.items())),
        "members": members,
        "modules": dict(sorted(module_entries.items())),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def _record_function(
    functions: dict[str, Any],
    module: str,
    attr: str,
    value: Any,
    scanned: Sequence[str],
    resolver: Resolver,
) -> None:
    """A public module-level function defined under the scanned packages: its member
    string (``async def(...) -> T``) and the other public modules it is importable from."""
    path = _defining_path(value)
    if path is None or not _in_roots(path, scanned) or not _public(value.__name__):
        return
    if path not in functions:
        functions[path] = {"def": encode_callable(value, resolver, drop_first=False)}
    if f"{module}.{attr}" != path:
        where = module if attr == value.__name__ else f"{module}:{attr}"
        functions[path].setdefault("also", []).append(where)


def _distributions() -> dict[str, str]:
    from importlib import metadata

    found: dict[str, str] = {}
    for dist in DISTRIBUTIONS:
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return found


# -- output ---------------------------------------------------------------------------


def render(surface: dict[str, Any]) -> str:
    """Sorted-key JSON with one line per top-level entry of each section."""
    lines = ["{"]
    sections = sorted(surface.items())
    for index, (key, value) in enumerate(sections):
        comma = "," if index < len(sections) - 1 else ""
        if isinstance(value, dict) and value:
            lines.append(f"{json.dumps(key)}: {{")
            items = sorted(value.items())
            for sub_index, (sub_key, sub_value) in enumerate(items):
                sub_comma = "," if sub_index < len(items) - 1 else ""
                encoded = json.dumps(sub_value, sort_keys=True, separators=(",", ":"))
                lines.append(f"{json.dumps(sub_key)}: {encoded}{sub_comma}")
            lines.append(f"}}{comma}")
        else:
            encoded = json.dumps(value, sort_keys=True, separators=(",", ":"))
            lines.append(f"{json.dumps(key)}: {encoded}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_surface(surface: dict[str, Any], version: str, out_dir: Path) -> Path:
    text = render(surface).encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    plain = out_dir / f"fastmcp-{version}.json"
    packed = out_dir / f"fastmcp-{version}.json.gz"
    for stale in (plain, packed):
        stale.unlink(missing_ok=True)
    if len(text) > GZIP_ABOVE:
        # mtime=0 and no file name: the same surface always gives the same bytes.
        with packed.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as zipped:
            zipped.write(text)
        return packed
    plain.write_bytes(text)
    return plain


# -- the driver (runs in the development environment) ---------------------------------


def _installed_version(python: Path) -> str | None:
    result = subprocess.run(
        [str(python), "-c", "from importlib.metadata import version; print(version('fastmcp'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def _python_of(venv_dir: Path) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return venv_dir / scripts / ("python.exe" if os.name == "nt" else "python")


@contextlib.contextmanager
def venv_for(version: str, venvs_dir: Path | None, base_python: str) -> Iterator[Path]:
    """A python with ``fastmcp==version``: a reused venv, else a throwaway one."""
    if venvs_dir is not None:
        python = _python_of(venvs_dir / f"fm-{version}")
        if python.exists():
            installed = _installed_version(python)
            if installed == version:
                yield python
                return
            print(f"  {python}: holds fastmcp {installed}, not {version}; creating a new venv")
    with tempfile.TemporaryDirectory(prefix=f"fkit-fm-{version}-") as tmp:
        venv_dir = Path(tmp) / "venv"
        subprocess.run([base_python, "-m", "venv", str(venv_dir)], check=True)
        python = _python_of(venv_dir)
        install = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"fastmcp=={version}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if install.returncode != 0:
            errors = [line for line in install.stderr.splitlines() if line.startswith("ERROR")]
            reason = re.sub(r" \(from versions: [^)]*\)", "", errors[-1] if errors else "")
            raise RuntimeError(f"pip install fastmcp=={version} failed: {reason}")
        yield python


def run_extractor(python: Path, version: str) -> dict[str, Any]:
    """Run this file with ``--extract`` in the venv, away from the repository."""
    with tempfile.TemporaryDirectory(prefix="fkit-extract-") as tmp:
        script = Path(tmp) / "extract_api_surface.py"
        shutil.copyfile(__file__, script)
        for helper in EXTRACTOR_MODULES:
            shutil.copyfile(Path(__file__).with_name(helper), Path(tmp) / helper)
        output = Path(tmp) / "surface.json"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "FASTMCP_"))
        }
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        result = subprocess.run(
            [str(python), "-I", str(script), "--extract", "--output", str(output)],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        if result.returncode != 0:
            raise RuntimeError(f"extractor failed for {version}:\n{result.stderr[-2000:]}")
        surface: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    found = surface["distributions"].get("fastmcp")
    if found != version:
        raise RuntimeError(f"venv for {version} holds fastmcp {found}")
    return surface


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", nargs="+", default=list(DEFAULT_VERSIONS))
    parser.add_argument("--venvs-dir", type=Path, help="reuse <dir>/fm-<version> when present")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder")
    parser.add_argument("--python", default=sys.executable, help="python that creates venvs")
    parser.add_argument("--extract", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.extract:
        surface = extract()
        text = json.dumps(surface, sort_keys=True)
        if args.output is not None:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
        return 0

    failures = 0
    for version in args.versions:
        print(f"fastmcp {version}:")
        try:
            with venv_for(version, args.venvs_dir, args.python) as python:
                surface = run_extractor(python, version)
        except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
            print(f"  skipped: {exc}")
            failures += 1
            continue
        path = write_surface(surface, version, args.out)
        print(
            f"  {len(surface['modules'])} modules, {len(surface['failed'])} failed, "
            f"{len(surface['classes'])} classes -> {path.relative_to(REPO) if path.is_relative_to(REPO) else path}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
