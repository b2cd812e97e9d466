#!/bin/sh
# init.sh is the vault-init job of docker-compose.yml: run by the
# hashicorp/vault image at every "docker compose up", it brings the
# demo's Vault to the state docs/vault.md describes, and changes nothing
# that is already there:
#   1. initialises Vault on its first start, with one unseal key, and
#      keeps that key, and nothing else, in $INIT_DIR (mode 0600);
#   2. unseals it when it is sealed (after every restart of Vault);
#   3. enables KV v2 at iglowly, transit with the key iglowly-storage,
#      and AppRole;
#   4. writes the policies of $POLICY_DIR (docs/vault.md's, word for
#      word) and one AppRole per component, with the role id and the
#      secret id of each replica that deploy/gen-secrets.sh wrote into
#      $APPROLE_DIR;
#   5. makes the session key ring, the admin-key pepper and the address
#      key inside Vault, once, and stores the model providers' API keys
#      found in $MODEL_KEYS_DIR.
#
# With --watch it is the vault-unsealer service instead: it only
# unseals Vault whenever it finds it sealed, every $WATCH_SECONDS (5),
# forever, so that a restart of the vault container alone leaves it
# sealed for seconds, not until the next "up". It needs the unseal key
# only, and makes no token.
#
# The root token is never kept. The first run uses the one that
# "vault operator init" answers; every later run makes a new one from
# the unseal key (generate-root) for its own set-up. Either lives in
# this shell's memory only and is revoked when the script exits, failed
# or not. A root-token file that an older version of this script left
# in $INIT_DIR is used once, then revoked and removed.
#
# DEMO SHORTCUT, NOT FOR PRODUCTION: the unseal key lies on the same host
# as the data it protects, and with it anyone on the host can make a root
# token. One host without a KMS or an HSM cannot do better. Production
# unseals with a KMS or HSM (a seal stanza, auto-unseal) or with several
# operators' key shares: see docs/vault.md, "Unsealing in production".
#
# It needs only the vault CLI and a POSIX shell (busybox in the image).
# No secret reaches its command lines or its output: values are passed
# to the CLI as @file or on standard input. The one exception is the
# one-time password of generate-root, which "-decode" takes only as
# -otp: on its own it reveals nothing, since the encoded token it
# decodes comes through standard input.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
INIT_DIR="${INIT_DIR:-/vault/init}"
APPROLE_DIR="${APPROLE_DIR:-/vault/approle}"
MODEL_KEYS_DIR="${MODEL_KEYS_DIR:-/vault/model-keys}"
POLICY_DIR="${POLICY_DIR:-$here/policies}"
WAIT_SECONDS="${WAIT_SECONDS:-60}"
umask 077

# The token of this run: never one from the caller's environment.
unset VAULT_TOKEN
token_from="" # init, generated or old: where VAULT_TOKEN came from
attempt=""    # the nonce of a root token generation this run started
tmp=""        # a folder of this run's temporary files

say() { echo "vault-init: $*"; }
fail() {
	echo "vault-init: $*" >&2
	exit 1
}

# cleanup runs at every exit: it cancels a root token generation left
# half-way, revokes this run's root token and removes its temporary
# files. A token it cannot revoke fails the run.
cleanup() {
	rc=$?
	trap - EXIT
	[ -z "$tmp" ] || rm -rf "$tmp"
	[ -z "$attempt" ] || vault operator generate-root -cancel >/dev/null 2>&1 || :
	if [ -n "${VAULT_TOKEN:-}" ]; then
		if vault token revoke -self >/dev/null 2>&1; then
			say "revoked the root token of this run"
			oldTokenGone
		else
			echo "vault-init: cannot revoke the root token of this run: it was" \
				"written nowhere; list the token accessors and revoke any" \
				"with the root policy" >&2
			rc=1
		fi
	fi
	exit "$rc"
}

# oldTokenGone removes the root-token file once its token is revoked.
oldTokenGone() {
	[ "$token_from" = old ] || return 0
	rm -f "$INIT_DIR/root-token"
	say "removed $INIT_DIR/root-token: no root token is kept any more"
}

# waitForVault waits until Vault answers, sealed or not: "vault status"
# exits 0 when unsealed, 2 when sealed and 1 when it cannot tell.
waitForVault() {
	i=0
	while :; do
		rc=0
		vault status >/dev/null 2>&1 || rc=$?
		[ "$rc" -ne 1 ] && return 0
		i=$((i + 1))
		[ "$i" -lt "$WAIT_SECONDS" ] || fail "Vault at $VAULT_ADDR does not answer"
		sleep 1
	done
}

# jsonField prints the string field $1 of the JSON in $2, as the vault
# CLI prints it (one object, no quotes inside the values).
jsonField() {
	printf '%s' "$2" | tr -d ' \n\t' | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}

# initialise initialises Vault unless it is. What it answers stays in
# memory; its unseal key goes to a file at once, with the answer (its
# root token blanked) beside it until the key is read from it, so that
# no key is lost if a step fails. The root token becomes this run's.
initialise() {
	rc=0
	vault operator init -status >/dev/null 2>&1 || rc=$?
	case "$rc" in
	0) return 0 ;;
	2) ;;
	*) fail "cannot tell whether Vault is initialised" ;;
	esac
	[ ! -e "$INIT_DIR/unseal-key" ] ||
		fail "Vault is new but $INIT_DIR/unseal-key exists: the Vault volume is" \
			"not the one it unseals; remove the file to start over"
	if [ -e "$INIT_DIR/root-token" ]; then
		rm -f "$INIT_DIR/root-token"
		say "removed $INIT_DIR/root-token: it was the root token of another Vault"
	fi
	answer="$(vault operator init -key-shares=1 -key-threshold=1 -format=json)"
	printf '%s\n' "$answer" | sed 's/"root_token": *"[^"]*"/"root_token": ""/' \
		>"$INIT_DIR/init.json"
	flat="$(tr -d ' \n\t' <"$INIT_DIR/init.json")"
	printf '%s' "$flat" | sed -n 's/.*"unseal_keys_b64":\["\([^"]*\)".*/\1/p' \
		>"$INIT_DIR/unseal-key"
	VAULT_TOKEN="$(jsonField root_token "$answer")"
	export VAULT_TOKEN
	token_from=init
	answer=""
	[ -s "$INIT_DIR/unseal-key" ] && [ -n "$VAULT_TOKEN" ] ||
		fail "vault operator init answered no unseal key or root token; see $INIT_DIR/init.json"
	rm "$INIT_DIR/init.json"
	say "initialised Vault; its unseal key is in $INIT_DIR, its root token nowhere"
}

# unseal unseals Vault if it is sealed.
unseal() {
	rc=0
	vault status >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 2 ] || return 0
	[ -s "$INIT_DIR/unseal-key" ] || fail "Vault is sealed and $INIT_DIR/unseal-key is missing"
	vault write sys/unseal key=@"$INIT_DIR/unseal-key" >/dev/null
	rc=0
	vault status >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || fail "Vault is still sealed: is $INIT_DIR/unseal-key its key?"
	say "unsealed Vault"
}

# oldRootToken makes the root token that an older version of this
# script kept in $INIT_DIR/root-token this run's, if Vault still takes
# it; cleanup revokes it and removes the file. A token Vault refuses is
# harmless: its file is removed at once. It fails when there is none.
oldRootToken() {
	f="$INIT_DIR/root-token"
	[ -e "$f" ] || return 1
	VAULT_TOKEN="$(cat "$f")" || VAULT_TOKEN=""
	export VAULT_TOKEN
	if [ -n "$VAULT_TOKEN" ] && vault token lookup -format=json >/dev/null 2>&1; then
		token_from=old
		say "using the root token of $f once, as an older vault-init left it"
		return 0
	fi
	unset VAULT_TOKEN
	rm -f "$f"
	say "removed $f: Vault no longer takes its token"
	return 1
}

# cancelStale cancels a root token generation that a run killed half-way
# left behind: Vault takes no new one while it is in progress.
cancelStale() {
	st="$(vault operator generate-root -status -format=json)"
	case "$(printf '%s' "$st" | tr -d ' \n\t')" in
	*'"started":true'*) ;;
	*) return 0 ;;
	esac
	vault operator generate-root -cancel >/dev/null
	say "cancelled a root token generation left unfinished"
}

# newRootToken makes this run's root token from the unseal key: Vault
# starts a generation and answers a nonce and a one-time password, the
# key share (on standard input) completes it with the token encoded
# with that password, and -decode (the encoded token on standard input)
# gives the token. All of it stays in this shell's memory.
newRootToken() {
	[ -s "$INIT_DIR/unseal-key" ] || fail "$INIT_DIR/unseal-key is missing"
	cancelStale
	st="$(vault operator generate-root -init -format=json)"
	attempt="$(jsonField nonce "$st")"
	otp="$(jsonField otp "$st")"
	[ -n "$attempt" ] && [ -n "$otp" ] ||
		fail "vault operator generate-root -init answered no nonce or one-time password"
	st="$(vault operator generate-root -nonce="$attempt" -format=json - \
		<"$INIT_DIR/unseal-key")"
	attempt=""
	encoded="$(jsonField encoded_token "$st")"
	[ -n "$encoded" ] || fail "generate-root did not complete: is $INIT_DIR/unseal-key the key?"
	VAULT_TOKEN="$(printf '%s' "$encoded" |
		vault operator generate-root -decode=- -otp="$otp")"
	export VAULT_TOKEN
	token_from=generated
	st="" otp="" encoded=""
	[ -n "$VAULT_TOKEN" ] || fail "generate-root -decode gave no token"
	say "generated a root token for this run from the unseal key"
}

# engines enables KV v2, transit and AppRole, and the transit key.
engines() {
	vault secrets list -format=json | grep -q '"iglowly/"' ||
		vault secrets enable -path=iglowly -version=2 kv >/dev/null
	vault secrets list -format=json | grep -q '"transit/"' ||
		vault secrets enable transit >/dev/null
	vault auth list -format=json | grep -q '"approle/"' ||
		vault auth enable approle >/dev/null
	vault read transit/keys/iglowly-storage >/dev/null 2>&1 ||
		vault write -f transit/keys/iglowly-storage type=aes256-gcm96 >/dev/null
}

# policies writes every policy file, named after it.
policies() {
	for f in "$POLICY_DIR"/*.hcl; do
		[ -e "$f" ] || fail "no policies in $POLICY_DIR"
		vault policy write "$(basename "$f" .hcl)" "$f" >/dev/null
	done
}

# rolePolicies names the policies of a component's AppRole.
rolePolicies() {
	case "$1" in
	edge-* | sanitiser-* | inference-* | response-*)
		echo "iglowly-${1%%-*},iglowly-nats-$1"
		;;
	relay | natsauth) echo "iglowly-$1" ;;
	admin) echo "iglowly-keys,iglowly-storage,iglowly-provision" ;;
	*) fail "no policy for the AppRole of $1" ;;
	esac
}

# tmpDir makes this run's folder of temporary files, once; cleanup
# removes it.
tmpDir() {
	[ -n "$tmp" ] || tmp="$(mktemp -d)"
}

# replicaPolicy writes the policy iglowly-nats-<replica>, which reads
# that replica's NATS password and nothing else, for a replica of a
# component; the jobs' policies name their users' passwords already.
replicaPolicy() {
	case "$1" in
	edge-* | sanitiser-* | inference-* | response-*) ;;
	*) return 0 ;;
	esac
	tmpDir
	{
		printf '# The NATS password of %s, and nothing else.\n' "$1"
		printf 'path "iglowly/data/nats/users/%s" { capabilities = ["read"] }\n' "$1"
	} >"$tmp/replica.hcl"
	vault policy write "iglowly-nats-$1" "$tmp/replica.hcl" >/dev/null
}

# roles writes one AppRole per replica, <user>.role-id and
# <user>.secret-id, with that role id, as docs/vault.md sets them up
# (the tokens of the admin tools and of the nats-auth job live less).
roles() {
	for f in "$APPROLE_DIR"/*.secret-id; do
		[ -e "$f" ] || fail "no secret ids in $APPROLE_DIR: run deploy/gen-secrets.sh"
		r="$(basename "$f" .secret-id)"
		[ -s "$APPROLE_DIR/$r.role-id" ] ||
			fail "$APPROLE_DIR/$r.role-id is missing: run deploy/gen-secrets.sh"
		ttl=1h max=24h sidttl=0
		case "$r" in
		admin | natsauth) ttl=15m max=1h sidttl=720h ;;
		esac
		pol="$(rolePolicies "$r")"
		replicaPolicy "$r"
		vault write "auth/approle/role/iglowly-$r" token_policies="$pol" \
			token_ttl="$ttl" token_max_ttl="$max" secret_id_num_uses=0 \
			secret_id_ttl="$sidttl" >/dev/null
		vault write "auth/approle/role/iglowly-$r/role-id" \
			role_id=@"$APPROLE_DIR/$r.role-id" >/dev/null
	done
}

# secretIDs registers the secret id of each replica, <user>.secret-id,
# with its role, unless Vault knows it already.
secretIDs() {
	for f in "$APPROLE_DIR"/*.secret-id; do
		[ -e "$f" ] || fail "no secret ids in $APPROLE_DIR: run deploy/gen-secrets.sh"
		u="$(basename "$f" .secret-id)"
		path="auth/approle/role/iglowly-$u"
		known="$(vault write -format=json -field=secret_id_accessor \
			"$path/secret-id/lookup" secret_id=@"$f")"
		[ -z "$known" ] || continue
		vault write "$path/custom-secret-id" secret_id=@"$f" >/dev/null
		say "registered the secret id of $u"
	done
}

# putOnce writes KV secret $1 with the fields that follow, unless it
# exists. Check-and-set 0 refuses the write if it appeared meanwhile; a
# new KV v2 mount refuses writes for a moment, hence the retries.
putOnce() {
	p="$1"
	shift
	i=0
	while :; do
		vault kv get -mount=iglowly "$p" >/dev/null 2>&1 && return 0
		vault kv put -mount=iglowly -cas=0 "$p" "$@" >/dev/null 2>&1 && {
			say "made $p"
			return 0
		}
		i=$((i + 1))
		[ "$i" -lt "$WAIT_SECONDS" ] || fail "cannot write $p"
		sleep 1
	done
}

# newKey writes 32 random bytes, base64-encoded, into file $1.
newKey() {
	head -c 32 /dev/urandom | base64 | tr -d '\n' >"$1"
}

# keys makes the key rings and the address key, each key of its own.
keys() {
	tmpDir
	for k in session-current session-next pepper-current pepper-next address; do
		newKey "$tmp/$k"
	done
	putOnce edge/session-keys current=@"$tmp/session-current" current_id=1 \
		next=@"$tmp/session-next" next_id=2
	putOnce edge/admin-pepper current=@"$tmp/pepper-current" current_id=1 \
		next=@"$tmp/pepper-next" next_id=2
	putOnce edge/address-key key=@"$tmp/address"
	modelKeys
}

# modelKeys stores one field per file of $MODEL_KEYS_DIR, named after
# it, as inference/model-keys, when a file differs from what Vault holds:
# the folder is then the whole secret.
modelKeys() {
	set --
	same=yes
	for f in "$MODEL_KEYS_DIR"/*; do
		[ -f "$f" ] || continue
		name="$(basename "$f")"
		case "$name" in
		*[!a-z0-9-]* | "") fail "$f: a provider's name is lower-case letters, digits and -" ;;
		esac
		set -- "$@" "$name=@$f"
		held="$(vault kv get -mount=iglowly -field="$name" inference/model-keys 2>/dev/null)" ||
			held=""
		[ "$held" = "$(cat "$f")" ] || same=no
	done
	[ "$#" -gt 0 ] && [ "$same" = no ] || return 0
	vault kv put -mount=iglowly inference/model-keys "$@" >/dev/null
	say "stored $# model API keys"
}

main() {
	[ -n "${VAULT_ADDR:-}" ] || fail "VAULT_ADDR is not set"
	[ -d "$INIT_DIR" ] || fail "$INIT_DIR is missing: run deploy/gen-secrets.sh"
	trap cleanup EXIT
	trap 'exit 1' HUP INT TERM
	waitForVault
	initialise
	unseal
	if [ -z "${VAULT_TOKEN:-}" ] && ! oldRootToken; then
		newRootToken
	fi
	engines
	policies
	roles
	secretIDs
	keys
	say "Vault is ready"
}

# watch unseals Vault whenever it is sealed, until it is stopped. A Vault
# that does not answer is waited for; one that the key does not unseal
# stops it with an error (compose starts it again).
watch() {
	[ -n "${VAULT_ADDR:-}" ] || fail "VAULT_ADDR is not set"
	trap 'exit 0' HUP INT TERM
	say "watching Vault, to unseal it when it is sealed"
	while :; do
		unseal
		sleep "${WATCH_SECONDS:-5}"
	done
}

case "${1:-}" in
--watch) watch ;;
"") main ;;
*) fail "usage: init.sh [--watch]" ;;
esac
