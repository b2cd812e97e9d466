package pii

import "testing"

func TestIPAddresses(t *testing.T) {
	runIDCases(t, NewWith(ipDetector{}), []idCase{
		{"v4", "my IP 81.164.23.7 is blocked", "my IP [IP_ADDRESS_1] is blocked",
			ReasonPattern},
		{"v4 sentence end", "ip is 178.117.42.201.", "ip is [IP_ADDRESS_1].", ""},
		{"v4 port", "server 10.0.0.1:8080 down", "server [IP_ADDRESS_1]:8080 down", ""},
		{"v4 prefix", "net 192.168.1.0/24", "net [IP_ADDRESS_1]/24", ""},
		{"v4 after colon", "ip:94.224.18.96", "ip:[IP_ADDRESS_1]", ""},
		{"v4 zeros", "0.0.0.0 and 255.255.255.255",
			"[IP_ADDRESS_1] and [IP_ADDRESS_2]", ""},
		{"v4 twice", "1.2.3.4 then 1.2.3.4", "[IP_ADDRESS_1] then [IP_ADDRESS_1]", ""},
		{"v6 full", "IPv6 is 2a02:1811:c41f:d900:5c3e:91ff:fe12:7b40 ok",
			"IPv6 is [IP_ADDRESS_1] ok", ""},
		{"v6 compressed", "my ip 2a01:cb00:8c4:e200::1b7 from France",
			"my ip [IP_ADDRESS_1] from France", ""},
		{"v6 loopback", "try ::1 or fe80::1%eth0", "try [IP_ADDRESS_1] or [IP_ADDRESS_2]%eth0", ""},
		{"v6 brackets port", "[2001:db8::1]:8080", "[[IP_ADDRESS_1]]:8080", ""},
		{"v6 v4 tail", "::ffff:192.0.2.1", "[IP_ADDRESS_1]", ""},
		{"v6 glued label", "IPv6:2001:db8::ff00:42:8329", "IPv6:[IP_ADDRESS_1]", ""},
		{"v6 upper case same key", "2001:DB8::1 = 2001:db8::1",
			"[IP_ADDRESS_1] = [IP_ADDRESS_1]", ""},
		{"v6 trailing colon", "address 2001:db8::7: right?", "address [IP_ADDRESS_1]: right?", ""},

		{"date", "op 12.03.2025 of 1.2.2025", "op 12.03.2025 of 1.2.2025", ""},
		{"price", "€1.250.000 of 1.250.000.000", "€1.250.000 of 1.250.000.000", ""},
		{"octet too big", "256.1.1.1", "256.1.1.1", ""},
		{"leading zero", "01.02.03.04", "01.02.03.04", ""},
		{"five groups", "1.2.3.4.5", "1.2.3.4.5", ""},
		{"three groups", "10.0.1", "10.0.1", ""},
		{"version glued", "v1.2.3.4", "v1.2.3.4", ""},
		{"version word", "app version 4.2.1.0", "app version 4.2.1.0", ""},
		{"decimal", "1.2.3.4,5", "1.2.3.4,5", ""},
		{"time", "om 10:30 of 10:30:00", "om 10:30 of 10:30:00", ""},
		{"times range", "14:30-15:00", "14:30-15:00", ""},
		{"am", "10:30am", "10:30am", ""},
		{"mac", "00:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5e", ""},
		{"eui-64", "00:1a:2b:ff:fe:3c:4d:5e", "00:1a:2b:ff:fe:3c:4d:5e", ""},
		{"mistyped time", "om 10::30", "om 10::30", ""},
		{"two compressions", "2001::db8::1", "2001::db8::1", ""},
		{"double colon alone", "Note:: this", "Note:: this", ""},
		{"no digit", "cafe::beef", "cafe::beef", ""},
		{"group too long", "12345::1", "12345::1", ""},
		{"ratio", "1:2:3", "1:2:3", ""},
	})
}
