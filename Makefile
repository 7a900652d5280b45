# Newsline. The two commands a newcomer needs:
#   make run    build and run `newsline dev --testsite` (private PostgreSQL and Redis under ./var)
#   make test   start PostgreSQL and Redis if needed (installing them if missing), vet, run every test

GO        ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
GOFMT     ?= $(shell $(GO) env GOROOT)/bin/gofmt
BIN       := bin/newsline
RUN_ARGS  ?= --testsite
TEST_ARGS ?=

.PHONY: run build test test-short services vet lint imports clean

build:
	$(GO) build -o $(BIN) ./cmd/newsline

run: build
	./$(BIN) dev $(RUN_ARGS)

# NORACE_TESTS run without the race detector, in a second `go test`: they
# are single-goroutine CPU work (the extraction benchmark over the shared data
# sets) that -race slows about tenfold; the extract package's own tests still
# run the same code under -race.
NORACE_TESTS := ^TestExtractDataSets$$
NORACE_PKGS  := ./cmd/newsline/internal/bench

# -parallel 4: the tests that call t.Parallel mostly wait (servers, crawls,
# a worker's lease running out), so more of them than the 2 cores overlap.
#
# scripts/test-services.sh prints the environment the tests need (database
# and Redis URLs) after making sure both servers answer.
test:
	@set -e; eval "$$(scripts/test-services.sh)"; \
	echo "go vet ./..."; $(GO) vet ./...; \
	export NEWSLINE_REQUIRE_AUDIO=1 NEWSLINE_REQUIRE_DEPLOY=1 NEWSLINE_REQUIRE_BROWSER=1; \
	echo "go test -race -parallel 4 -skip '$(NORACE_TESTS)' ./..."; \
	$(GO) test -race -timeout 20m -parallel 4 -skip '$(NORACE_TESTS)' $(TEST_ARGS) ./...; \
	echo "go test -run '$(NORACE_TESTS)' $(NORACE_PKGS)"; \
	$(GO) test -timeout 20m -run '$(NORACE_TESTS)' $(TEST_ARGS) $(NORACE_PKGS)

test-short:
	@set -e; eval "$$(scripts/test-services.sh)"; $(GO) test -short ./...

services:
	@scripts/test-services.sh >/dev/null

vet:
	$(GO) vet ./...

# lint is what CI runs before the tests: go vet, gofmt (any file it lists
# fails the build), the import direction and staticcheck at the version
# go.mod pins as a tool.
lint: vet imports
	@echo "gofmt -l ."; out="$$($(GOFMT) -l .)"; \
	if [ -n "$$out" ]; then echo "$$out"; echo "gofmt: run gofmt -w on the files above"; exit 1; fi
	$(GO) tool staticcheck ./...

# imports checks that imports point one way (CONTRIBUTING.md, "Layout").
imports:
	@GO=$(GO) scripts/check-imports.sh

clean:
	rm -rf bin
