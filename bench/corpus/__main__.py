from __future__ import annotations

from bench.corpus import main

main()
