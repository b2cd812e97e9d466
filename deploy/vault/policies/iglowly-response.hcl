path "iglowly/data/response/nats" { capabilities = ["read"] }
