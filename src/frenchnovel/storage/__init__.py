"""Persistence: the database (models, engine, migrations), accounts and uploaded files."""
