"""PDFs that are memory or time bombs for anything that rasterises: a page with a huge image.

Each holds a line of real French text (so it has a text layer) and one image XObject drawn on
the page: a 30,000 × 30,000 greyscale image whose Flate stream inflates to 900 MB, or a
35,000 × 35,000 JBIG2 image. Text extraction must never decode them.
"""

from __future__ import annotations

import zlib
from pathlib import Path

TEXT = (
    "Il était une fois un pauvre bûcheron qui vivait au bord d'une grande forêt avec sa femme "
    "et ses deux enfants, et qui n'avait jamais assez de pain pour les nourrir tous."
)


def _deflated_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.compress(bytes(size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


def objects_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1, the first the catalogue) with its xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf(image_dict: bytes, image_data: bytes) -> bytes:
    content = (
        b"BT /F1 11 Tf 40 760 Td (" + TEXT.encode("latin-1") + b") Tj ET\n"
        b"q 500 0 0 500 40 100 cm /Im1 Do Q\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        image_dict[:-2] + b" /Length %d >>\nstream\n" % len(image_data) + image_data
        + b"\nendstream",
    ]  # fmt: skip
    return objects_pdf(objects)


def huge_image_pdf(out: Path, side: int = 30_000) -> Path:
    """A page with a ``side`` × ``side`` 8-bit image (``side``² bytes once inflated)."""
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode >>" % (side, side)
    )
    out.write_bytes(_pdf(image, _deflated_zeros(side * side)))
    return out


def jbig2_pdf(out: Path, side: int = 35_000) -> Path:
    """A page with a ``side`` × ``side`` JBIG2 image (a 153 MB bitmap once decoded)."""
    # A generic region segment header claiming the whole page, followed by junk: a decoder
    # would allocate the page bitmap before finding out.
    segment = (
        b"\x00\x00\x00\x00\x30\x00\x01\x00\x00\x00\x13"
        + side.to_bytes(4, "big")
        + side.to_bytes(4, "big")
        + bytes(8)
        + b"\x00"
        + bytes(64)
    )
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 1 /Filter /JBIG2Decode >>" % (side, side)
    )
    out.write_bytes(_pdf(image, segment))
    return out
