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
	if err != nil || keys.Current.ID != 1 || len(keys.Current.Key) != 40 {
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
		len(back.Previous) != 1 || !back.Previous[0].Until.Equal(now.Add(4*time.Hour)) {
		t.Errorf("round trip: %+v", back)
	}
	for name, bad := range map[string]string{
		"short raw key":  "tooshort",
		"unknown field":  `{"current":{"id":1,"key":"` + strings.Repeat("A", 44) + `"},"x":1}`,
		"not base64 key": `{"current":{"id":1,"key":"!!"}}`,
		"no until":       `{"current":{"id":1,"key":"` + strings.Repeat("A", 44) + `"},"previous":[{"id":2,"key":"` + strings.Repeat("B", 44) + `"}]}`,
	} {
		if _, err := ParseKeys([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "AAAA") {
			t.Errorf("%s: the error quotes the key", name)
		}
	}
}

// TestRotateKeepsWhatStillVerifies rotates three times: each rotation
// makes a new distinct id, keeps the keys still in their grace, and drops
// the ones whose grace ended.
func TestRotateKeepsWhatStillVerifies(t *testing.T) {
	keys := Keys{Current: SigningKey{ID: 255, Key: []byte(strings.Repeat("k", 32))}}
	now := time.Unix(1_800_000_000, 0)
	var err error
	ids := map[byte]bool{255: true}
	for i := 0; i < 3; i++ {
		if keys, err = keys.Rotate(now, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		if ids[keys.Current.ID] || keys.Current.ID == 0 {
			t.Errorf("rotation %d reused or zeroed id %d", i, keys.Current.ID)
		}
		ids[keys.Current.ID] = true
		now = now.Add(time.Hour)
	}
	// After three hourly rotations with two hours of grace, the two last
	// previous keys remain.
	if len(keys.Previous) != 2 {
		t.Errorf("%d previous keys, want 2", len(keys.Previous))
	}
	if _, err := keys.Rotate(now, 0); err == nil {
		t.Error("a rotation without grace was accepted")
	}
}
