#!/usr/bin/env bash
# gen-secrets.sh writes the secrets of the docker-compose demo into
# deploy/secrets/ (or the folder given as the first argument):
#   nats.env        for the NATS nodes: every component password, the route
#                   credentials and the JetStream encryption key
#   <component>.env IGLOWLY_NATS_PASSWORD of one component, one file each,
#                   so no container holds another component's password
#   vault.env       the root token of the dev-mode Vault
#   session.key     the edge's session signing key (32 random bytes)
#   address.key     the edges' key for hashing client addresses (32 random
#                   bytes, a secret of its own)
# It refuses to overwrite: a new JetStream key would make the stored
# clinic configuration unreadable. Delete the folder to start over.
#
# Secrets are letters only: nats-server parses the value of a $VAR
# reference as a config token, and letters always stay a string.
#
# TODO(#4): read these from Vault instead of files.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
if [ -e "$out/nats.env" ]; then
	echo "gen-secrets: $out already holds secrets; remove it to rotate" >&2
	exit 1
fi

secret() {
	local s
	s="$(head -c 2048 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z')"
	if [ "${#s}" -lt 40 ]; then
		echo "gen-secrets: not enough randomness" >&2
		exit 1
	fi
	printf '%s' "${s:0:40}"
}

umask 077
mkdir -p "$out"
chmod 700 "$out"

route="$(secret)"
{
	echo "# NATS nodes only. Written by deploy/gen-secrets.sh."
	for c in edge sanitiser inference response admin; do
		pw="$(secret)"
		upper="$(printf '%s' "$c" | tr '[:lower:]' '[:upper:]')"
		echo "${upper}_NATS_PASSWORD=$pw"
		printf 'IGLOWLY_NATS_PASSWORD=%s\n' "$pw" >"$out/$c.env"
	done
	echo "NATS_ROUTE_PASSWORD=$route"
	for n in 1 2 3; do
		echo "NATS_ROUTE_$n=nats-route://route:$route@nats-$n:6222"
	done
	echo "JETSTREAM_KEY=$(secret)"
} >"$out/nats.env"
printf 'VAULT_DEV_ROOT_TOKEN_ID=%s\n' "$(secret)" >"$out/vault.env"

# The key is bind-mounted into the edge, which runs as an unprivileged
# user: the file must be readable by it. The folder (0700) keeps other
# users of this host out.
head -c 32 /dev/urandom >"$out/session.key"
head -c 32 /dev/urandom >"$out/address.key"
chmod 644 "$out/session.key" "$out/address.key"
echo "gen-secrets: wrote $out"
