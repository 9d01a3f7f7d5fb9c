# Two commands do all set-up on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test install clean

$(BIN)/pressespiegel: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/pressespiegel

demo: install
	$(BIN)/pressespiegel run examples/ --db $(OUT)/demo.db
	$(BIN)/pressespiegel report --db $(OUT)/demo.db --out $(OUT)/pressespiegel.html
	$(BIN)/pressespiegel digest --db $(OUT)/demo.db --since 2026-11-16 --until 2026-11-20 --by published --out $(OUT)/digest.html
	$(BIN)/pressespiegel export --db $(OUT)/demo.db --what articles --format csv --out $(OUT)/articles.csv --no-text
	@echo
	@echo "Press review: $(abspath $(OUT)/pressespiegel.html)"
	@echo "Digest:       $(abspath $(OUT)/digest.html)   (what was new from 16 to 20 November 2026)"
	@echo "Database:     $(abspath $(OUT)/demo.db)   (open it with any SQLite tool)"
	@echo "Web app:      $(BIN)/pressespiegel serve --db $(OUT)/demo.db   (then open http://127.0.0.1:8000)"

# the Spark job's local-mode test needs PySpark (the spark extra; Java 17+ must be on the machine)
$(VENV)/.spark-installed: $(BIN)/pressespiegel
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	@touch $@

test: install $(VENV)/.spark-installed
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
