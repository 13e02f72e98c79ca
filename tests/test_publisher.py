"""The publishing thread of a crawl: batches in order, results back on the reactor, failures
counted, and a process that exits even when its reactor stops with uploads still queued.

Each case runs in a process of its own, as a crawl does: a Twisted reactor is one per process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from e2e import REPO

SCRIPT = textwrap.dedent("""
    import json, sys, threading, time
    from twisted.internet import reactor
    from pipelines.publisher import ThreadPublisher

    case = sys.argv[1]
    reactor_thread = threading.get_ident()
    seen, errors, done_threads = [], [], set()
    publisher = ThreadPublisher(on_error=lambda exc: errors.append(str(exc)))

    def job(n, seconds=0.0, fail=False):
        def run():
            time.sleep(seconds)
            if fail:
                raise OSError(f"disk full at {n}")
            return n
        return run

    def done(n):
        done_threads.add(threading.get_ident() == reactor_thread)
        seen.append(n)

    def report():
        print(json.dumps({"seen": seen, "errors": errors, "failures": publisher.failures,
                          "pending": publisher.pending, "on_reactor": sorted(done_threads)}))

    if case == "order":
        # the first batch is the slowest: the others still wait for it, in the order given
        for n, seconds, fail in ((1, 0.3, False), (2, 0.0, True), (3, 0.05, False), (4, 0.0, False)):
            publisher.submit(job(n, seconds, fail), done)
        def finished(_):
            report()
            publisher.stop()
            reactor.stop()
        reactor.callWhenRunning(lambda: publisher.drained().addCallback(finished))
        reactor.run()
    elif case == "stopped":
        # stopped at once (a second Ctrl-C): the queued upload must not keep the process alive
        publisher.submit(job(1, 30.0), done)
        reactor.callLater(0.2, reactor.stop)
        reactor.run()
        report()
""")


def _run(case: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, case], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return done, json.loads(done.stdout.strip().splitlines()[-1])


def test_batches_are_published_in_order_and_reported_on_the_reactor_thread() -> None:
    _, result = _run("order")
    assert result["seen"] == [1, 3, 4]  # the failed batch reports nothing; the later ones go on
    assert result["errors"] == ["disk full at 2"] and result["failures"] == 1
    assert result["pending"] == 0 and result["on_reactor"] == [True]


def test_a_reactor_stopped_with_an_upload_queued_lets_the_process_exit() -> None:
    # the 30 s upload is not waited for: what it had not published was never reported as archived
    _, result = _run("stopped")
    assert result["seen"] == [] and result["pending"] == 1
