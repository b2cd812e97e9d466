package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const canary = "canary-7f3a9-value"

func TestSecretIsMaskedEverywhere(t *testing.T) {
	s := NewSecret(canary)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("x", "secret", s, "ptr", &s, "group", slog.GroupValue(slog.Any("s", s)))
	js, err := json.Marshal(map[string]any{"s": s, "p": &s})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{buf.String(), string(js)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		out = append(out, fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s),
			fmt.Sprintf(verb, struct{ S Secret }{s}), fmt.Sprintf(verb, []Secret{s}))
	}
	for _, o := range out {
		if strings.Contains(o, canary) || strings.Contains(o, fmt.Sprintf("%x", canary)) {
			t.Errorf("secret shown: %s", o)
		}
		if !strings.Contains(o, Masked) {
			t.Errorf("no %s in %s", Masked, o)
		}
	}
	if s.Reveal() != canary || string(s.Bytes()) != canary || s.Len() != len(canary) {
		t.Fatal("Reveal, Bytes or Len lost the value")
	}
	b := s.Bytes()
	b[0] = 'X'
	if s.Reveal() != canary {
		t.Fatal("Bytes shares memory with the secret")
	}
}

// getOnly hides the GetFields of a source, to test the fallback.
type getOnly struct{ Source }

func TestGetFieldsFallsBackToGet(t *testing.T) {
	d := NewDev(slog.New(slog.DiscardHandler))
	ref, _ := ParseRef("vault://kv/a#x")
	y, _ := ref.WithField("y")
	d.Put(y, NewSecret("why"))
	for name, src := range map[string]Source{"fields": d, "get only": getOnly{d}} {
		t.Run(name, func(t *testing.T) {
			got, err := GetFields(context.Background(), src, ref, "y", "previous", "x")
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Reveal() != "why" || !got[1].IsZero() || got[2].IsZero() {
				t.Fatalf("got lengths %d %d %d", got[0].Len(), got[1].Len(), got[2].Len())
			}
		})
	}
	if _, err := GetFields(context.Background(), getOnly{d}, ref, "bad field"); !errors.Is(err,
		ErrInvalid) {
		t.Fatalf("bad field name: %v", err)
	}
}
