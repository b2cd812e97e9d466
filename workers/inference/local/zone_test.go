package local

import (
	"testing"
	"time"
)

var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err)
	}
	return loc
}()

// TestHoursInTheClinicsZone asks "open now?" at one instant of a clinic
// in Brussels and of the same clinic in Lisbon, an hour behind: 09:30 in
// Brussels is 08:30 in Lisbon, before the clinic opens at 09:00.
func TestHoursInTheClinicsZone(t *testing.T) {
	demo, _ := demoClinics(t)
	at := time.Date(2026, 3, 5, 9, 30, 0, 0, brussels) // Thursday

	answer, _ := askAt(t, demo, "en", at.UTC(), "are you open now?")
	checkContains(t, answer, "We are open right now, until 20:00.")

	lisbon := *demo
	lisbon.TimeZone = "Europe/Lisbon"
	if err := lisbon.Validate(); err != nil {
		t.Fatalf("clinic in Lisbon: %v", err)
	}
	answer, _ = askAt(t, &lisbon, "en", at.UTC(), "are you open now?")
	checkContains(t, answer, "We are closed right now.",
		"Today (Thursday) we are open from 09:00 to 20:00.")
}
