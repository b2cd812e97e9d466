# Inference: the model providers' API keys, its NATS password, and each
# of its replicas'.
path "iglowly/data/inference/model-keys" { capabilities = ["read"] }
path "iglowly/data/inference/nats" { capabilities = ["read"] }
path "iglowly/data/nats/users/inference-*" { capabilities = ["read"] }
