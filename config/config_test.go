package config

import (
	"strings"
	"testing"
)

func TestDemoClinicsAreValidAndDistinct(t *testing.T) {
	cs, err := DemoClinics("http://127.0.0.1:8080", "http://localhost:8080")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].ID != "demo" || cs[1].ID != "demo-2" {
		t.Fatalf("demo clinics: %d", len(cs))
	}
	if !cs[0].AllowsOrigin("http://127.0.0.1:8080") || cs[0].AllowsOrigin("http://localhost:8080") {
		t.Error("demo must allow only the 127.0.0.1 dev origin")
	}
	if !cs[1].AllowsOrigin("http://localhost:8080") || cs[1].AllowsOrigin("http://127.0.0.1:8080") {
		t.Error("demo-2 must allow only the localhost dev origin")
	}
}

func TestClinicValidation(t *testing.T) {
	good := `{"id":"abc","name":"A","languages":["en"],"greeting":{"en":"Hi"},
		"allowed_origins":["https://a.example"],"contact":{"phone":"","email":"","booking_url":"",
		"address":{"street":"","postcode":"","city":"","country":""}},"hours":[],"treatments":[]}`
	if _, err := ParseClinic([]byte(good)); err != nil {
		t.Fatalf("good clinic refused: %v", err)
	}
	cases := map[string]struct{ from, to, want string }{
		"bad id":          {`"id":"abc"`, `"id":"A.B"`, "id"},
		"subject id":      {`"id":"abc"`, `"id":"a.>"`, "id"},
		"no name":         {`"name":"A"`, `"name":" "`, "name"},
		"bad language":    {`["en"]`, `["es"]`, "language"},
		"origin path":     {`"https://a.example"`, `"https://a.example/x"`, "origin"},
		"origin scheme":   {`"https://a.example"`, `"javascript:alert(1)"`, "origin"},
		"bad hours":       {`"hours":[]`, `"hours":[{"day":"mon","open":"18:00","close":"09:00"}]`, "opening hours"},
		"bad day":         {`"hours":[]`, `"hours":[{"day":"xyz","open":"09:00","close":"18:00"}]`, "opening hours"},
		"unknown field":   {`"name":"A"`, `"name":"A","secret":1`, "unknown object member name"},
		"negative price":  {`"treatments":[]`, `"treatments":[{"id":"x","name":{"en":"X"},"description":{},"price_from":-1}]`, "price"},
		"repeated id":     {`"treatments":[]`, `"treatments":[{"id":"x","name":{"en":"X"},"description":{},"price_from":1},{"id":"x","name":{"en":"X"},"description":{},"price_from":1}]`, "repeated"},
		"no greeting":     {`"greeting":{"en":"Hi"}`, `"greeting":{}`, "greeting"},
		"text in klingon": {`"greeting":{"en":"Hi"}`, `"greeting":{"en":"Hi","tlh":"nuqneH"}`, "greeting has text"},
		"bad email":       {`"email":""`, `"email":"Jan <jan@x.example>"`, "contact email"},
		"two emails":      {`"email":""`, `"email":"a@x.example,b@y.example"`, "contact email"},
		"script link":     {`"booking_url":""`, `"booking_url":"javascript:alert(1)"`, "booking_url"},
		"relative link":   {`"booking_url":""`, `"booking_url":"/book"`, "booking_url"},
		"negative length": {`"treatments":[]`, `"treatments":[{"id":"x","name":{"en":"X"},"description":{},"price_from":1,"duration_minutes":-5}]`, "duration"},
		"faq no answer":   {`"treatments":[]`, `"treatments":[],"faq":[{"id":"parking","keywords":["parking"],"answer":{}}]`, "faq"},
		"hosted model":    {`"hours":[]`, `"hours":[],"model":"gpt-4o"`, "model"},
		"name twice":      {`"name":"A"`, `"name":"A","name":"B"`, "decoding"},
		"name in caps":    {`"name":"A"`, `"Name":"A"`, "decoding"},
		"unknown zone":    {`"hours":[]`, `"hours":[],"time_zone":"Europe/Atlantis"`, "time zone"},
		"fixed zone":      {`"hours":[]`, `"hours":[],"time_zone":"UTC"`, "time zone"},
		"zone path trick": {`"hours":[]`, `"hours":[],"time_zone":"../../etc/passwd"`, "time zone"},
		"range backwards": {`"treatments":[]`, `"treatments":[{"id":"x","name":{"en":"X"},"description":{},"price_from":9,"price_to":3}]`, "price"},
	}
	zoned, err := ParseClinic([]byte(strings.Replace(good, `"hours":[]`, `"hours":[],"time_zone":"Europe/Amsterdam"`, 1)))
	if err != nil || zoned.Location().String() != "Europe/Amsterdam" {
		t.Errorf("clinic in Amsterdam: %v, location %v", err, zoned.Location())
	}
	if plain, _ := ParseClinic([]byte(good)); plain.Location().String() != DefaultTimeZone {
		t.Errorf("clinic without a zone is in %v, want %s", plain.Location(), DefaultTimeZone)
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseClinic([]byte(strings.Replace(good, c.from, c.to, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want mention of %q", err, c.want)
			}
		})
	}
}

func TestTextFallback(t *testing.T) {
	tx := Text{"en": "Hello", "nl": "Hallo"}
	if tx.In("nl") != "Hallo" || tx.In("fr") != "Hello" || (Text{"de": "Hallo"}).In("fr") != "Hallo" {
		t.Error("Text.In falls back wrongly")
	}
	c := &Clinic{Languages: []string{"nl", "en"}}
	if c.Language("fr") != "nl" || c.Language("en") != "en" {
		t.Error("Clinic.Language picks wrongly")
	}
}

func TestLoadConfigNamesEveryProblem(t *testing.T) {
	env := func(m map[string]string) Env { return func(k string) string { return m[k] } }
	_, err := LoadEdge([]string{"--nats", "", "--session-idle", "1s"}, env(nil))
	for _, want := range []string{"URL is empty", "user", "session key", "session idle"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("edge config error %v lacks %q", err, want)
		}
	}
	c, err := LoadWorker("sanitiser", nil, env(map[string]string{
		"IGLOWLY_NATS_USER": "sanitiser", "IGLOWLY_NATS_PASSWORD": "pw", "IGLOWLY_CONCURRENCY": "8",
		"IGLOWLY_NATS_INSECURE": "true",
	}))
	if err != nil || c.Concurrency != 8 || c.NATS.Password != "pw" {
		t.Errorf("worker config %+v, %v", c, err)
	}
	if _, err := LoadWorker("model", []string{"--nats-user", "x", "--concurrency", "0"}, env(nil)); err == nil ||
		!strings.Contains(err.Error(), "unknown worker") || !strings.Contains(err.Error(), "concurrency") {
		t.Errorf("bad worker config: %v", err)
	}
	if v := c.NATS.LogValue().String(); strings.Contains(v, "pw") {
		t.Errorf("password logged: %s", v)
	}
}

func TestValidClinicID(t *testing.T) {
	cases := []struct {
		id   string
		want bool
	}{
		{"demo", true},
		{"demo-2", true},
		{"abc", true},
		{strings.Repeat("a", 40), true},
		{"ab", false},
		{strings.Repeat("a", 41), false},
		{"Demo", false},
		{"demo.2", false},
		{"demo*", false},
		{"demo>", false},
		{"de mo", false},
		{"demo_2", false},
		{"démo", false},
		{"", false},
	}
	for _, c := range cases {
		if got := ValidClinicID(c.id); got != c.want {
			t.Errorf("ValidClinicID(%q) = %v, want %v", c.id, got, c.want)
		}
	}
}
