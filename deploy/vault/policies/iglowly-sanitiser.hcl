# The sanitiser holds no secret but its NATS password (per-component
# layout; a replica's own is its policy iglowly-nats-<user>'s).
path "iglowly/data/sanitiser/nats" { capabilities = ["read"] }
