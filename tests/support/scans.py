"""Scanned books made from text PDFs: each page rasterised, degraded like a scan, image-only.

    scan_pdf(render_novel("verne", pages=20, out=tmp / "t.pdf").path, tmp / "scan.pdf", dpi=300)

A scan here is a page rendered by PDFium at ``dpi``, turned by a small angle, blurred, with
Gaussian noise and a few specks, stored as a JPEG-compressed grey image in a PDF with no text
layer, as a flatbed scanner's software would make it. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


@dataclass(frozen=True, slots=True)
class Degradation:
    """How rough the scanner is: rotation (degrees), blur radius (pixels at 300 dpi), noise."""

    max_angle: float = 0.8
    blur: float = 0.8
    noise: float = 12.0  # standard deviation of the grey noise, out of 255
    specks: int = 60  # dark dots per page
    jpeg_quality: int = 75


CLEAN = Degradation(max_angle=0.0, blur=0.0, noise=0.0, specks=0, jpeg_quality=95)


def scan_pdf(
    source: Path,
    out: Path,
    *,
    dpi: int = 300,
    degradation: Degradation | None = None,
    seed: int = 14,
    pages: range | None = None,
) -> Path:
    """Write ``out``: the pages of ``source`` (all, or ``pages``, 0-based) as degraded images."""
    rough = degradation or Degradation()
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(source))
    images: list[Image.Image] = []
    try:
        for index in pages or range(len(pdf)):
            page = pdf[index]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            images.append(_degrade(image, rough, dpi, rng, noise))
    finally:
        pdf.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    first, *rest = images
    first.save(out, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return out


def _degrade(
    image: Image.Image,
    rough: Degradation,
    dpi: int,
    rng: random.Random,
    noise: np.random.Generator,
) -> Image.Image:
    if rough.max_angle:
        angle = rng.uniform(-rough.max_angle, rough.max_angle)
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if rough.blur:
        image = image.filter(ImageFilter.GaussianBlur(rough.blur * dpi / 300))
    pixels = np.asarray(image, dtype=np.float32)
    if rough.noise:
        pixels = pixels + noise.normal(0.0, rough.noise, pixels.shape)
    if rough.specks:
        height, width = pixels.shape
        for _ in range(rough.specks):
            y, x = rng.randrange(height - 3), rng.randrange(width - 3)
            pixels[y : y + rng.randint(1, 3), x : x + rng.randint(1, 3)] = 40.0
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rough.jpeg_quality)  # what scanners store
    buffer.seek(0)
    return Image.open(buffer)
