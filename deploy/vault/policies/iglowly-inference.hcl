# Inference: the model providers' API keys and its NATS password.
path "iglowly/data/inference/model-keys" { capabilities = ["read"] }
path "iglowly/data/inference/nats" { capabilities = ["read"] }
