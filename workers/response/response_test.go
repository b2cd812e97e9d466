package response

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/iglowly/assistant/config"
)

func demo(t *testing.T) *config.Clinic {
	t.Helper()
	cs, err := config.DemoClinics("https://a.example", "https://b.example")
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

func TestGuard(t *testing.T) {
	c := demo(t)
	w := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	draft := "Call us at " + c.Contact.Phone + " or write to " + c.Contact.Email +
		", or book at " + c.Contact.BookingURL + ". I noted your address " +
		"jan.peeters@example.com and your number 0470 12 34 56, IBAN BE71 0961 2345 6769."
	got := w.Guard(c, "", draft)
	for _, keep := range []string{c.Contact.Phone, c.Contact.Email, c.Contact.BookingURL} {
		if !strings.Contains(got, keep) {
			t.Errorf("the clinic's own %q was removed: %q", keep, got)
		}
	}
	for _, gone := range []string{"jan.peeters", "0470 12 34 56", "BE71"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q survived the guard: %q", gone, got)
		}
	}
	for _, placeholder := range []string{"[EMAIL_1]", "[PHONE_1]", "[IBAN_1]"} {
		if !strings.Contains(got, placeholder) {
			t.Errorf("%s missing in %q", placeholder, got)
		}
	}
}

// TestGuardMarkers checks that a draft cannot use the guard's own
// markers to keep a value in clear: they are removed before anything
// else, so the value is redacted like any other.
func TestGuardMarkers(t *testing.T) {
	c := demo(t)
	w := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	got := w.Guard(c, "", "Mail \uE000jan@example.com\uE001 or \uE0000\uE001.")
	if strings.ContainsAny(got, "\uE000\uE001") || strings.Contains(got, "jan@example.com") {
		t.Errorf("markers or the address survived: %q", got)
	}
}

// TestGuardLinks checks that links to the clinic's own sites, and pages
// under them, stay, and that every other link, however it is written,
// is removed from the draft.
func TestGuardLinks(t *testing.T) {
	c := demo(t)
	w := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	site := strings.TrimSuffix(c.Contact.Website, "/")
	keep := []string{
		c.Contact.BookingURL,
		site + "/prices#botox",
		strings.Replace(site, "https://", "http://", 1) + "/faq",
		strings.TrimPrefix(site, "https://"),
	}
	for _, link := range keep {
		draft := "See " + link + ". Thanks!"
		if got := w.Guard(c, "", draft); got != draft {
			t.Errorf("the clinic's link %q was changed: %q", link, got)
		}
	}
	gone := []string{
		"https://cheap-botox.example/deal",
		"HTTP://Cheap-Botox.example",
		"www.evil.example/login",
		"https://" + strings.TrimPrefix(strings.TrimPrefix(site, "https://"),
			"www.") + ".evil.example/",
		"https://user@" + strings.TrimPrefix(site, "https://") + "/",
	}
	for _, link := range gone {
		got := w.Guard(c, "", "Book cheaper at "+link+", really.")
		if strings.Contains(strings.ToLower(got), "evil") ||
			strings.Contains(strings.ToLower(got), "cheap-botox") ||
			strings.Contains(got, "user@") || !strings.Contains(got, linkRemoved) {
			t.Errorf("the foreign link %q survived: %q", link, got)
		}
	}
	if got := w.Guard(c, "",
		"Versions 1.2 and node.js, e.g. botox.a"); got != "Versions 1.2 and node.js, e.g. botox.a" {
		t.Errorf("text without links was changed: %q", got)
	}
}
