"""The REST API and the web UI it serves (FastAPI); thin over ``rasid.kb.queries``."""
