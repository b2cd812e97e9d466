# A NATS server host: the JetStream key, and every component's password
# to write the server's users (iglowly nats-config).
path "iglowly/data/nats/jetstream" { capabilities = ["read"] }
path "iglowly/data/+/nats" { capabilities = ["read"] }
