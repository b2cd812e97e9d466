package notices

import (
	"testing"

	"github.com/iglowly/assistant/config"
)

func TestEveryNoticeInEveryLanguage(t *testing.T) {
	for kind, text := range texts {
		for _, lang := range config.Languages {
			if text[lang] == "" {
				t.Errorf("notice %q has no %s text", kind, lang)
			}
		}
	}
}

func TestFor(t *testing.T) {
	tests := []struct {
		lang                string
		redacted, emergency bool
		want                []string
	}{
		{"en", false, false, []string{texts[KindAI]["en"]}},
		{"nl", true, false, []string{texts[KindAI]["nl"], texts[KindRedacted]["nl"]}},
		{"fr", true, true, []string{texts[KindAI]["fr"], texts[KindRedacted]["fr"], texts[KindEmergency]["fr"]}},
		{"de", false, true, []string{texts[KindAI]["de"], texts[KindEmergency]["de"]}},
		{"xx", false, false, []string{texts[KindAI]["en"]}}, // unknown language: English
	}
	for _, tt := range tests {
		got := For(tt.lang, tt.redacted, tt.emergency)
		if len(got) != len(tt.want) {
			t.Errorf("For(%s, %v, %v) = %q, want %q", tt.lang, tt.redacted, tt.emergency, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("For(%s, %v, %v)[%d] = %q, want %q", tt.lang, tt.redacted, tt.emergency, i, got[i], tt.want[i])
			}
		}
	}
}
