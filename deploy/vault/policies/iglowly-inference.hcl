# Inference: the model providers' API keys, and its NATS password
# (per-component layout; a replica's own is iglowly-nats-<user>'s).
path "iglowly/data/inference/model-keys" { capabilities = ["read"] }
path "iglowly/data/inference/nats" { capabilities = ["read"] }
