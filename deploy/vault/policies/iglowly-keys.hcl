# The key rotation (iglowly keys rotate, or an operator): reads and
# rewrites the two key rings, with check-and-set.
path "iglowly/data/edge/session-keys" { capabilities = ["read", "create", "update"] }
path "iglowly/data/edge/admin-pepper" { capabilities = ["read", "create", "update"] }
