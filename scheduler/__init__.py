"""The scheduler: APScheduler jobs per source, crawl processes, locks, run health and metrics.

- jobs.py      the persistent job store (in the state database) and syncing it to the config
- service.py   `newsvault scheduler`: fires jobs, handles SIGHUP / SIGUSR1 / SIGTERM
- dispatch.py  one crawl = one `newsvault crawl SOURCE --time-limit N` process
- locks.py     cross-process locks: one scheduler per state store, one crawl per source; the kind
               chosen from the state store's capabilities:
  - lock_types.py  the Lock protocol and LockBusy
  - file_locks.py  POSIX locks on files beside a SQLite state
  - leases.py      leases in a cluster's Redis state
- celery_app.py  a cluster's workers: Celery tasks that run one crawl each
- health.py    per-source yield and completeness against the source's own recent runs
- metrics.py   Prometheus metrics
"""
