# What stores records encrypted at rest (iglowly provision and the admin
# tools): encrypt, decrypt and data keys with one transit key. "update"
# only: transit cannot create a key through these paths.
path "transit/encrypt/iglowly-storage" { capabilities = ["update"] }
path "transit/decrypt/iglowly-storage" { capabilities = ["update"] }
path "transit/datakey/plaintext/iglowly-storage" { capabilities = ["update"] }
