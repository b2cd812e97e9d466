package config

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// Rate is a limit of the token-bucket kind: up to N requests at once,
// after which the bucket refills at N per Per, one request every Per/N.
// Written "N/Per", such as "5/15s": five at once, then one every 3 s.
type Rate struct {
	// N is the burst, 1 to MaxRateBurst requests.
	N int
	// Per is the time the bucket takes to refill from empty, 1 s to 24 h.
	Per time.Duration
}

// MaxRateBurst is the largest N of a Rate.
const MaxRateBurst = 1_000_000

// The default limits of the edge. A visitor of a clinic's site sends a
// message every few seconds at most, and a few visitors may share an
// address (a waiting room's Wi-Fi, an office, a mobile carrier's NAT).
var (
	// DefaultSessionRate bounds the chats of one session: five at once,
	// then one every 3 s.
	DefaultSessionRate = Rate{N: 5, Per: 15 * time.Second}
	// DefaultAddressRate bounds the chats from one client address: 30 at
	// once, then one a second.
	DefaultAddressRate = Rate{N: 30, Per: 30 * time.Second}
	// DefaultAddressSessionRate bounds the sessions opened from one
	// client address: ten at once, then one every 6 s.
	DefaultAddressSessionRate = Rate{N: 10, Per: time.Minute}
)

// DefaultDailyChats is a clinic's daily chat budget when neither its
// configuration nor the edge's says otherwise.
const DefaultDailyChats = 2000

// MaxDailyChats is the largest daily chat budget a clinic may have.
const MaxDailyChats = 10_000_000

// ParseRate parses "N/Per", such as "5/15s" or "30/1m".
func ParseRate(s string) (Rate, error) {
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, errors.New("rate must be N/duration, such as 5/15s")
	}
	var r Rate
	var err error
	if r.N, err = strconv.Atoi(n); err != nil {
		return Rate{}, errors.New("rate must start with a whole number, such as 5/15s")
	}
	if r.Per, err = time.ParseDuration(per); err != nil {
		return Rate{}, errors.New("rate must end with a duration, such as 5/15s")
	}
	return r, r.Validate()
}

// Validate checks that N and Per are in range.
func (r Rate) Validate() error {
	if r.N < 1 || r.N > MaxRateBurst {
		return fmt.Errorf("rate burst must be 1 to %d", MaxRateBurst)
	}
	if r.Per < time.Second || r.Per > 24*time.Hour {
		return errors.New("rate period must be 1s to 24h")
	}
	return nil
}

// Interval is the time one request takes to refill, Per/N.
func (r Rate) Interval() time.Duration { return r.Per / time.Duration(r.N) }

// IsZero reports whether r is unset.
func (r Rate) IsZero() bool { return r == Rate{} }

// String writes r as ParseRate reads it.
func (r Rate) String() string {
	if r.IsZero() {
		return ""
	}
	return strconv.Itoa(r.N) + "/" + r.Per.String()
}

// Set parses a flag's value, for the flag package.
func (r *Rate) Set(s string) error {
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// rate reads a Rate such as 5/15s; def if unset.
func (r *envReader) rate(name string, def Rate) Rate {
	v := r.env.or(name, "")
	if v == "" {
		return def
	}
	rate, err := ParseRate(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: %w", name, err))
		return def
	}
	return rate
}

// Prefixes is a list of IP networks, written comma-separated in CIDR
// form, such as "10.0.0.0/8,fd00::/8".
type Prefixes []netip.Prefix

// ParsePrefixes parses a comma-separated list of CIDR networks; "" is
// none. A bare address is the network of that address alone.
func ParsePrefixes(s string) (Prefixes, error) {
	var out Prefixes
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return nil, errors.New("want networks in CIDR form, such as 10.0.0.0/8")
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// String writes the list as ParsePrefixes reads it.
func (p *Prefixes) String() string {
	if p == nil {
		return ""
	}
	parts := make([]string, len(*p))
	for i, n := range *p {
		parts[i] = n.String()
	}
	return strings.Join(parts, ",")
}

// Set parses a flag's value, for the flag package.
func (p *Prefixes) Set(s string) error {
	v, err := ParsePrefixes(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// prefixes reads a list of CIDR networks; none if unset.
func (r *envReader) prefixes(name string) Prefixes {
	p, err := ParsePrefixes(r.env.or(name, ""))
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: %w", name, err))
	}
	return p
}

// registerEdgeSecurity adds the edge's HTTPS and limit flags to fs, with
// defaults from r's environment.
func (c *Edge) registerEdgeSecurity(fs *flag.FlagSet, r *envReader) {
	fs.StringVar(&c.TLSCertFile, "tls-cert", r.env.or("IGLOWLY_TLS_CERT", ""),
		"PEM certificate chain to serve HTTPS with")
	fs.StringVar(&c.TLSKeyFile, "tls-key", r.env.or("IGLOWLY_TLS_KEY", ""),
		"PEM private key of the HTTPS certificate")
	c.SessionRate = r.rate("IGLOWLY_SESSION_RATE", DefaultSessionRate)
	fs.Var(&c.SessionRate, "session-rate", "chats per session, as N/duration")
	c.AddressRate = r.rate("IGLOWLY_ADDRESS_RATE", DefaultAddressRate)
	fs.Var(&c.AddressRate, "address-rate", "chats per client address, as N/duration")
	c.AddressSessionRate = r.rate("IGLOWLY_ADDRESS_SESSION_RATE", DefaultAddressSessionRate)
	fs.Var(&c.AddressSessionRate, "address-session-rate",
		"sessions opened per client address, as N/duration")
	fs.IntVar(&c.DailyChats, "daily-chats", r.int("IGLOWLY_DAILY_CHATS", DefaultDailyChats),
		"daily chat budget of a clinic that sets none")
	c.TrustedProxies = r.prefixes("IGLOWLY_TRUSTED_PROXIES")
	fs.Var(&c.TrustedProxies, "trusted-proxies",
		"networks of the load balancers whose X-Forwarded-For to trust, comma-separated CIDR")
}

// validateEdgeSecurity names every problem of the edge's HTTPS and limit
// settings.
func (c *Edge) validateEdgeSecurity() error {
	var errs []error
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("tls: certificate and key go together"))
	}
	for _, f := range []string{c.TLSCertFile, c.TLSKeyFile} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			errs = append(errs, fmt.Errorf("tls: %w", err))
		}
	}
	for _, r := range []struct {
		name string
		rate Rate
	}{{"session rate", c.SessionRate}, {"address rate", c.AddressRate},
		{"address session rate", c.AddressSessionRate}} {
		if err := r.rate.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.name, err))
		}
	}
	if c.DailyChats < 1 || c.DailyChats > MaxDailyChats {
		errs = append(errs, fmt.Errorf("daily chats must be 1 to %d", MaxDailyChats))
	}
	return errors.Join(errs...)
}
