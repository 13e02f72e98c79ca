"""The language of each article, detected from its extracted text, against the corpora's labels.

Every page of ../shared/corpora whose row names its language (fundus_publisher_tests: `language`;
newspaper4k_tests: `expected.language`) goes through `extract_fields` with the default options; the
record's `language` is compared with the label (its primary subtag). Printed per corpus: pages,
agreement, how often the page's own claim (`language_declared`) agreed, and the pages that disagree.

The detector's cost is measured side by side with the extraction it is part of, in this process, over
the same texts: `detect` alone against `extract_fields` per page (a ratio; these machines are shared
and noisy, absolute times are not comparable from run to run).

    .venv/bin/python bench/language.py
    .venv/bin/python bench/language.py --json /tmp/language.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
LABELLED = ("fundus_publisher_tests", "newspaper4k_tests")


def labelled_pages(corpus: str) -> Iterator[tuple[str, str, bytes, str]]:
    """(id, url, html, label) of each page of `corpus` whose language is labelled."""
    folder = CORPORA / corpus
    for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        label = row.get("language") or (row.get("expected") or {}).get("language")
        if isinstance(label, list):
            label = label[0] if label else None
        if not label:
            continue
        raw = (folder / row["html_path"]).read_bytes()
        body = gzip.decompress(raw) if row.get("html_compression", "gzip") == "gzip" else raw
        url = row.get("url") if str(row.get("url", "")).startswith("http") else f"https://example.org/{row['id']}"
        yield str(row["id"]), url, body, str(label).split("-")[0].lower()


def measure(corpus: str) -> dict[str, Any]:
    from pipelines.extract.fields import NotAnArticle, extract_fields
    from pipelines.extract.language import detect
    from pipelines.extract.options import ExtractOptions

    options = ExtractOptions()
    pages = agreed = declared_agreed = 0
    extract_cpu = detect_cpu = 0.0
    wrong: list[dict[str, Any]] = []
    for page_id, url, body, label in labelled_pages(corpus):
        started = time.process_time()
        try:
            fields = extract_fields(url, body, {"content-type": "text/html"}, options)
        except NotAnArticle:
            continue
        extract_cpu += time.process_time() - started
        started = time.process_time()
        detect(fields["text"])
        detect_cpu += time.process_time() - started
        pages += 1
        agreed += fields["language"] == label
        declared = (fields["language_declared"] or "").split("-")[0].lower()
        declared_agreed += declared == label
        if fields["language"] != label:
            wrong.append({"id": page_id, "label": label, "detected": fields["language"],
                          "confidence": fields["language_confidence"], "declared": fields["language_declared"]})
    return {"corpus": corpus, "pages": pages, "agreement": agreed / pages if pages else None,
            "declared_agreement": declared_agreed / pages if pages else None,
            "detect_ms_per_page": 1000 * detect_cpu / pages if pages else None,
            "detect_share_of_extraction": detect_cpu / extract_cpu if extract_cpu else None, "disagree": wrong}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"language: needs {CORPORA}", file=sys.stderr)
        return 2
    from pipelines.extract.language import load_model

    load_model()  # as the extraction forkserver does, before any page
    results = [measure(corpus) for corpus in LABELLED]
    total = sum(r["pages"] for r in results)
    overall = sum(r["agreement"] * r["pages"] for r in results) / total
    print(f"{'corpus':<24} {'pages':>5}  {'detected':>8}  {'declared':>8}  {'detect ms':>9}  {'of extraction':>13}")
    for r in results:
        print(f"{r['corpus']:<24} {r['pages']:>5}  {r['agreement']:>8.3f}  {r['declared_agreement']:>8.3f}  "
              f"{r['detect_ms_per_page']:>9.2f}  {r['detect_share_of_extraction']:>12.1%}")
    print(f"{'all':<24} {total:>5}  {overall:>8.3f}")
    for r in results:
        for miss in r["disagree"]:
            print(f"  {r['corpus']}/{miss['id']}: label {miss['label']}, detected {miss['detected']} "
                  f"({miss['confidence']}), declared {miss['declared']}")
    if args.json:
        args.json.write_text(json.dumps({"corpora": results, "agreement": overall}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
