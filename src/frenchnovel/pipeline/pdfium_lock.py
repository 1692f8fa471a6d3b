"""One lock for every PDFium call in the process.

PDFium is not thread-safe: two threads inside it at once, even on different documents, corrupt
each other (documents fail to load, pages read as empty). The API validates and extracts uploads
in its thread pool, so every use of PDFium holds ``PDFIUM`` for the document's open, each page
read and the close. Worker processes have their own PDFium and their own lock.
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()
"""Held around every PDFium call; re-entrant, so helpers may take it again."""
