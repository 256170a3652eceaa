# rasid — the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= $(CURDIR)/rasid-demo.db
PORT   ?= 8000

.PHONY: install demo test eval bench bench-scale clean

install: $(BIN)/rasid

$(BIN)/rasid: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/rasid

demo: install
	@echo "== ingesting the bundled sample articles (examples/articles) into $(DB)"
	$(BIN)/rasid ingest examples/articles --db $(DB)
	@echo
	$(BIN)/rasid stats --db $(DB)
	@echo
	@echo "== query it from another terminal:"
	@echo "   $(BIN)/rasid search السلاح --db $(DB)"
	@echo "   $(BIN)/rasid search 'تبادل الأسرى' --db $(DB)"
	@echo "   $(BIN)/rasid show 004_b91d946e27faddc9 --db $(DB)"
	@echo "   $(BIN)/rasid export --format acled-csv --db $(DB) -o events.csv"
	@echo
	@echo "== the web UI is at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/rasid serve --db $(DB) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q
	$(BIN)/python eval/gate.py
	$(BIN)/python eval/semantic_eval.py --min 0.85

eval: install
	$(BIN)/python eval/gate.py --report
	$(BIN)/python eval/semantic_eval.py

bench: install
	$(BIN)/python bench/bench.py
	$(BIN)/python scripts/bench_ner.py --model crf --workers 1
	$(BIN)/python scripts/bench_ner.py --model crf
	$(BIN)/python scripts/bench_ner.py --model accurate

bench-scale: install
	$(BIN)/python bench/scale.py --sizes 100,1000,10000 --workers 2 --load-articles 10000

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info rasid-demo.db
