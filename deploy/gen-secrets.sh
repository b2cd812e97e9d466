#!/usr/bin/env bash
# gen-secrets.sh writes the secrets of the docker-compose demo into
# deploy/secrets/ (or the folder given as the first argument):
#   vault/approle/  the AppRole login of each iglowly service, one AppRole
#                   per replica and job: <user>.role-id and
#                   <user>.secret-id; deploy/vault/init.sh registers
#                   them in Vault. (The <component>.role-id files of an
#                   older version, one role per component, are no longer
#                   read.)
#   vault/init/     empty: deploy/vault/init.sh keeps Vault's unseal key
#                   there (a demo shortcut)
#   vault/model-keys/ empty: a file <provider> put there (openai, ...)
#                   is stored by deploy/vault/init.sh as that provider's
#                   API key
#   tls/ca.pem      the demo's private certificate authority, which every
#                   component trusts for NATS and Vault; tls/ca-key.pem,
#                   its key, is mounted nowhere
#   tls/<node>/     what NATS node <node> mounts: ca.pem, server.pem and
#                   server-key.pem for clients, route.pem and
#                   route-key.pem for the routes between the nodes
#   tls/vault/      what Vault mounts: ca.pem, server.pem, server-key.pem
#   tls/clients/<name>/ the client certificate of one NATS client service,
#                   client.pem and client-key.pem, which that service
#                   mounts to log in to the nodes with its password: one
#                   per replica (edge-1, ...), admin (the provision job)
#                   and relay (the security relay, for both its users)
#
# The session keys, the address key and the other secrets the components
# read are not here: deploy/vault/init.sh makes them inside Vault. Nor
# are the NATS passwords, the route password and the JetStream key: the
# nats-auth job of docker-compose.yml makes them in Vault and writes the
# nodes' secrets file (bcrypt hashes) on the nats-auth volume; each
# component reads its own password from Vault. A nats.env or <user>.env
# left by an older version of this script is no longer read: delete it.
#
# It never overwrites: a file that exists is kept, and only what is
# missing is written, so running it again changes nothing and an older
# folder gains the files added since (a NATS user added to the list
# below gets a secret id of its own). What it cannot complete safely it
# refuses before writing anything: every certificate kept must be signed
# by tls/ca.pem and match its key.
# To reissue a node's certificates (before they expire, in 825 days),
# delete tls/<node>/ and run it again, and tls/clients/<name>/ for a
# client's; delete the folder to start over.
#
# Secrets are letters only, safe in any file and command line that
# takes them. Only bash, coreutils and openssl are needed, as on a stock
# Debian or Alpine.
set -euo pipefail

out="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
# One replica per NATS user of docker-compose.yml's components, as make
# nats-config writes them (NATS_REPLICAS in the Makefile); admin runs once.
users="edge-1 edge-2 sanitiser-1 sanitiser-2 inference-1 inference-2"
users="$users response-1 response-2 admin"
# One AppRole per replica, so that a replica's policy reads its own NATS
# password only: the NATS users, and the two jobs (natsauth is the
# nats-auth job, relay the security relay).
replicas="$users natsauth relay"
nodes="nats-1 nats-2 nats-3"
# One client certificate per NATS client service, by the name of its
# folder, and the common name it holds: its NATS user; the relay's is
# that of its user in the application account.
clients="$users relay"
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

# writeAppRoles writes the AppRole role id and secret id of each replica
# that are missing. The services read them as
# compose secrets, as the image's unprivileged user: the files must be
# readable by it. The folders (0700) keep other users of this host out.
writeAppRoles() {
	local dir="$out/vault/approle" u f
	mkdir -p "$dir" "$out/vault/init" "$out/vault/model-keys"
	chmod 700 "$out/vault" "$dir" "$out/vault/init" "$out/vault/model-keys"
	for f in $(for u in $replicas; do echo "$u.role-id $u.secret-id"; done); do
		if [ ! -e "$dir/$f" ]; then
			secret >"$dir/$f.tmp"
			chmod 644 "$dir/$f.tmp"
			mv "$dir/$f.tmp" "$dir/$f"
		fi
	done
}

# The TLS files. The CA signs one certificate per node for its client
# port and one for its routes, and one for Vault. Each names every node and localhost: a
# node that learns another's address from the cluster dials that IP and
# checks the certificate against the first host name of its routes
# (nats-1), and localhost lets an operator connect from inside a
# container. The route certificates authenticate a node to the others,
# both ways; the client certificates authenticate a NATS client to the
# nodes and can serve nothing.
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
		[vault]
		basicConstraints = critical, CA:false
		keyUsage = critical, digitalSignature
		extendedKeyUsage = serverAuth
		subjectAltName = DNS:vault, DNS:localhost, IP:127.0.0.1
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
		[client]
		basicConstraints = critical, CA:false
		keyUsage = critical, digitalSignature
		extendedKeyUsage = clientAuth
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
		for node in $nodes vault clients; do
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
	if [ -e "$tlsDir/vault/ca.pem" ] && ! cmp -s "$tlsDir/ca.pem" "$tlsDir/vault/ca.pem"; then
		fail "$tlsDir/vault/ca.pem is not tls/ca.pem; remove $tlsDir/vault to reissue"
	fi
	checkCert "$tlsDir/vault" server
	for name in $clients; do
		checkCert "$tlsDir/clients/$name" client sslclient
	done
}

# checkCert checks certificate $2.pem and its key in a node's or a
# client's folder $1, and that it serves purpose $3 (openssl verify
# -purpose) if given.
checkCert() {
	local dir="$1" name="$2" purpose=()
	if [ -n "${3:-}" ]; then
		purpose=(-purpose "$3")
	fi
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
	openssl verify -CAfile "$tlsDir/ca.pem" "${purpose[@]}" "$dir/$name.pem" \
		>/dev/null 2>&1 ||
		fail "$dir/$name.pem does not verify against tls/ca.pem" \
			"${3:+for $3 }(expired?); remove $dir to reissue"
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

# issue writes $2.pem and $2-key.pem in folder $1, signed by the CA
# with the extensions of section $3 and common name $4, unless they
# exist. The key gets mode $5, 0600 by default, before it is in place.
issue() {
	local dir="$1" name="$2" ext="$3" cn="$4" keyMode="${5:-600}"
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
	chmod "$keyMode" "$dir/$name-key.pem.tmp"
	mv "$dir/$name-key.pem.tmp" "$dir/$name-key.pem"
	mv "$dir/$name.pem.tmp" "$dir/$name.pem"
}

# writeTLS writes the CA, every node's files and every client's that are
# missing.
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
	writeVaultTLS
	writeClientTLS
}

# writeVaultTLS writes what Vault mounts. Vault runs as the image's
# unprivileged user, so its key is readable by all, like the CA: the
# folders above it (0700) keep other users of this host out.
writeVaultTLS() {
	local dir="$tlsDir/vault"
	mkdir -p "$dir"
	chmod 755 "$dir"
	if [ ! -e "$dir/ca.pem" ]; then
		cp "$tlsDir/ca.pem" "$dir/ca.pem"
		chmod 644 "$dir/ca.pem"
	fi
	issue "$dir" server vault vault 644
}

# clientName is the common name of client $1's certificate: its NATS
# user.
clientName() {
	if [ "$1" = relay ]; then
		echo security-relay
	else
		echo "$1"
	fi
}

# writeClientTLS writes each NATS client's certificate and key that are
# missing. Each service reads them as compose secrets, as the image's
# unprivileged user, so both are readable by all, like the AppRole ids:
# the folders (0700) keep other users of this host out.
writeClientTLS() {
	local dir="$tlsDir/clients" name
	mkdir -p "$dir"
	chmod 700 "$dir"
	for name in $clients; do
		mkdir -p "$dir/$name"
		chmod 700 "$dir/$name"
		issue "$dir/$name" client client "$(clientName "$name")" 644
	done
}

main() {
	command -v openssl >/dev/null 2>&1 ||
		fail "openssl is needed for the NATS certificates" \
			"(apt-get install openssl, or apk add openssl)"
	umask 077
	checkTLS
	mkdir -p "$out"
	chmod 700 "$out"
	writeAppRoles
	writeTLS
	if [ -e "$out/nats.env" ]; then
		echo "gen-secrets: $out/nats.env and the <user>.env files are no longer" \
			"read: the nats-auth job keeps the NATS secrets in Vault. Delete them;" \
			"data stored under their JetStream key needs \"docker compose down -v\"."
	fi
	echo "gen-secrets: $out is complete"
}

main
