"""The lint engine: rule base, name resolution, engine, runner, cache, reporters glue."""
