module github.com/iglowly/assistant/config/secrets/vaulttest

go 1.26.0

require github.com/iglowly/assistant v0.0.0-00010101000000-000000000000

replace github.com/iglowly/assistant => ../../..
