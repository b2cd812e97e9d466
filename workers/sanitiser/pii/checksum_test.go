package pii

import "testing"

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
