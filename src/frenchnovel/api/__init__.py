"""The HTTP API (FastAPI): ``create_app()`` in ``app.py``, a module per resource in ``routes/``."""
