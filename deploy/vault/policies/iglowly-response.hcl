# The response worker: its NATS password, and each of its replicas'.
path "iglowly/data/response/nats" { capabilities = ["read"] }
path "iglowly/data/nats/users/response-*" { capabilities = ["read"] }
