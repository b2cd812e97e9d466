# iglowly provision, which creates the buckets and stores the clinics as
# the NATS user admin: that user's password.
path "iglowly/data/nats/users/admin" { capabilities = ["read"] }
