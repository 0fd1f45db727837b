# make run  — set up .venv (if missing) and run the batch over the bundled sample corpus
# make test — set up and run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/samples

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: setup
	@$(BIN)/reportnlp batch corpora/samples -o $(OUT); rc=$$?; \
	echo "outputs: $(OUT)/json/ (one JSON per report), $(OUT)/*.parquet, $(OUT)/errors.jsonl, $(OUT)/summary.json"; \
	echo "query:   $(BIN)/reportnlp query $(OUT) 'select name, agency, year, failed_checks from reports'"; \
	exit $$rc

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) out .pytest_cache
