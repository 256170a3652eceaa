"""The knowledge base: schema migrations, the store, and Arabic-aware search (SQLite + FTS5 by
default; PostgreSQL for a ``postgresql://`` URL, ``rasid.kb.postgres``)."""
