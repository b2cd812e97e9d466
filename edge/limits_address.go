package edge

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// addressContext separates the address hash from every other use of a
// key.
const addressContext = "iglowly-address-v1\x00"

// clientAddr returns the address a request came from: the peer's, or,
// when the peer is a trusted proxy, the last address before the trusted
// proxies in X-Forwarded-For. The zero Addr if none can be told.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := parseHost(r.RemoteAddr)
	if !isTrusted(peer, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A proxy we trust wrote nothing like this: stop at the
			// last hop it vouched for.
			return client
		}
		client = a.Unmap()
		if !isTrusted(client, trusted) {
			return client
		}
	}
	return client
}

// parseHost returns the address of a host:port, or the zero Addr.
func parseHost(hostport string) netip.Addr {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// addressHash returns the key of a client address: an HMAC of the
// address under the edges' shared address key, so that the limits bucket
// and the logs never hold an address in clear and it cannot be found
// again by hashing every address. An IPv6 client counts by its /64,
// which one host can move around in at will.
func addressHash(key []byte, a netip.Addr) string {
	var buf [17]byte
	b := buf[:0]
	switch {
	case a.Is4():
		v := a.As4()
		b = append(append(b, 4), v[:]...)
	case a.Is6():
		v := a.As16()
		b = append(append(b, 6), v[:8]...)
	default:
		b = append(b, 0)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(addressContext))
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil)[:16])
}
