from __future__ import annotations

from fastmcp_kit.cli import main

raise SystemExit(main())
