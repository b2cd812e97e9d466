package pii

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
	for _, c := range d {
		if !isDigit(c) {
			return false
		}
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
