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
#   tls/ca.pem      the demo's private certificate authority, which every
#                   component trusts for NATS; tls/ca-key.pem, its key, is
#                   mounted nowhere
#   tls/<node>/     what NATS node <node> mounts: ca.pem, server.pem and
#                   server-key.pem for clients, route.pem and
#                   route-key.pem for the routes between the nodes
#
# It never overwrites: a file that exists is kept, and only what is
# missing is written, so running it again changes nothing and an older
# folder gains the files added since. What it cannot complete safely it
# refuses before writing anything: a new JetStream key would make the
# stored clinic configuration unreadable, the passwords in nats.env and
# in the component env files go together, and every certificate kept
# must be signed by tls/ca.pem and match its key.
# To reissue a node's certificates (before they expire, in 825 days),
# delete tls/<node>/ and run it again; delete the folder to start over.
#
# Secrets are letters only: nats-server parses the value of a $VAR
# reference as a config token, and letters always stay a string. Only
# bash, coreutils and openssl are needed, as on a stock Debian or Alpine.
#
# TODO(#4): read these from Vault instead of files.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
components="edge sanitiser inference response admin"
nodes="nats-1 nats-2 nats-3"
tlsDir="$out/tls"

fail() {
	echo "gen-secrets: $*" >&2
	exit 1
}

secret() {
	local s
	s="$(head -c 2048 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z')"
	if [ "${#s}" -lt 40 ]; then
		fail "not enough randomness"
	fi
	printf '%s' "${s:0:40}"
}

# checkPasswords fails unless nats.env and the component env files all
# exist or none does.
checkPasswords() {
	local c
	for c in $components; do
		if [ -e "$out/nats.env" ] && [ ! -e "$out/$c.env" ]; then
			fail "$out holds nats.env but not $c.env; remove the folder to start over"
		fi
		if [ ! -e "$out/nats.env" ] && [ -e "$out/$c.env" ]; then
			fail "$out holds $c.env but not nats.env; remove the folder to start over"
		fi
	done
}

# writePasswords writes nats.env and the component env files together.
writePasswords() {
	if [ -e "$out/nats.env" ]; then
		return
	fi
	local route pw upper c n node
	route="$(secret)"
	{
		echo "# NATS nodes only. Written by deploy/gen-secrets.sh."
		for c in $components; do
			pw="$(secret)"
			upper="$(printf '%s' "$c" | tr '[:lower:]' '[:upper:]')"
			echo "${upper}_NATS_PASSWORD=$pw"
			printf 'IGLOWLY_NATS_PASSWORD=%s\n' "$pw" >"$out/$c.env"
		done
		echo "NATS_ROUTE_PASSWORD=$route"
		n=1
		for node in $nodes; do
			echo "NATS_ROUTE_$n=nats-route://route:$route@$node:6222"
			n=$((n + 1))
		done
		echo "JETSTREAM_KEY=$(secret)"
	} >"$out/nats.env.tmp"
	mv "$out/nats.env.tmp" "$out/nats.env"
	echo "gen-secrets: wrote the NATS passwords and the JetStream key"
}

# writeKeys writes the Vault token and the edge's keys that are missing.
writeKeys() {
	if [ ! -e "$out/vault.env" ]; then
		printf 'VAULT_DEV_ROOT_TOKEN_ID=%s\n' "$(secret)" >"$out/vault.env"
	fi
	# The keys are bind-mounted into the edge, which runs as an
	# unprivileged user: the files must be readable by it. The folder
	# (0700) keeps other users of this host out.
	local k
	for k in session address; do
		if [ ! -e "$out/$k.key" ]; then
			head -c 32 /dev/urandom >"$out/$k.key.tmp"
			chmod 644 "$out/$k.key.tmp"
			mv "$out/$k.key.tmp" "$out/$k.key"
		fi
	done
}

# The TLS files. The CA signs one certificate per node for its client
# port and one for its routes. Each names every node and localhost: a
# node that learns another's address from the cluster dials that IP and
# checks the certificate against the first host name of its routes
# (nats-1), and localhost lets an operator connect from inside a
# container. Only the route certificates may authenticate a client,
# because routes check each other both ways.
sans=""
for node in $nodes; do
	sans="${sans}DNS:$node,"
done
sans="${sans}DNS:localhost"

# opensslConf is the whole openssl configuration, so that the
# distribution's openssl.cnf adds nothing.
opensslConf() {
	cat <<-EOF
		[req]
		distinguished_name = dn
		[dn]
		[ca]
		basicConstraints = critical, CA:true, pathlen:0
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		[server]
		basicConstraints = critical, CA:false
		keyUsage = critical, digitalSignature
		extendedKeyUsage = serverAuth
		subjectAltName = $sans
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
		[route]
		basicConstraints = critical, CA:false
		keyUsage = critical, digitalSignature
		extendedKeyUsage = serverAuth, clientAuth
		subjectAltName = $sans
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
	EOF
}

# sameKey reports whether certificate $1 holds the public key of
# private key $2.
sameKey() {
	local a b
	a="$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null)" || return 1
	b="$(openssl pkey -in "$2" -pubout 2>/dev/null)" || return 1
	[ "$a" = "$b" ]
}

# checkTLS fails on any TLS file that exists but cannot be kept, and on
# any that is missing but cannot be written.
checkTLS() {
	local node name
	if [ ! -e "$tlsDir/ca.pem" ]; then
		[ ! -e "$tlsDir/ca-key.pem" ] ||
			fail "$tlsDir holds ca-key.pem but no ca.pem; remove $tlsDir to start over"
		for node in $nodes; do
			[ ! -e "$tlsDir/$node" ] ||
				fail "$tlsDir holds $node/ but no ca.pem; remove $tlsDir to start over"
		done
		return
	fi
	if [ -e "$tlsDir/ca-key.pem" ] && ! sameKey "$tlsDir/ca.pem" "$tlsDir/ca-key.pem"; then
		fail "$tlsDir/ca-key.pem is not the key of ca.pem; remove $tlsDir to start over"
	fi
	for node in $nodes; do
		if [ -e "$tlsDir/$node/ca.pem" ] && ! cmp -s "$tlsDir/ca.pem" "$tlsDir/$node/ca.pem"; then
			fail "$tlsDir/$node/ca.pem is not tls/ca.pem; remove $tlsDir/$node to reissue"
		fi
		for name in server route; do
			checkCert "$tlsDir/$node" "$name"
		done
	done
}

# checkCert checks one certificate and key of a node's folder $1.
checkCert() {
	local dir="$1" name="$2"
	if [ ! -e "$dir/$name.pem" ]; then
		[ ! -e "$dir/$name-key.pem" ] ||
			fail "$dir holds $name-key.pem without $name.pem; remove $dir to reissue"
		[ -e "$tlsDir/ca-key.pem" ] ||
			fail "$tlsDir/ca-key.pem is missing: cannot sign $dir/$name.pem"
		return
	fi
	[ -e "$dir/$name-key.pem" ] ||
		fail "$dir holds $name.pem without its key; remove $dir to reissue"
	sameKey "$dir/$name.pem" "$dir/$name-key.pem" ||
		fail "$dir/$name-key.pem is not the key of $name.pem; remove $dir to reissue"
	openssl verify -CAfile "$tlsDir/ca.pem" "$dir/$name.pem" >/dev/null 2>&1 ||
		fail "$dir/$name.pem does not verify against tls/ca.pem (expired?);" \
			"remove $dir to reissue"
}

# newKey writes an EC P-256 private key, mode 0600.
newKey() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# writeAuthority writes the CA, unless it exists.
writeAuthority() {
	if [ -e "$tlsDir/ca.pem" ]; then
		return
	fi
	newKey "$tlsDir/ca-key.pem.tmp"
	openssl req -new -x509 -config "$conf" -extensions ca -sha256 -days 3650 \
		-subj "/CN=iGlowly compose NATS CA" -key "$tlsDir/ca-key.pem.tmp" \
		-out "$tlsDir/ca.pem.tmp"
	chmod 644 "$tlsDir/ca.pem.tmp"
	mv "$tlsDir/ca-key.pem.tmp" "$tlsDir/ca-key.pem"
	mv "$tlsDir/ca.pem.tmp" "$tlsDir/ca.pem"
	echo "gen-secrets: wrote the NATS certificate authority"
}

# issue writes $2.pem and $2-key.pem in a node's folder $1, signed by
# the CA with the extensions of section $3 and common name $4, unless
# they exist.
issue() {
	local dir="$1" name="$2" ext="$3" cn="$4"
	if [ -e "$dir/$name.pem" ]; then
		return
	fi
	newKey "$dir/$name-key.pem.tmp"
	openssl req -new -config "$conf" -subj "/CN=$cn" -key "$dir/$name-key.pem.tmp" \
		-out "$tmp/$name.csr"
	openssl x509 -req -in "$tmp/$name.csr" -CA "$tlsDir/ca.pem" \
		-CAkey "$tlsDir/ca-key.pem" -set_serial "0x$(openssl rand -hex 16)" \
		-sha256 -days 825 -extfile "$conf" -extensions "$ext" \
		-out "$dir/$name.pem.tmp" 2>/dev/null
	chmod 644 "$dir/$name.pem.tmp"
	mv "$dir/$name-key.pem.tmp" "$dir/$name-key.pem"
	mv "$dir/$name.pem.tmp" "$dir/$name.pem"
}

# writeTLS writes the CA and every node's files that are missing.
writeTLS() {
	tmp="$(mktemp -d)"
	trap 'rm -rf "$tmp"' EXIT
	conf="$tmp/openssl.cnf"
	opensslConf >"$conf"
	mkdir -p "$tlsDir"
	chmod 700 "$tlsDir"
	writeAuthority
	local node
	for node in $nodes; do
		mkdir -p "$tlsDir/$node"
		chmod 700 "$tlsDir/$node"
		if [ ! -e "$tlsDir/$node/ca.pem" ]; then
			cp "$tlsDir/ca.pem" "$tlsDir/$node/ca.pem"
			chmod 644 "$tlsDir/$node/ca.pem"
		fi
		issue "$tlsDir/$node" server server "$node"
		issue "$tlsDir/$node" route route "$node route"
	done
}

main() {
	command -v openssl >/dev/null 2>&1 ||
		fail "openssl is needed for the NATS certificates" \
			"(apt-get install openssl, or apk add openssl)"
	umask 077
	checkPasswords
	checkTLS
	mkdir -p "$out"
	chmod 700 "$out"
	writePasswords
	writeKeys
	writeTLS
	echo "gen-secrets: $out is complete"
}

main
