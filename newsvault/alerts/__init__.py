"""Alerts: events about runs, sources and the archive store, pushed to webhooks, Slack and email.

- events.py        the events' shapes (event_schema.json is their JSON Schema)
- run_events.py    which events a closed run, a late manifest or a health change makes; never raises
- delivery.py      the outbox's two ends: record an event, deliver what is pending, with backoff
- targets.py       one attempt to one target: a signed webhook POST, a Slack message, an email

The outbox itself is in the state store (state/state_types.py `Outbox`: SQLite tables or Redis keys).
"""
