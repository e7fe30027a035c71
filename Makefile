# frontline: build, run and test.
GO ?= go

.PHONY: run test bench vet build lint

# Run the service on the embedded default line and demo units.
run:
	$(GO) run ./cmd/frontline serve

# Everything CI checks: formatting, vet, and the tests.
test: lint
	$(GO) test ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

vet:
	$(GO) vet ./...

build:
	$(GO) build -o frontline ./cmd/frontline

# Benchmarks of the engine and the store (see docs/PERFORMANCE.md).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./geo/ ./store/sqlite/
