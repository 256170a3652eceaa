"""Scale-out over an existing distributed engine (Ray). No extraction logic lives here: workers
run the same ``Pipeline`` as the local path, so both produce identical records."""
