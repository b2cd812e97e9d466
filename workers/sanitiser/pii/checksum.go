package pii

import "strings"

// validIBAN reports whether iban, in upper case without spaces, has valid
// ISO 13616 check digits: with the first four characters moved to the
// end and letters read as 10..35, the number is 1 modulo 97.
func validIBAN(iban []byte) bool {
	if len(iban) < 5 || len(iban) > maxIBAN {
		return false
	}
	rem := 0
	for k := range iban {
		c := iban[(k+4)%len(iban)]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// luhn reports whether the digit string d has a valid Luhn check digit
// (its last digit).
func luhn(d []byte) bool {
	if len(d) < 2 {
		return false
	}
	sum := 0
	for k := range d {
		c := d[len(d)-1-k]
		if !isDigit(c) {
			return false
		}
		v := int(c - '0')
		if k%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// validNRN reports whether the 11 digits d are a Belgian national register
// number (rijksregisternummer, numéro de registre national) or BIS number:
// a birth date YYMMDD, a sequence number and two check digits equal to 97
// minus the first nine digits modulo 97. For people born from 2000 the
// nine digits are prefixed with a 2 before the modulo. BIS numbers add 20
// (sex unknown) or 40 (sex known) to the month; a month or day of 00
// stands for an unknown date.
func validNRN(d []byte) bool {
	if len(d) != 11 {
		return false
	}
	if !allDigits(d) {
		return false
	}
	month := num(d[2:4]) % 20
	if num(d[2:4]) >= 60 || month > 12 || num(d[4:6]) > 31 {
		return false
	}
	base := num(d[:9])
	check := num(d[9:])
	return 97-base%97 == check || 97-(2_000_000_000+base)%97 == check
}

// num reads a short digit string as a number.
func num(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

// validBSN reports whether the 9 digits d pass the Dutch "elfproef" of
// the burgerservicenummer: the digits weighted 9, 8, ... 2 and the last
// one -1 sum to a multiple of 11. Nine zeros are refused.
func validBSN(d []byte) bool {
	if len(d) != 9 || !allDigits(d) {
		return false
	}
	sum, zero := 0, true
	for k, c := range d {
		w := 9 - k
		if k == 8 {
			w = -1
		}
		sum += w * int(c-'0')
		zero = zero && c == '0'
	}
	return !zero && sum%11 == 0
}

// validNIR reports whether the 15 characters d are a French numéro
// d'inscription au répertoire (numéro de sécurité sociale): sex 1, 2, 7
// or 8 (7 and 8 are provisional numbers), year, month (01-12, or 20-42
// and 50-99 where the civil record gives none), department (01-99, or
// 2A / 2B for Corsica), commune, order number and a key of 97 minus the
// first 13 characters modulo 97, with 2A read as 19 and 2B as 18. Sex
// digits 3 and 4 are left out: they are rare, and a 15-digit number
// starting with 34 or 37 is an American Express card.
func validNIR(d []byte) bool {
	if len(d) != 15 || !allDigits(d[:6]) || !allDigits(d[7:]) {
		return false
	}
	if !strings.ContainsRune("1278", rune(d[0])) {
		return false
	}
	if m := num(d[3:5]); m == 0 || 12 < m && m < 20 || 42 < m && m < 50 {
		return false
	}
	base := 0
	switch d[6] {
	case 'A', 'B':
		if d[5] != '2' {
			return false
		}
		base = num(d[:5])*100 + 19 - int(d[6]-'A')
	default:
		if !isDigit(d[6]) || num(d[5:7]) == 0 {
			return false
		}
		base = num(d[:7])
	}
	if num(d[7:10]) == 0 || num(d[10:13]) == 0 {
		return false
	}
	// base·10⁶ + the rest, modulo 97, without overflowing 32-bit ints.
	rem := (base%97*(1_000_000%97) + num(d[7:13])) % 97
	key := num(d[13:])
	return key >= 1 && key == 97-rem
}

// validSteuerID reports whether the 11 digits d are a German steuerliche
// Identifikationsnummer: no leading zero; among the first ten digits
// exactly one digit occurs twice or three times (three times not in a
// row) and every other at most once; and the last digit is the ISO 7064
// MOD 11,10 check digit of the first ten.
func validSteuerID(d []byte) bool {
	if len(d) != 11 || !allDigits(d) || d[0] == '0' {
		return false
	}
	if !steuerRepetition(d[:10]) {
		return false
	}
	product := 10
	for _, c := range d[:10] {
		sum := (int(c-'0') + product) % 10
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

// steuerRepetition checks the digit-repetition rule of the first ten
// digits of a Steuer-IdNr.
func steuerRepetition(d []byte) bool {
	var counts [10]int
	for _, c := range d {
		counts[c-'0']++
	}
	repeated, triple := 0, false
	for _, n := range counts {
		switch {
		case n == 3:
			triple = true
			fallthrough
		case n == 2:
			repeated++
		case n > 3:
			return false
		}
	}
	if repeated != 1 {
		return false
	}
	for k := 2; triple && k < len(d); k++ {
		if d[k] == d[k-1] && d[k] == d[k-2] {
			return false
		}
	}
	return true
}

// validEIDCard reports whether the 12 digits d are a Belgian identity
// card number (eID, kids-ID, residence card): ten digits and two check
// digits equal to the ten modulo 97, or 97 when that is 0.
func validEIDCard(d []byte) bool {
	if len(d) != 12 || !allDigits(d) {
		return false
	}
	check := num(d[:10]) % 97
	if check == 0 {
		check = 97
	}
	return check == num(d[10:])
}

// allDigits reports whether d holds ASCII digits only.
func allDigits(d []byte) bool {
	for _, c := range d {
		if !isDigit(c) {
			return false
		}
	}
	return true
}
