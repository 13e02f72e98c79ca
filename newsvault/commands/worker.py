"""`newsvault worker`: a Celery worker that runs source crawls dispatched by the scheduler (Redis state).

`newsvault enqueue SOURCE...` sends runs to the workers by hand (queue "backfill" unless --scheduled);
`newsvault flower` starts Flower, Celery's monitor, on the same broker.
"""

from __future__ import annotations

import argparse
import socket
from typing import Any

from newsvault.commands.common import EXIT_OK, CommandFailed, UsageError, load, log_level, print_json
from newsvault.config import load_config


def register(commands: Any) -> None:
    worker = commands.add_parser(
        "worker", help="run crawls dispatched through Celery (distributed mode: a redis:// state)",
        description="A Celery worker: each task is one crawl of one source, run in the worker's crawl host "
                    "(a long-lived process with Scrapy loaded once). The state must be "
                    "redis://; the broker is [scheduler] broker, else the state URI.")
    worker.add_argument("--concurrency", type=int, metavar="N",
                        help="crawls at once in the worker's crawl host (default: [scheduler] worker_concurrency)")
    worker.add_argument("--queues", default="scheduled,backfill", metavar="Q[,Q]",
                        help="queues to take runs from (default: scheduled,backfill)")
    worker.add_argument("--name", metavar="NAME",
                        help="the worker's name in `newsvault runs` and Flower (default: newsvault-PID@HOST)")
    worker.add_argument("--metrics-port", type=int, metavar="N",
                        help="serve Prometheus metrics of this worker's runs on this port (/metrics)")
    worker.add_argument("--metrics-address", default="127.0.0.1", metavar="ADDR",
                        help="address of the metrics server (default: 127.0.0.1; 0.0.0.0 for all)")
    worker.set_defaults(func=run_worker)

    enqueue = commands.add_parser("enqueue", help="send source runs to the workers (distributed mode)")
    enqueue.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    enqueue.add_argument("--scheduled", action="store_true",
                         help="into the scheduled runs' queue (default: backfill, so schedules keep their workers)")
    enqueue.add_argument("--json", action="store_true")
    enqueue.set_defaults(func=run_enqueue)

    flower = commands.add_parser(
        "flower", help="start Flower, Celery's monitor, on the workers' broker",
        description="Flower's dashboard of the workers and the runs they take (http://ADDRESS:PORT/). It "
                    "has no login unless FLOWER_BASIC_AUTH=user:password is set in the environment, which "
                    "also opens its HTTP API (/api/workers, /api/tasks); any other Flower option can be "
                    "given as FLOWER_<OPTION> too. Flower sees the tasks that run while it is up.")
    flower.add_argument("--port", type=int, default=5555)
    flower.add_argument("--address", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    flower.set_defaults(func=run_flower)


def _app(args: argparse.Namespace) -> Any:

    config = load(args)
    from newsvault.alerts.run_events import after_dead_run
    from scheduler.celery_app import app, configure

    try:
        configure(config, load_config=load_config, log_level=log_level(args), on_dead_run=after_dead_run)
    except ValueError as exc:
        raise CommandFailed(str(exc)) from None
    return config, app


def run_worker(args: argparse.Namespace) -> int:
    from scheduler.celery_app import QUEUES

    config, app = _app(args)
    queues = [q.strip() for q in args.queues.split(",") if q.strip()]
    unknown = [q for q in queues if q not in QUEUES]
    if not queues or unknown:
        raise UsageError(f"--queues takes {', '.join(QUEUES)}; got {args.queues!r}")
    concurrency = args.concurrency or config.scheduler.worker_concurrency
    if concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    import os

    os.environ["NEWSVAULT_CONFIG"] = str(config.path)  # the tasks' crawls use the worker's config
    app.conf.newsvault_concurrency = concurrency  # runs at once in its crawl host, as task threads
    if args.metrics_port is not None:
        _serve_metrics(app, config, args.metrics_port, args.metrics_address)
    name = args.name or f"newsvault-{os.getpid()}@{socket.gethostname()}"
    level = "INFO" if log_level(args) == "WARNING" else log_level(args)
    # Threads, not processes: a task only hands its run to the worker's crawl host and waits for it.
    app.worker_main(["worker", "--pool", "threads", "--concurrency", str(concurrency), "--queues",
                     ",".join(queues), "--hostname", name, "--loglevel", level, "--without-mingle",
                     "--without-gossip"])
    return EXIT_OK


def _serve_metrics(app: Any, config: Any, port: int, address: str) -> None:
    """The worker's runs as Prometheus metrics, the same names as the scheduler's (scheduler/metrics.py)."""
    from scheduler.metrics import SchedulerMetrics
    from state.backends import StateError, open_state

    metrics = SchedulerMetrics()
    try:
        state = open_state(config.state.uri)
        try:
            metrics.start_from(state, [s.id for s in config.sources])
        finally:
            state.close()
    except StateError as exc:
        raise CommandFailed(f"cannot read the run history for the metrics: {exc}") from None
    try:
        metrics.serve(port, address)
    except OSError as exc:
        raise CommandFailed(f"cannot serve metrics on {address}:{port}: {exc}") from None
    app.conf.newsvault_metrics = metrics


def run_enqueue(args: argparse.Namespace) -> int:
    from scheduler.celery_app import BACKFILL_QUEUE, SCHEDULED_QUEUE, enqueue

    config, _ = _app(args)
    sources = config.select(args.sources)
    queue = SCHEDULED_QUEUE if args.scheduled else BACKFILL_QUEUE
    tasks = {s.id: enqueue(config, s.id, queue=queue) for s in sources}
    if args.json:
        print_json({"queue": queue, "tasks": tasks})
    else:
        for source_id, task_id in tasks.items():
            print(f"{source_id}: queued on {queue} (task {task_id})")
    return EXIT_OK


def run_flower(args: argparse.Namespace) -> int:
    import os
    import sys

    _, app = _app(args)
    if args.address not in ("127.0.0.1", "localhost", "::1") and not (
            os.environ.get("FLOWER_BASIC_AUTH") or os.environ.get("FLOWER_AUTH")):
        print(f"newsvault: warning: Flower on {args.address} has no login: whoever reaches it sees the "
              "workers and their tasks; set FLOWER_BASIC_AUTH=user:password", file=sys.stderr)
    app.start(["flower", f"--port={args.port}", f"--address={args.address}"])
    return EXIT_OK
