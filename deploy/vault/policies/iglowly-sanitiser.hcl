# The sanitiser holds no secret but its NATS password.
path "iglowly/data/sanitiser/nats" { capabilities = ["read"] }
