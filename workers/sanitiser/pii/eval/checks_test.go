package eval

import (
	"strconv"
	"strings"
	"testing"
)

// The check-digit rules the annotated set must obey, written for the set's
// test only: they prove the numbers in the set are real-looking, so a
// detector that checks them has something to find.

// ibanLengths holds the IBAN length of the countries in the set.
var ibanLengths = map[string]int{"BE": 16, "NL": 18, "FR": 27, "DE": 22, "LU": 20}

// validIBANValue reports whether s, with or without spaces, is an IBAN of
// a known country whose ISO 13616 check digits hold, and whose national
// check holds for Belgium and France.
func validIBANValue(s string) bool {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) < 5 || len(s) != ibanLengths[s[:2]] {
		return false
	}
	rem := 0
	for _, c := range s[4:] + s[:4] {
		switch {
		case '0' <= c && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	switch s[:2] {
	case "BE":
		return rem == 1 && belgianAccountOK(s[4:])
	case "FR":
		return rem == 1 && ribKeyOK(s[4:])
	}
	return rem == 1
}

// belgianAccountOK checks a Belgian account number: its last two digits
// are the first ten modulo 97, or 97 when that is 0.
func belgianAccountOK(bban string) bool {
	n, err1 := strconv.ParseInt(bban[:10], 10, 64)
	k, err2 := strconv.Atoi(bban[10:])
	if err1 != nil || err2 != nil {
		return false
	}
	want := int(n % 97)
	if want == 0 {
		want = 97
	}
	return k == want
}

// ribKeyOK checks the French RIB key of a BBAN (bank, branch, account,
// key): 97 minus (89 bank + 15 branch + 3 account) modulo 97, letters of
// the account read as digits.
func ribKeyOK(bban string) bool {
	var acct strings.Builder
	for _, c := range bban[10:21] {
		switch {
		case 'A' <= c && c <= 'I':
			acct.WriteByte(byte('1' + c - 'A'))
		case 'J' <= c && c <= 'R':
			acct.WriteByte(byte('1' + c - 'J'))
		case 'S' <= c && c <= 'Z':
			acct.WriteByte(byte('2' + c - 'S'))
		default:
			acct.WriteRune(c)
		}
	}
	bank, e1 := strconv.Atoi(bban[:5])
	branch, e2 := strconv.Atoi(bban[5:10])
	account, e3 := strconv.ParseInt(acct.String(), 10, 64)
	key, e4 := strconv.Atoi(bban[21:])
	if e1 != nil || e2 != nil || e3 != nil || e4 != nil {
		return false
	}
	sum := (89*int64(bank) + 15*int64(branch) + 3*account) % 97
	return int64(key) == 97-sum
}

// validCard reports whether s, with spaces or dashes, is 13 to 19 digits
// whose Luhn check digit holds.
func validCard(s string) bool {
	d := digitsOnly(s, " -")
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := range len(d) {
		x := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}

// nationalIDKind names the kind of national id the annotated value v of
// message text is, from its length and, for eleven digits, from the
// words around it: a tax id is German, any other eleven digits Belgian.
func nationalIDKind(text, v string) string {
	d := digitsOnly(v, " .-/")
	switch {
	case len(d) == 9:
		return "bsn"
	case len(d) == 15:
		return "nir"
	case len(d) == 11 && mentionsTax(text):
		return "steuer"
	case len(d) == 11:
		return "belgian"
	}
	return "unknown"
}

func mentionsTax(text string) bool {
	t := strings.ToLower(text)
	return strings.Contains(t, "steuer") || strings.Contains(t, "tax")
}

// validNationalID reports whether v holds the check of its kind.
func validNationalID(kind, v string) bool {
	d := digitsOnly(v, " .-/")
	switch kind {
	case "bsn":
		return validBSN(d)
	case "nir":
		return validNIR(d)
	case "steuer":
		return validSteuerID(d)
	case "belgian":
		return validBelgianNumber(d)
	}
	return false
}

// validBelgianNumber checks a national register or BIS number: a birth
// date (BIS months raised by 20 or 40), a serial and 97 minus the first
// nine digits modulo 97, with a 2 put in front of them for births from
// 2000 on.
func validBelgianNumber(d string) bool {
	if len(d) != 11 || !allDigits(d) {
		return false
	}
	month, _ := strconv.Atoi(d[2:4])
	day, _ := strconv.Atoi(d[4:6])
	if month > 52 || month%20 > 12 || day > 31 {
		return false
	}
	body, _ := strconv.Atoi(d[:9])
	check, _ := strconv.Atoi(d[9:])
	return check == 97-body%97 || check == 97-(2_000_000_000+body)%97
}

// validBSN checks the Dutch eleven-test: the first eight digits weighted
// 9 down to 2, minus the last, are a multiple of 11.
func validBSN(d string) bool {
	if len(d) != 9 || !allDigits(d) || d == "000000000" {
		return false
	}
	sum := -int(d[8] - '0')
	for i := range 8 {
		sum += int(d[i]-'0') * (9 - i)
	}
	return sum%11 == 0
}

// validNIR checks a French social security number: sex, year, month,
// department (2A and 2B for Corsica, read as 19 and 18), commune, order,
// then a key of 97 minus the thirteen digits modulo 97.
func validNIR(s string) bool {
	if len(s) != 15 || !strings.ContainsRune("12378", rune(s[0])) {
		return false
	}
	body := s[:13]
	switch body[5:7] {
	case "2A":
		body = body[:5] + "19" + body[7:]
	case "2B":
		body = body[:5] + "18" + body[7:]
	}
	if !allDigits(body) || !allDigits(s[13:]) {
		return false
	}
	n, _ := strconv.ParseInt(body, 10, 64)
	key, _ := strconv.Atoi(s[13:])
	return int64(key) == 97-n%97
}

// validSteuerID checks a German tax id: no leading zero; in the first ten
// digits one digit appears twice or three times (never three in a row)
// and the others at most once; the last digit is the ISO 7064 MOD 11,10
// check of the first ten.
func validSteuerID(d string) bool {
	if len(d) != 11 || !allDigits(d) || d[0] == '0' {
		return false
	}
	var seen [10]int
	for i := range 10 {
		seen[d[i]-'0']++
	}
	repeated := 0
	for _, n := range seen {
		if n > 3 {
			return false
		}
		if n > 1 {
			repeated++
		}
	}
	if repeated != 1 {
		return false
	}
	for i := 0; i+2 < 10; i++ {
		if d[i] == d[i+1] && d[i] == d[i+2] {
			return false
		}
	}
	product := 10
	for i := range 10 {
		sum := (int(d[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = sum * 2 % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == int(d[10]-'0')
}

func digitsOnly(s, seps string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(seps, r) {
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// TestChecks proves the checks above: each accepts a valid number and
// rejects the same number with one digit changed.
func TestChecks(t *testing.T) {
	tests := []struct {
		name      string
		check     func(string) bool
		good, bad string
	}{
		{"iban NL", validIBANValue, "NL91 ABNA 0417 1643 00", "NL91 ABNA 0417 1643 01"},
		{"iban BE national check", validIBANValue, "BE21001234567803", "BE21001234567804"},
		{"iban FR with letters", validIBANValue,
			"FR1420041010050500013M02606", "FR1420041010050500013N02606"},
		{"iban wrong length", validIBANValue, "DE89370400440532013000", "DE8937040044053201300"},
		{"card", validCard, "4111 1111 1111 1111", "4111 1111 1111 1112"},
		{"card too short", validCard, "4222222222222", "42222222222"},
		{"belgian before 2000", validBelgianNumber, "85031214738", "85031214739"},
		{"belgian from 2000", validBelgianNumber, "00022931819", "00022931818"},
		{"belgian bad month", validBelgianNumber, "87230115359", "87630115359"},
		{"bsn", validBSN, "111222333", "111222334"},
		{"nir", validNIR, "279037511402318", "279037511402319"},
		{"nir corsica", validNIR, "178092A00401586", "178092B00401586"},
		{"steuer", validSteuerID, "86095742719", "86095742710"},
		{"steuer without a repeated digit", validSteuerID, "47123856190", "47123856090"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.check(tt.good) {
				t.Errorf("rejects valid %s", tt.good)
			}
			if tt.check(tt.bad) {
				t.Errorf("accepts invalid %s", tt.bad)
			}
		})
	}
}
