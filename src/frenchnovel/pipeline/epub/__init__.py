"""EPUB input: a ZIP archive read safely, its package, its XHTML text, a paged source."""
