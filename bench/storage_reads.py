"""How a worker should read its chunk from the object store: the whole file once, or ranged GETs.

Renders a novel, stores it in a bucket of moto's S3 server (a process of its own on 127.0.0.1),
then for one chunk of ``--chunk`` pages in the middle of the book measures both ways of reading
its pages' text with PDFium:

- ``download``: ``S3Store.local_copy`` (one HEAD, one GET or ranged parts of 8 MB) to a scratch
  file, PDFium on the file;
- ``ranged``: PDFium on a file-like object whose reads are ranged GETs of ``--block`` bytes,
  each block fetched once (PDFium reads the trailer, the cross-reference table and each page's
  objects, wherever they are in the file).

Prints requests, bytes transferred and wall time of each, median of ``--runs``.

    .venv/bin/python bench/storage_reads.py [--pages 300] [--chunk 50] [--block 65536]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frenchnovel.pipeline.layout import read_page
from frenchnovel.storage.s3_store import S3Store
from tests.support.render import render_novel
from tests.support.s3 import CREDENTIALS, FaultProxy, MotoServer


class RangedFile(io.RawIOBase):
    """A read-only, seekable view of one object, read by ranged GETs of ``block`` bytes."""

    def __init__(self, client: Any, bucket: str, key: str, block: int) -> None:
        self.client, self.bucket, self.key, self.block = client, bucket, key, block
        self.size = int(client.head_object(Bucket=bucket, Key=key)["ContentLength"])
        self.position = 0
        self.blocks: dict[int, bytes] = {}
        self.transferred = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = base + offset
        return self.position

    def _block(self, index: int) -> bytes:
        if index not in self.blocks:
            start = index * self.block
            end = min(self.size, start + self.block) - 1
            answer = self.client.get_object(
                Bucket=self.bucket, Key=self.key, Range=f"bytes={start}-{end}"
            )
            self.blocks[index] = answer["Body"].read()
            self.transferred += len(self.blocks[index])
        return self.blocks[index]

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), self.size - self.position)
        done = 0
        while done < wanted:
            index, offset = divmod(self.position, self.block)
            data = self._block(index)[offset : offset + wanted - done]
            buffer[done : done + len(data)] = data
            done += len(data)
            self.position += len(data)
        return done


def read_chunk(pdf: pdfium.PdfDocument, first: int, last: int) -> int:
    return sum(len(read_page(pdf, n).lines) for n in range(first, last + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--block", type=int, default=64 * 1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.update({k: os.environ.get(k, v) for k, v in CREDENTIALS.items()})

    work = Path(tempfile.mkdtemp(prefix="bench-reads-"))
    novel = render_novel("flaubert", pages=args.pages, out=work / "novel.pdf").path
    size = novel.stat().st_size
    server = MotoServer.start(log=work / "moto.log")
    proxy = FaultProxy(server.url)  # counts the requests
    try:
        bucket = server.new_bucket()
        store = S3Store(bucket, "bench", work / "scratch", endpoint_url=proxy.url)
        store.put_file("job/source.pdf", novel)
        first = args.pages // 2 - args.chunk // 2
        last = first + args.chunk - 1
        rows: dict[str, list[tuple[float, int, int]]] = {"download": [], "ranged": []}
        for _ in range(args.runs):
            proxy.clear()
            started = time.perf_counter()
            with store.local_copy("job/source.pdf") as path:
                pdf = pdfium.PdfDocument(str(path))
                read_chunk(pdf, first, last)
                pdf.close()
            rows["download"].append((time.perf_counter() - started, len(proxy.seen()), size))

            proxy.clear()
            started = time.perf_counter()
            ranged = RangedFile(store.client, bucket, store.name("job/source.pdf"), args.block)
            pdf = pdfium.PdfDocument(ranged)
            read_chunk(pdf, first, last)
            pdf.close()
            wall = time.perf_counter() - started
            rows["ranged"].append((wall, len(proxy.seen()), ranged.transferred))
    finally:
        proxy.close()
        server.stop()
    print(
        f"\nA {args.chunk}-page chunk (pages {first}-{last}) of a {args.pages}-page PDF of "
        f"{size / 1e6:.1f} MB on moto's S3 server, 127.0.0.1, median of {args.runs}; "
        f"ranged blocks of {args.block // 1024} KB"
    )
    print(f"{'way':10} | {'wall':>8} | {'requests':>8} | {'bytes':>10}")
    for way, runs in rows.items():
        wall = statistics.median(r[0] for r in runs)
        requests = statistics.median(r[1] for r in runs)
        transferred = statistics.median(r[2] for r in runs)
        print(f"{way:10} | {wall:7.3f}s | {requests:8.0f} | {transferred / 1e6:8.2f}MB")


if __name__ == "__main__":
    main()
