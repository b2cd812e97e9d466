package edge

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestKeyRingFile(t *testing.T) {
	raw := []byte(strings.Repeat("k", 40) + "\n")
	keys, err := ParseKeys(raw)
	if err != nil || keys.Current.ID != 1 || len(keys.Current.Key) != 40 || keys.HasNext() {
		t.Fatalf("raw key file: %+v, %v", keys, err)
	}
	now := time.Unix(1_800_000_000, 0).UTC()
	rotated, err := keys.Rotate(now, 4*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseKeys(rotated.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if back.Current.ID != rotated.Current.ID || !bytes.Equal(back.Current.Key, rotated.Current.Key) ||
		len(back.Previous) != 1 || !back.Previous[0].Until.Equal(now.Add(4*time.Hour)) ||
		back.Next.ID != rotated.Next.ID || !bytes.Equal(back.Next.Key, rotated.Next.Key) {
		t.Errorf("round trip: %+v", back)
	}
	a, b := strings.Repeat("A", 44), strings.Repeat("B", 44)
	for name, bad := range map[string]string{
		"short raw key":  "tooshort",
		"unknown field":  `{"current":{"id":1,"key":"` + a + `"},"x":1}`,
		"not base64 key": `{"current":{"id":1,"key":"!!"}}`,
		"no until": `{"current":{"id":1,"key":"` + a + `"},` +
			`"previous":[{"id":2,"key":"` + b + `"}]}`,
		"next with id of current": `{"current":{"id":1,"key":"` + a + `"},` +
			`"next":{"id":1,"key":"` + b + `"}}`,
		"next without id": `{"current":{"id":1,"key":"` + a + `"},"next":{"key":"` + b + `"}}`,
		"next with an end": `{"current":{"id":1,"key":"` + a + `"},` +
			`"next":{"id":2,"key":"` + b + `","until":"2030-01-01T00:00:00Z"}}`,
		"short next": `{"current":{"id":1,"key":"` + a + `"},"next":{"id":2,"key":"QUJD"}}`,
	} {
		if _, err := ParseKeys([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "AAAA") || strings.Contains(err.Error(), "BBBB") {
			t.Errorf("%s: the error quotes the key", name)
		}
	}
}

// TestRingWithoutNextLoads reads a JSON ring of the form written before
// next keys existed: it loads as it was, with no next key.
func TestRingWithoutNextLoads(t *testing.T) {
	old := `{"current":{"id":7,"key":"` + strings.Repeat("C", 44) + `"},` +
		`"previous":[{"id":6,"key":"` + strings.Repeat("D", 44) +
		`","until":"2030-01-01T00:00:00Z"}]}`
	keys, err := ParseKeys([]byte(old))
	if err != nil || keys.Current.ID != 7 || keys.HasNext() || len(keys.Previous) != 1 ||
		keys.Previous[0].ID != 6 {
		t.Fatalf("old ring: %+v, %v", keys, err)
	}
	if strings.Contains(string(keys.Marshal()), `"next"`) {
		t.Error("a ring without next is written with one")
	}
}

// TestRotateMovesNext rotates twice: each time the next key becomes the
// current one, the current one a previous one with the grace as its end,
// and a new next key, with an id of its own, is published.
func TestRotateMovesNext(t *testing.T) {
	keys := Keys{Current: SigningKey{ID: 1, Key: []byte(strings.Repeat("k", 32))}}
	keys, added, err := keys.WithNext()
	if err != nil || !added || keys.Next.ID != 2 || len(keys.Next.Key) != 32 {
		t.Fatalf("WithNext: %+v %v %v", keys.Next, added, err)
	}
	if same, added, _ := keys.WithNext(); added || same.Next.ID != keys.Next.ID {
		t.Error("WithNext replaced a next key")
	}
	now := time.Unix(1_800_000_000, 0)
	for i := 0; i < 2; i++ {
		before := keys
		if keys, err = keys.Rotate(now, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		if keys.Current.ID != before.Next.ID || !bytes.Equal(keys.Current.Key, before.Next.Key) {
			t.Errorf("rotation %d: current is not the old next", i)
		}
		p := keys.Previous[0]
		if p.ID != before.Current.ID || !bytes.Equal(p.Key, before.Current.Key) ||
			!p.Until.Equal(now.Add(2*time.Hour)) {
			t.Errorf("rotation %d: previous %d until %v", i, p.ID, p.Until)
		}
		for _, k := range before.All() {
			if k.ID == keys.Next.ID || bytes.Equal(k.Key, keys.Next.Key) {
				t.Errorf("rotation %d: the new next key reuses key %d", i, k.ID)
			}
		}
		if len(keys.Previous) != i+1 {
			t.Errorf("rotation %d: %d previous keys", i, len(keys.Previous))
		}
		now = now.Add(time.Hour)
	}
}

// TestRotateKeepsWhatStillVerifies rotates many times: ids stay distinct
// within the ring across the wrap past 255, the keys still in their
// grace are kept, and the ones whose grace ended are dropped.
func TestRotateKeepsWhatStillVerifies(t *testing.T) {
	keys := Keys{Current: SigningKey{ID: 255, Key: []byte(strings.Repeat("k", 32))}}
	now := time.Unix(1_800_000_000, 0)
	var err error
	for i := 0; i < 600; i++ {
		if keys, err = keys.Rotate(now, 150*time.Minute); err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
		seen := map[byte]bool{}
		for _, k := range keys.All() {
			if k.ID == 0 || seen[k.ID] {
				t.Fatalf("rotation %d: id %d is 0 or taken twice", i, k.ID)
			}
			seen[k.ID] = true
		}
		now = now.Add(time.Hour)
	}
	// With hourly rotations and 2.5 hours of grace, three previous keys
	// remain: those rotated out 0, 1 and 2 hours ago.
	if len(keys.Previous) != 3 {
		t.Errorf("%d previous keys, want 3", len(keys.Previous))
	}
	if _, err := keys.Rotate(now, 0); err == nil {
		t.Error("a rotation without grace was accepted")
	}
}

// TestNextKeyClosesTheGap has two edges, one with the ring before a
// rotation and one with the ring after it: each verifies the tokens the
// other signs, the old ring through its next key, the new one through
// its previous key until the grace ends.
func TestNextKeyClosesTheGap(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	first := SigningKey{ID: 9, Key: []byte(strings.Repeat("q", 32))}
	ring, _, err := Keys{Current: first}.WithNext()
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := ring.Rotate(now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	oldEdge, _ := NewSigner(ring)
	newEdge, _ := NewSigner(rotated)
	fromNew, _ := newEdge.Issue("demo", now, 4*time.Hour)
	fromOld, _ := oldEdge.Issue("demo", now, 4*time.Hour)
	if _, err := oldEdge.Verify(fromNew, now); err != nil {
		t.Errorf("the old ring refuses a token of the new one: %v", err)
	}
	if _, err := newEdge.Verify(fromOld, now.Add(59*time.Minute)); err != nil {
		t.Errorf("the new ring refuses a token of the old one within grace: %v", err)
	}
	if _, err := newEdge.Verify(fromOld, now.Add(time.Hour)); err != ErrTokenSignature {
		t.Errorf("after the grace: %v, want a signature error", err)
	}
	// Without a next key the old ring cannot know the new current key.
	bare := Keys{Current: ring.Current}
	bareRotated, _ := bare.Rotate(now, time.Hour)
	bareOld, _ := NewSigner(bare)
	bareNew, _ := NewSigner(bareRotated)
	tok, _ := bareNew.Issue("demo", now, time.Hour)
	if _, err := bareOld.Verify(tok, now); err != ErrTokenSignature {
		t.Errorf("a ring without next verified an unknown key: %v", err)
	}
}
