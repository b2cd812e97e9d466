# The security relay: the passwords of its two NATS users, one in the
# application account, one in the system account.
path "iglowly/data/nats/users/security-relay" { capabilities = ["read"] }
path "iglowly/data/nats/users/security-relay-system" { capabilities = ["read"] }
