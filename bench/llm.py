"""LLM engine throughput against the fake Gemini, next to the lower bound the limits allow.

A 50-page novel slice is rendered to PDF and segmented by the pipeline; its sentences then go
through the ``gemini`` engine (the real google-genai SDK, real HTTP) to the fake server, which
answers after a fixed latency and counts every request that breaks the limits. The engine's
schedule is the production one, shared through Redis (``REDIS_URL``, default 127.0.0.1:6379).

    T_min = max(requests / RPM, tokens / TPM, ceil(requests / concurrency) × latency)

is the shortest wall time any client could achieve for the requests and tokens it used.

    python bench/llm.py [--pages 50] [--batch-sizes 1,10,20,40] [--latency 1.0]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the fake servers and the renderer live under tests/

from google import genai  # noqa: E402
from google.genai import types  # noqa: E402

from frenchnovel.config import Settings  # noqa: E402
from frenchnovel.pipeline.document import process_document  # noqa: E402
from frenchnovel.pipeline.options import JobOptions  # noqa: E402
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome  # noqa: E402
from frenchnovel.pipeline.rewrite.gemini import GeminiProvider, GeminiRewriter  # noqa: E402
from frenchnovel.pipeline.rewrite.llm import needs_model  # noqa: E402
from frenchnovel.pipeline.rewrite.ratelimit import Limits  # noqa: E402
from frenchnovel.pipeline.rewrite.ratelimit_redis import RedisLimiter  # noqa: E402
from tests.fakes import llm_server  # noqa: E402
from tests.fakes.llm_server import FakeLLM, FakeLLMServer  # noqa: E402
from tests.support.render import render_novel  # noqa: E402

MODEL = "gemini-2.5-flash"


class _Recorder:
    """A rewriter that only notes the sentences the pipeline hands it."""

    engine = model = "local"

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def rewrite(
        self, sentences: Sequence[str], options: JobOptions, *, cancelled: CancelCheck | None = None
    ) -> RewriteOutcome:
        self.sentences.extend(sentences)
        return RewriteOutcome([[s] for s in sentences])


def novel_sentences(pages: int) -> list[str]:
    """The sentences of a rendered ``pages``-page slice of Bel-Ami, as the pipeline finds them."""
    with tempfile.TemporaryDirectory() as tmp:
        novel = render_novel("maupassant", pages=pages, out=Path(tmp) / "slice.pdf")
        recorder = _Recorder()
        process_document(novel.path, JobOptions(), settings=Settings(), rewriter=recorder)
    return recorder.sentences


def run(fake: FakeLLM, sentences: list[str], batch: int, args: argparse.Namespace) -> list[str]:
    """One timed pass at ``batch`` sentences per request; returns the table row."""
    fake.clear()
    limits = Limits(args.rpm, args.tpm, args.concurrency)
    client = genai.Client(
        api_key="bench-key",
        http_options=types.HttpOptions(
            base_url=fake.gemini_url, retry_options=types.HttpRetryOptions(attempts=1)
        ),
    )
    # A fresh schedule per pass, so one pass's minute does not slow the next one down.
    limiter = RedisLimiter.from_url(args.redis_url, f"bench:llm:{uuid.uuid4().hex}", limits)
    rewriter = GeminiRewriter(
        GeminiProvider(client, MODEL), limiter, batch_size=batch, concurrency=args.concurrency
    )
    options = JobOptions(engine="gemini")
    started = time.perf_counter()
    outcome = rewriter.rewrite(sentences, options)
    wall = time.perf_counter() - started
    requests, tokens = len(fake.requests), fake.usage
    bounds = (
        requests / args.rpm * 60,
        tokens / args.tpm * 60,
        math.ceil(requests / args.concurrency) * args.latency,
    )
    t_min = max(bounds)
    breaches = fake.breaches
    return [
        str(batch),
        str(requests),
        f"{tokens:,}",
        *(f"{bound:.1f}" for bound in bounds),
        f"{t_min:.1f}",
        f"{wall:.1f}",
        f"{wall / t_min:.3f}",
        f"{breaches.requests_per_minute}/{breaches.tokens_per_minute}/{breaches.concurrency}",
        str(fake.max_in_flight),
        str(outcome.fallbacks),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--batch-sizes", default="1,10,20,40")
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--rpm", type=int, default=300)
    parser.add_argument("--tpm", type=int, default=200_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    args = parser.parse_args()

    sentences = novel_sentences(args.pages)
    sent = sum(needs_model(s, JobOptions()) for s in sentences)
    print(
        f"{args.pages} pages of Bel-Ami: {len(sentences)} sentences, {sent} over the limit of 8 "
        f"words; fake Gemini with {args.latency:g} s latency; limits {args.rpm} requests/min, "
        f"{args.tpm:,} tokens/min, concurrency {args.concurrency}"
    )
    header = [
        "batch",
        "requests",
        "tokens",
        "T_req s",
        "T_tok s",
        "T_conc s",
        "T_min s",
        "wall s",
        "wall/T_min",
        "over rpm/tpm/conc",
        "max in flight",
        "fallbacks",
    ]
    rows = [header]
    with FakeLLMServer(latency=args.latency, api_key="bench-key") as fake:
        fake.limits = llm_server.Limits(args.rpm, args.tpm, args.concurrency)
        for batch in (int(b) for b in args.batch_sizes.split(",")):
            rows.append(run(fake, sentences, batch, args))
            print("  done: batch", batch, file=sys.stderr)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
