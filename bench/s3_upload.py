"""Upload throughput of the S3 archive against moto's S3 server on loopback, vs a local folder.

Publishes the same staged files through S3Store (moto's server on 127.0.0.1, over HTTP, in this
process) and through FSStore (temp file + rename) and prints MB/s and parts/s for each, and their
ratio. Two shapes: many small parts (the JSONL/WARC parts of a quick crawl) and one large part
(above the multipart threshold: boto3's transfer manager). moto keeps objects in memory and shares
this process's CPU with the client, so the S3 figures are a floor for the client side, not a
prediction for AWS.

    .venv/bin/python bench/s3_upload.py [--small N] [--small-kib K] [--large-mib M]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

from moto.server import ThreadedMotoServer

from archive import FSStore, S3Store
from archive.s3 import DEFAULT_MULTIPART_THRESHOLD

MiB = 2**20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stage(store: FSStore | S3Store, key: str, payload: bytes) -> Path:
    staged = store.staging_path(key)
    staged.write_bytes(payload)
    return staged


def publish_all(store: FSStore | S3Store, files: dict[str, bytes]) -> float:
    """Seconds to publish every file (staging, i.e. writing the local file, is not timed)."""
    staged = {key: stage(store, key, payload) for key, payload in files.items()}
    start = time.perf_counter()
    for key, path in staged.items():
        store.publish(path, key)
    return time.perf_counter() - start


def report(name: str, files: dict[str, bytes], timings: dict[str, float]) -> None:
    total = sum(map(len, files.values())) / MiB
    print(f"\n{name}: {len(files)} part(s), {total:.1f} MiB")
    for backend, seconds in timings.items():
        print(f"  {backend:<6} {total / seconds:8.1f} MB/s  {len(files) / seconds:8.1f} parts/s  ({seconds:.2f} s)")
    print(f"  S3 / folder: {timings['folder'] / timings['s3']:.3f} of the folder's throughput")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=200, help="number of small parts")
    parser.add_argument("--small-kib", type=int, default=64, help="size of each small part")
    parser.add_argument("--large-mib", type=int, default=64, help="size of the large part")
    args = parser.parse_args(argv)

    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    work = Path(tempfile.mkdtemp(prefix="newsvault-bench-"))
    try:
        endpoint = f"http://127.0.0.1:{port}"
        s3 = S3Store("bench", "archive", endpoint_url=endpoint, spool_dir=work / "spool")
        s3.client.create_bucket(Bucket="bench")
        folder = FSStore(work / "folder")
        print(f"moto S3 server at {endpoint}; multipart above {DEFAULT_MULTIPART_THRESHOLD // MiB} MiB")

        small = {f"articles/source=bench/date=2026-11-26/run-{i:05d}.jsonl.gz": os.urandom(args.small_kib * 1024)
                 for i in range(args.small)}
        large = {"snapshots/source=bench/date=2026-11-26/run-99999.warc.gz": os.urandom(args.large_mib * MiB)}
        shapes: list[tuple[str, dict[str, bytes]]] = [
            (f"many small parts ({args.small_kib} KiB each)", small), ("one large part (multipart)", large),
        ]
        for name, files in shapes:
            timings = {"folder": publish_all(folder, files), "s3": publish_all(s3, files)}
            for key, payload in files.items():  # what arrived is what was sent
                assert s3.stored_sha256(key) is not None and len(s3.get_bytes(key)) == len(payload)
            report(name, files, timings)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
