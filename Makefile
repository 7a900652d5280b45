# Newsline. The two commands a newcomer needs:
#   make run    build and run `newsline dev --testsite` (private PostgreSQL and Redis under ./var)
#   make test   start PostgreSQL and Redis if needed (installing them if missing), vet, run every test

GO        ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BIN       := bin/newsline
RUN_ARGS  ?= --testsite
TEST_ARGS ?=

.PHONY: run build test test-short services vet lint clean

build:
	$(GO) build -o $(BIN) ./cmd/newsline

run: build
	./$(BIN) dev $(RUN_ARGS)

# scripts/test-services.sh prints the environment the tests need (database
# and Redis URLs) after making sure both servers answer.
test:
	@set -e; eval "$$(scripts/test-services.sh)"; \
	echo "go vet ./..."; $(GO) vet ./...; \
	echo "go test -race ./..."; NEWSLINE_REQUIRE_AUDIO=1 $(GO) test -race -timeout 20m $(TEST_ARGS) ./...

test-short:
	@set -e; eval "$$(scripts/test-services.sh)"; $(GO) test -short ./...

services:
	@scripts/test-services.sh >/dev/null

vet:
	$(GO) vet ./...

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@latest ./...

clean:
	rm -rf bin
