# French Novel Tool — every command a newcomer runs. `make help` lists them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup services chromium test test-fast lint typecheck format serve worker beat flower \
        tesseract bench-pipeline bench-ocr-service bench-books bench-quality bench-service bench-storage-reads bench-llm bench-estimate bench-load bench-decks bench-fairness reliability-report clean

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-20s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv, install the package with its dev extras, and Tesseract
	@bash scripts/tesseract.sh

services: ## Make sure PostgreSQL and Redis answer on 127.0.0.1 (starts them when needed)
	@bash scripts/services.sh

chromium: ## Install Debian's Chromium and the DejaVu fonts the tests need, when missing
	@bash scripts/chromium.sh

tesseract: ## Install Debian's Tesseract and its French model (OCR of scans), when missing
	@bash scripts/tesseract.sh

test: setup services chromium tesseract ## Set everything up and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup ## Unit tests only (no services needed)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

lint: setup ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

serve: setup ## Start the service at http://localhost:5000 (SQLite + embedded Redis + worker + beat)
	$(BIN)/frenchnovel serve --host 127.0.0.1 --port 5000

worker: setup ## Start a Celery worker (needs REDIS_URL)
	$(BIN)/frenchnovel worker

beat: setup ## Start Celery beat (cleanup and reaper)
	$(BIN)/frenchnovel beat

flower: setup ## Start Flower on port 5555
	$(BIN)/frenchnovel flower

bench-pipeline: setup ## Pages/s of extract and of the whole pipeline, 1 and 2 workers, peak memory; OCR
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/ocr.py

bench-ocr-service: setup services ## A 50-page scan through the service, 2 workers, vs its OCR time / 2
	$(BIN)/python bench/ocr_service.py

bench-books: setup ## EPUB and PDF books: word recall and chapters found, per tool that made them
	$(BIN)/python bench/books.py

bench-quality: setup ## Segmentation F1, rewriting quality against references, the parser on literary French
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/parser.py

bench-decks: setup ## Learning sets: cover (greedy, solver, bound, time) on 4 novels, drill figures, lemma matching
	$(BIN)/python bench/decks.py

bench-service: setup services ## Service wall time vs in-process, 202 latency, API memory, poll p50/p99; local dir vs S3 (moto)
	$(BIN)/python bench/service.py

bench-storage-reads: setup ## A worker's chunk from S3 (moto): the whole file once vs ranged GETs
	$(BIN)/python bench/storage_reads.py

bench-llm: setup services ## LLM engine throughput against the fake Gemini, vs the lower bound
	$(BIN)/python bench/llm.py

bench-estimate: setup ## Cost of counting every page for the estimate (2,000 pages) vs the old sample
	$(BIN)/python bench/estimate_cost.py

bench-load: setup services ## /health and poll latency while 45 uploads and 50 estimates wait (a real serve)
	$(BIN)/python bench/load.py

bench-fairness: setup services ## A 20-page job's time behind another reader's 600-page book vs on idle workers
	$(BIN)/python bench/fairness.py

reliability-report: setup services ## Run the reliability suites and print one table
	$(BIN)/python bench/reliability_report.py

clean: ## Remove caches, build output and local state (keeps .venv)
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist var tests/browser/artifacts
