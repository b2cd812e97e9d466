# The sanitiser holds no secret but its NATS password, and each of its
# replicas'.
path "iglowly/data/sanitiser/nats" { capabilities = ["read"] }
path "iglowly/data/nats/users/sanitiser-*" { capabilities = ["read"] }
