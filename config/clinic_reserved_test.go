package config

import (
	"strings"
	"testing"
)

// TestSystemClinicReserved checks that no clinic may take the id of the
// pseudo-clinic that holds the events of no clinic, though the id stays
// a valid subject token for those events.
func TestSystemClinicReserved(t *testing.T) {
	good := `{"id":"abc","name":"A","languages":["en"],"greeting":{"en":"Hi"},
		"allowed_origins":[],"contact":{"phone":"","email":"","booking_url":"",
		"address":{"street":"","postcode":"","city":"","country":""}},
		"hours":[],"treatments":[]}`
	if _, err := ParseClinic([]byte(good)); err != nil {
		t.Fatalf("good clinic refused: %v", err)
	}
	raw := strings.Replace(good, `"id":"abc"`, `"id":"`+SystemClinic+`"`, 1)
	_, err := ParseClinic([]byte(raw))
	if err == nil || !strings.Contains(err.Error(), `id "system" is reserved`) {
		t.Errorf("clinic %q: err = %v, want it reserved", SystemClinic, err)
	}
	if !ValidClinicID(SystemClinic) {
		t.Errorf("%q must stay a valid subject token", SystemClinic)
	}
	near := strings.Replace(good, `"id":"abc"`, `"id":"system-2"`, 1)
	if _, err := ParseClinic([]byte(near)); err != nil {
		t.Errorf("clinic system-2 refused: %v", err)
	}
}
