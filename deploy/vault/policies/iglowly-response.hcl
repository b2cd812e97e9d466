# The response worker: its NATS password (per-component layout; a
# replica's own is its policy iglowly-nats-<user>'s).
path "iglowly/data/response/nats" { capabilities = ["read"] }
