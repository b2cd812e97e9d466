# The nats-auth job: makes each NATS user's password and the servers'
# route password and JetStream key once, and reads them to write the
# servers' users. "create" without "update": a secret that exists is
# never written over. No delete, no list.
path "iglowly/data/nats/users/*" { capabilities = ["create", "read"] }
path "iglowly/data/nats/server" { capabilities = ["create", "read"] }
