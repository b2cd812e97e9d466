package pii

import (
	"math/rand/v2"
	"testing"
)

func TestValidIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want bool
	}{
		{"BE68539007547034", true},
		{"BE97001234567890", true},
		{"NL91ABNA0417164300", true},
		{"FR1420041010050500013M02606", true},
		{"DE89370400440532013000", true},
		{"LU280019400644750000", true},
		{"GB29NWBK60161331926819", true},
		{"ES9121000418450200051332", true},
		{"IT60X0542811101000000123456", true},
		{"BE68539007547035", false},   // last digit changed
		{"BE86539007547034", false},   // check digits swapped
		{"NL91ABNA0417164301", false}, // last digit changed
		{"DE89370400440532013001", false},
		{"be68539007547034", false}, // must be upper case here
		{"BE68", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.iban, func(t *testing.T) {
			if got := validIBAN([]byte(tt.iban)); got != tt.want {
				t.Errorf("validIBAN(%q) = %v, want %v", tt.iban, got, tt.want)
			}
		})
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"4111111111111111", true},
		{"4526018159083012", true},
		{"5661318609139097", true},
		{"379603082462817", true}, // 15 digits
		{"4909378657975", true},   // 13 digits
		{"4749118625276018950", true},
		{"79927398713", true}, // the classic example
		{"4111111111111112", false},
		{"4526018159083021", false}, // two digits swapped
		{"79927398710", false},
		{"0", false},
		{"12a4", false},
	}
	for _, tt := range tests {
		t.Run(tt.digits, func(t *testing.T) {
			if got := luhn([]byte(tt.digits)); got != tt.want {
				t.Errorf("luhn(%q) = %v, want %v", tt.digits, got, tt.want)
			}
		})
	}
}

func TestValidNRN(t *testing.T) {
	tests := []struct {
		name, digits string
		want         bool
	}{
		{"born 1985", "85073003328", true},
		{"born 1993", "93051214627", true},
		{"born 1970", "70010100584", true},
		{"born 2001 uses the 2 prefix", "01020312345", true},
		{"born 2012 uses the 2 prefix", "12081526213", true},
		{"bis unknown sex (+20)", "85273003371", true},
		{"bis known sex (+40)", "78431211707", true},
		{"wrong check", "85073003329", false},
		{"2001 with the pre-2000 check", "01020312399", false},
		{"month 13", "85133003328", false},
		{"day 32", "85073203328", false},
		{"bis month 33", "85333003328", false},
		{"ten digits", "8507300332", false},
		{"letters", "8507300332a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validNRN([]byte(tt.digits)); got != tt.want {
				t.Errorf("validNRN(%q) = %v, want %v", tt.digits, got, tt.want)
			}
		})
	}
}

func TestValidBSN(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"123456782", true},
		{"111222333", true},
		{"725763863", true},
		{"174382054", true},
		{"123456783", false}, // last digit changed
		{"213456782", false}, // two digits swapped
		{"000000000", false}, // passes the sum, is no number
		{"12345678", false},
		{"12345678a", false},
	}
	for _, tt := range tests {
		t.Run(tt.digits, func(t *testing.T) {
			if got := validBSN([]byte(tt.digits)); got != tt.want {
				t.Errorf("validBSN(%q) = %v, want %v", tt.digits, got, tt.want)
			}
		})
	}
}

func TestValidNIR(t *testing.T) {
	tests := []struct {
		name, nir string
		want      bool
	}{
		{"man born 1985 in department 78", "185057800608491", true},
		{"woman born abroad", "168129935210163", true},
		{"provisional number", "799109912345671", true},
		{"corsica 2A", "185052A00608435", true},
		{"corsica 2B", "275112B12304537", true},
		{"wrong key", "185057800608436", false},
		{"2A key computed as 20", "185052A00608408", false},
		{"2B key of 2A", "275112B12304538", false},
		{"sex 3", "385057800608488", false},
		{"month 13", "185137800608425", false},
		{"month 00", "185007800608411", false},
		{"department 00", "185050000608463", false},
		{"order 000", "185057800600078", false},
		{"A outside corsica", "185053A00608429", false},
		{"14 characters", "18505780060849", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validNIR([]byte(tt.nir)); got != tt.want {
				t.Errorf("validNIR(%q) = %v, want %v", tt.nir, got, tt.want)
			}
		})
	}
}

func TestValidSteuerID(t *testing.T) {
	tests := []struct {
		name, digits string
		want         bool
	}{
		{"one digit twice", "86095742719", true},
		{"another", "47036892816", true},
		{"one digit three times apart", "65929970489", true},
		{"twice at the end", "12345678995", true},
		{"wrong check digit", "86095742718", false},
		{"leading zero", "02476291358", false},
		{"three in a row", "11123456786", false},
		{"all distinct", "12345678903", false},
		{"two digits twice", "11223456785", false},
		{"ten digits", "8609574271", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validSteuerID([]byte(tt.digits)); got != tt.want {
				t.Errorf("validSteuerID(%q) = %v, want %v",
					tt.digits, got, tt.want)
			}
		})
	}
}

func TestValidEIDCard(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"592123456732", true},
		{"000123456748", true},
		{"592123456789", false},
		{"59212345673", false},
	}
	for _, tt := range tests {
		t.Run(tt.digits, func(t *testing.T) {
			if got := validEIDCard([]byte(tt.digits)); got != tt.want {
				t.Errorf("validEIDCard(%q) = %v, want %v",
					tt.digits, got, tt.want)
			}
		})
	}
}

// TestChanceRates measures how often random digits pass each check, the
// rates ids.go weighs its rules by: about one 11-digit number in 400
// for the national register number, one in 300 for the Steuer-IdNr, one
// 9-digit number in 11 for the BSN and one 15-digit number in 300 for
// the NIR. The digits come from a fixed seed, so the figures are the
// same on every run.
func TestChanceRates(t *testing.T) {
	const n = 500_000
	rng := rand.New(rand.NewPCG(3, 97))
	tests := []struct {
		name   string
		digits int
		valid  func([]byte) bool
		oneIn  float64 // the rate ids.go states, as one number in …
	}{
		{"national register", 11, validNRN, 400},
		{"Steuer-IdNr", 11, validSteuerID, 300},
		{"either 11-digit check", 11,
			func(d []byte) bool { return validNRN(d) || validSteuerID(d) }, 170},
		{"BSN", 9, validBSN, 11},
		{"NIR", 15, validNIR, 300},
	}
	d := make([]byte, 15)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			passed := 0
			for range n {
				for i := range tt.digits {
					d[i] = byte('0' + rng.IntN(10))
				}
				if tt.valid(d[:tt.digits]) {
					passed++
				}
			}
			got := n / float64(passed)
			t.Logf("one random %d-digit number in %.0f passes", tt.digits, got)
			if got < tt.oneIn*0.9 || got > tt.oneIn*1.1 {
				t.Errorf("one in %.0f passes, ids.go says one in %.0f",
					got, tt.oneIn)
			}
		})
	}
}
