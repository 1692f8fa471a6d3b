"""The pure pipeline: validate, plan, extract, segment, rewrite, merge (no database, no Celery)."""
