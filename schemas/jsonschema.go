package schemas

import (
	"embed"
)

//go:embed json/*.json
var schemaFS embed.FS

// JSONSchema returns the JSON Schema (draft 2020-12) of an event type's
// data, for tools and other languages; Go consumers use the Validate
// methods, which a test keeps in agreement with these schemas.
func JSONSchema(typ string) ([]byte, bool) {
	raw, err := schemaFS.ReadFile("json/" + typ + ".json")
	return raw, err == nil
}
