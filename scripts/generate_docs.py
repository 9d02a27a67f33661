"""Regenerate docs/rules/*.md, docs/contract-rules.md, the README's rules table and the rule index
(fastmcp_kit/lint/rule_index.json, what a cached lint run reads instead of
importing the rules) from the rule classes.

python scripts/generate_docs.py          # write
python scripts/generate_docs.py --check  # exit 1 if anything is stale (CI)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fastmcp_kit.contract.docs import rules_page as contract_rules_page
from fastmcp_kit.lint.docs import generated_files
from fastmcp_kit.lint.rule_index import INDEX_PATH, render_index

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    files = generated_files(REPO)
    files[INDEX_PATH] = render_index()
    files[REPO / "docs" / "contract-rules.md"] = contract_rules_page()
    for path, content in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(path.relative_to(REPO))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if check else 'wrote'}: {path}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
