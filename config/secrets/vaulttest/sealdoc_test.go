package vaulttest

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/vault/command/server"
)

// docSeal matches the seal stanza of docs/vault.md, "Unsealing and the
// root token in production".
var docSeal = regexp.MustCompile("(?s)```json\n(\"seal\": \\{.*?\n\\})\n```")

// TestDocSealStanza adds the seal stanza that docs/vault.md gives for
// auto-unseal to the compose demo's deploy/vault/vault.json and parses
// the result with Vault's own server configuration parser: it must be
// one awskms seal with a region and a key, beside the listener and
// storage the file already has.
func TestDocSealStanza(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/vault.md")
	must(t, err)
	m := docSeal.FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/vault.md has no seal stanza")
	}
	raw, err := os.ReadFile(deployDir + "/vault/vault.json")
	must(t, err)
	var conf map[string]any
	must(t, json.Unmarshal(raw, &conf))
	var seal map[string]any
	must(t, json.Unmarshal(append(append([]byte("{"), m[1]...), '}'), &seal))
	conf["seal"] = seal["seal"]
	merged, err := json.Marshal(conf)
	must(t, err)
	c, err := server.ParseConfig(string(merged), "vault.json")
	if err != nil {
		t.Fatalf("Vault does not parse vault.json with the seal stanza: %v", err)
	}
	if len(c.Seals) != 1 || c.Seals[0].Type != "awskms" || c.Seals[0].Config["region"] == "" ||
		c.Seals[0].Config["kms_key_id"] == "" {
		t.Errorf("seals %+v, want one awskms seal with a region and a key", c.Seals)
	}
	if len(c.Listeners) != 1 || c.Storage == nil || c.Storage.Type != "file" {
		t.Error("the merged configuration lost vault.json's listener or storage")
	}
}
