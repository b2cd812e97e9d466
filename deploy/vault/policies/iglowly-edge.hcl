# The edge: its signing keys, its address key, the admin-key pepper,
# its NATS password, and each of its replicas' (edge-1, edge-2, ...).
path "iglowly/data/edge/session-keys" { capabilities = ["read"] }
path "iglowly/data/edge/address-key" { capabilities = ["read"] }
path "iglowly/data/edge/admin-pepper" { capabilities = ["read"] }
path "iglowly/data/edge/nats" { capabilities = ["read"] }
path "iglowly/data/nats/users/edge-*" { capabilities = ["read"] }
