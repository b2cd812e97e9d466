# The edge: its signing keys, its address key, the admin-key pepper,
# and its NATS password in the per-component layout. A replica's own
# password under nats/users/ is its policy iglowly-nats-<user>'s.
path "iglowly/data/edge/session-keys" { capabilities = ["read"] }
path "iglowly/data/edge/address-key" { capabilities = ["read"] }
path "iglowly/data/edge/admin-pepper" { capabilities = ["read"] }
path "iglowly/data/edge/nats" { capabilities = ["read"] }
