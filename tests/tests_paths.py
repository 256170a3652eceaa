from pathlib import Path

ARTICLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
