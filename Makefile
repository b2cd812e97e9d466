# iGlowly Assistant. `make run` starts everything locally; `make test`
# runs every test. Both install what they need on a fresh machine.

GO      ?= go
BIN     := bin/iglowly
HTTP    ?= 127.0.0.1:8080
PKGS    := ./...

.PHONY: all build run test test-short vet bench eval-pii deps-test clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/iglowly

## run: build and start iglowly dev (embedded NATS, all workers, demo clinics)
run: build
	./$(BIN) dev --http $(HTTP)

## deps-test: install the browser the widget tests drive (Debian's chromium)
deps-test:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium for the widget's browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)

## test: vet, then every test with the race detector, then the secrets
## package against a real in-process Vault core (a module of its own:
## about 7 minutes to build the first time)
test: deps-test vet
	$(GO) test -race -count=1 -timeout 10m $(PKGS)
	cd config/secrets/vaulttest && $(GO) test -race -count=1 -timeout 10m ./...

test-short: vet
	$(GO) test -short -count=1 $(PKGS)

## bench: the pipeline, the HTTP echo floor, the sanitiser on one core,
## and the libraries' benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./bench/
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./workers/sanitiser/pii/
	$(GO) test -run '^$$' -bench . -benchmem ./workers/inference/... \
		./workers/sanitiser/triage/ ./workers/stage/ ./schemas/ ./edge/

## eval-pii: recall, precision and clean messages changed on the annotated
## set, then on the held-out and blind sets
eval-pii:
	@echo "== the annotated set (701 messages) =="
	@$(GO) run ./workers/sanitiser/pii/eval/cmd/evalpii -dir workers/sanitiser/pii/testdata/eval
	@echo; echo "== the held-out set (519 messages) =="
	@$(GO) run ./workers/sanitiser/pii/eval/cmd/evalpii -dir workers/sanitiser/pii/testdata/eval-heldout
	@echo; echo "== the blind set (456 messages; first scores in testdata/README.md) =="
	@$(GO) run ./workers/sanitiser/pii/eval/cmd/evalpii -dir workers/sanitiser/pii/testdata/eval-blind

## nats-config: write deploy/nats/nats-N.conf, the NATS configuration of
## the compose cluster, with "iglowly nats-config" from embedded.Permissions;
## go test ./deploy fails when a committed file differs from what it writes.
## NATS_TLS is where each node's container mounts its deploy/secrets/tls/<node>/;
## NATS_REPLICAS gives each compose replica its own user (edge-1, edge-2, ...);
## NATS_AUTH is the secrets file the nats-auth job writes from Vault, beside
## the configurations' folder (docker-compose.yml runs the job with the same
## replicas and routes); NATS_LOGS is where each node logs, for the security
## relay to read the permission violations from
NATS_ROUTES   := nats-1:6222,nats-2:6222,nats-3:6222
NATS_TLS      := /etc/nats-tls
NATS_REPLICAS := edge=2,sanitiser=2,inference=2,response=2
NATS_AUTH     := ../nats-auth/auth.conf
NATS_LOGS     := /var/log/nats
.PHONY: nats-config
nats-config:
	@for n in 1 2 3; do \
		$(GO) run ./cmd/iglowly nats-config --name nats-$$n --routes $(NATS_ROUTES) \
			--tls-cert $(NATS_TLS)/server.pem --tls-key $(NATS_TLS)/server-key.pem \
			--tls-ca $(NATS_TLS)/ca.pem --tls-verify \
			--route-tls-cert $(NATS_TLS)/route.pem --route-tls-key $(NATS_TLS)/route-key.pem \
			--route-tls-ca $(NATS_TLS)/ca.pem --replicas $(NATS_REPLICAS) \
			--security-relay --secrets-file $(NATS_AUTH) --log-file $(NATS_LOGS)/nats-$$n.log \
			--out deploy/nats/nats-$$n.conf || exit 1; \
	done

clean:
	rm -rf bin
