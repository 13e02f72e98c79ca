"""The state store: what survives between runs (dedup index, revisit schedule, validators, site
templates, run journal, scheduler jobs). SQLite on one machine, Redis for a cluster; chosen from the
`[state] uri` in state/backends.py."""
