// Package vaulttest tests package secrets against a real Vault core
// (github.com/hashicorp/vault v1.13.0) running in the test process, with
// the KV v2, transit and AppRole engines that production uses. It is a
// module of its own so that Vault's ≈226 modules stay out of the main
// module: `make test` runs it with `cd config/secrets/vaulttest && go test
// ./...`.
package vaulttest
