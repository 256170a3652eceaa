"""Turning raw input (files, stdin, JSONL streams, HTML pages) into clean ``Document``s.

``read_inputs`` yields ``RawArticle``s or typed rejections; ``prepare`` cleans one article
(main-content extraction, boilerplate removal, title/outlet/date) into a ``Document``.
"""
from rasid.ingest.readers import RawArticle, Rejected, read_inputs, read_bytes
from rasid.ingest.prepare import prepare

__all__ = ["RawArticle", "Rejected", "read_inputs", "read_bytes", "prepare"]
