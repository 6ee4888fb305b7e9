# The interface: a person, CI (.ci/run) and the nightly scheduler call these targets.
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DOCS_ASSETS := .vendor/datadocs

.PHONY: install run test lint fonts ocr-tools browser screenshots clean corpus fidelity scans-fidelity benchmark

## install: the pinned environment (uv.lock) in .venv; uv itself comes from PyPI; the
## Data Docs' scripts and styles from the npm registry (pinned in quality/docs_assets.py)
install: $(VENV)/.installed $(DOCS_ASSETS)/.fetched.json

.uv/bin/uv:
	python3 -m venv .uv
	.uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: these machines set PYTHONDONTWRITEBYTECODE, so a venv without
# precompiled bytecode recompiles every import on every command (GX: 14.7 s CPU vs 6.6 s)
$(VENV)/.installed: pyproject.toml uv.lock .uv/bin/uv
	$(UV) sync --frozen --quiet --compile-bytecode
	touch $@

$(DOCS_ASSETS)/.fetched.json: quality/docs_assets.py $(VENV)/.installed
	$(BIN)/python -m quality.docs_assets fetch $(DOCS_ASSETS)

## run: ingest the bundled sample reports, build, check and export
run: install ocr-tools
	$(BIN)/cchc run

## lint: ruff on Python, sqlfluff on every SQL file (models, analyses, singular tests)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --processes 0 models analyses tests

## test: lint, then the whole pytest suite (real DuckDB, real dbt build, real GX), one
## worker per core; a test file stays on one worker (its module fixtures are shared)
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: lint fonts ocr-tools browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# the PDF tests write Vietnamese text with DejaVu Sans (Debian's fonts-dejavu-core)
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || \
		(apt-get update -qq && apt-get install -y -qq fonts-dejavu-core)

# scans and legacy files (ingest/readers/scan.py, legacy.py): tesseract with its
# Vietnamese data, pdftoppm, LibreOffice headless (Writer and Calc) from Debian
OCR_PACKAGES := tesseract-ocr tesseract-ocr-vie poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui
ocr-tools:
	@command -v tesseract >/dev/null && command -v pdftoppm >/dev/null && \
		command -v soffice >/dev/null && \
		tesseract --list-langs 2>/dev/null | grep -qx vie || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(OCR_PACKAGES))

## scans-fidelity: generated scans and .doc/.xls through ingest and build, scored (docs/FIDELITY.md)
scans-fidelity: install fonts ocr-tools
	$(BIN)/python -m tools.scans /tmp/cchc-scans

## browser: Debian's Chromium and ChromeDriver, for the dashboard's tests in a headless browser
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

## screenshots: the dashboard drawn by headless Chromium on the sample warehouse → docs/screenshots/
screenshots: install browser
	CCHC_SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q -p no:xdist \
		tests/python/test_dashboard.py tests/python/test_quality_report.py -k screenshot

## corpus: a variation corpus with ground truth (tools/corpus): make corpus N=200 SEED=7 OUT=DIR;
## the national one (every province's agencies, 2022–2026, mostly .docx/.xlsx):
## make corpus N=10000 CORPUS=national (written by JOBS processes, one per core)
N ?= 100
SEED ?= 7
CORPUS ?= variation
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
OUT ?= /tmp/cchc-corpus-$(CORPUS:variation=)$(SEED)-$(N)
corpus: install fonts
	@test -f $(OUT)/truth/documents.csv && echo "$(OUT) exists: reusing it" || \
		$(BIN)/python -m tools.corpus generate --out $(OUT) --n $(N) --seed $(SEED) \
		--jobs $(JOBS) $(if $(filter national,$(CORPUS)),--national)

## benchmark: the nightly at national scale, step by step (wall, CPU, peak RSS of every
## process), the plain-DuckDB ratio, the README queries, the next night adding ADD reports
## and a full rebuild (docs/BENCHMARKS.md "National scale"): make benchmark N=1000;
## the national corpus of N + ADD reports is generated when missing (BENCH_CORPUS=DIR: one
## of at least N + ADD reports, e.g. make corpus N=10700 CORPUS=national)
ADD ?= 700
BENCH_CORPUS ?=
benchmark: install fonts
	$(BIN)/python -m tools.benchmark --n $(N) --add $(ADD) --seed $(SEED) \
		$(if $(BENCH_CORPUS),--corpus $(BENCH_CORPUS)) --markdown /tmp/cchc-bench-$(N).md

## fidelity: the product on that corpus, scored per axis against its truth (docs/FIDELITY.md)
fidelity: corpus
	$(BIN)/python -m tools.corpus fidelity --corpus $(OUT)

clean:
	rm -rf warehouse exports reports target logs
