# SkillArena: `make run` starts the demo, `make test` runs every test this
# machine can run (see README.md).
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
NPM ?= npm
BIN := bin/skillarena
FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json frontend/tsconfig.json -type f 2>/dev/null)
GO_SRC := $(shell find . -name '*.go' -not -path './frontend/node_modules/*' 2>/dev/null) $(shell find migrations server/authz server/locales server/openapi.yaml -type f 2>/dev/null) go.mod go.sum

.PHONY: run build test test-go fuzz test-frontend test-browser lint frontend clean bench-exam

## run: build what changed and start the demo on http://127.0.0.1:8080
run: $(BIN)
	SKILLARENA_DEMO=1 SKILLARENA_LOG_FORMAT=text ./$(BIN) serve

## build: the server binary with the built browser app embedded
build: $(BIN)

$(BIN): frontend/.build-stamp $(GO_SRC)
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/skillarena

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund
	touch $@

# The stamp is newer than every frontend source once the build is current.
frontend/.build-stamp: frontend/node_modules/.package-lock.json $(FRONTEND_SRC)
	cd frontend && $(NPM) run build
	touch $@

frontend: frontend/.build-stamp

## test: Go tests (-race; MySQL too when SKILLARENA_TEST_MYSQL_DSN is set),
## the fuzz targets briefly, frontend unit tests, browser tests in Chromium
test: test-go fuzz test-frontend test-browser

test-go:
	$(GO) test -race -count=1 -timeout 45m ./...

# Every fuzz target, briefly: a regression in a parser or the sanitiser shows
# here. Raise FUZZTIME for a longer hunt. The budget is a count of executions,
# not a duration: Go 1.26's fuzz coordinator can report a spurious "context
# deadline exceeded" when a duration runs out (go.dev/issue/75804).
FUZZTIME ?= 20000x
fuzz:
	@for pkg in content exam server; do \
		for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$pkg/*_test.go | cut -d' ' -f2); do \
			echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run XXX -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2x ./$$pkg/ || exit 1; \
		done; \
	done

test-frontend: frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) test

# Browser tests need Debian's Chromium; under CI=true its absence fails.
test-browser: $(BIN)
	@if [ -x /usr/bin/chromium ]; then \
		cd frontend && $(NPM) run e2e; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but /usr/bin/chromium is missing: browser tests are required in CI" >&2; exit 1; \
	else \
		echo "skipping browser tests: /usr/bin/chromium not installed (apt-get install chromium)"; \
	fi

## lint: gofmt, go vet, vue-tsc
lint: frontend/node_modules/.package-lock.json
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	cd frontend && $(NPM) run typecheck

## bench-exam: the exam load generator against a fresh server on SQLite, and
## on a fresh MariaDB database when BENCH_MYSQL_DSN (default: the test DSN) is
## set; BENCH_N contestants, BENCH_ARGS for more flags (bin/benchexam local -h).
## Figures go in docs/PERFORMANCE.md ("Exam load"). Not part of `make test`.
BENCH_N ?= 10000
BENCH_ARGS ?=
BENCH_MYSQL_DSN ?= $(SKILLARENA_TEST_MYSQL_DSN)
bench-exam: $(BIN)
	CGO_ENABLED=0 $(GO) build -o bin/benchexam ./tools/benchexam
	./bin/benchexam local -bin $(BIN) -db sqlite -n $(BENCH_N) $(BENCH_ARGS)
	@if [ -n "$(BENCH_MYSQL_DSN)" ]; then \
		echo "./bin/benchexam local -bin $(BIN) -db '$(BENCH_MYSQL_DSN)' -n $(BENCH_N) $(BENCH_ARGS)"; \
		./bin/benchexam local -bin $(BIN) -db '$(BENCH_MYSQL_DSN)' -n $(BENCH_N) $(BENCH_ARGS); \
	fi

clean:
	rm -rf bin frontend/dist/app frontend/.build-stamp
