// Package deploy holds the production-shaped deployment files of the
// iGlowly Assistant and the tests that keep them true to the code: the
// NATS cluster configuration in nats/, Vault's configuration, policies
// and set-up script in vault/, the secret generator gen-secrets.sh, and,
// at the repository root, the Dockerfile and docker-compose.yml. It has
// no Go API; see docs/operations.md and docs/vault.md.
package deploy
