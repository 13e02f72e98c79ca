"""`newsvault scheduler`: run the schedules in the foreground until SIGINT / SIGTERM."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from newsvault.commands.common import EXIT_OK, CommandFailed, load, log_level
from newsvault.config import load_config


def register(commands: Any) -> None:
    scheduler = commands.add_parser(
        "scheduler", help="run the schedules in the foreground until SIGINT/SIGTERM",
        description="Fire each source's crawls on its schedule, one crawl process per run (with a redis:// "
                    "state: one Celery task per run, for the `newsvault worker`s). SIGHUP reloads the config; "
                    "SIGINT/SIGTERM lets running crawls close their files, then exits.")
    scheduler.add_argument("--metrics-port", type=int, metavar="N",
                           help="serve Prometheus metrics on this port (/metrics)")
    scheduler.add_argument("--metrics-address", default="127.0.0.1", metavar="ADDR",
                           help="address of the metrics server (default: 127.0.0.1; 0.0.0.0 for all)")
    scheduler.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from redis import RedisError

    from newsvault.alerts.run_events import after_dead_run
    from scheduler.service import SchedulerBusy, SchedulerService

    config = load(args)
    level = log_level(args)
    # A service's log is its output: progress is INFO, shown unless -q.
    logging.basicConfig(level="INFO" if level == "WARNING" else level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel("WARNING" if level in ("WARNING", "INFO") else level)
    try:
        service = SchedulerService(config, load_config=load_config, metrics_port=args.metrics_port,
                                   metrics_address=args.metrics_address, log_level=level,
                                   on_dead_run=after_dead_run)
        service.run()
    except (SchedulerBusy, ValueError) as exc:
        raise CommandFailed(str(exc)) from None
    except OSError as exc:
        raise CommandFailed(f"cannot start the scheduler: {exc}") from None
    except RedisError as exc:  # a cluster whose Redis is out of reach
        raise CommandFailed(f"cannot start the scheduler: Redis: {exc}") from None
    return EXIT_OK
