"""The knowledge base: schema migrations, the store, and Arabic-aware search (SQLite + FTS5)."""
