package triage

import "strings"

// Language indexes.
const (
	en = iota
	nl
	fr
	de
	numLangs
)

var langCodes = [numLangs]string{"en", "nl", "fr", "de"}

// langWords lists words typical of each language with a weight: 3 for
// words found in that language only, 2 for frequent ones, 1 for words
// shared with another of the four languages. A word may be listed under
// several languages.
var langWords = []struct {
	lang   int
	weight int8
	words  string
}{
	{en, 3, `i it the and for to not yes hi how what which when where why
		does doesn don would could should about there please thanks
		thank much many price prices cost costs hello appointment
		treatment treatments hurt painful lips skin removal hair face
		after before with your you my get need want will can safe any
		have has been this that these those from wrinkles morning
		afternoon evening saturday sunday weekend book booking opening
		hours week weeks years old t ll ve are`},
	{en, 2, `long help be or if an at m re`},
	{en, 1, `is in was me we do of on so no s am hey a open`},
	{nl, 3, `hoeveel kost wat welke wanneer waar waarom hoe het een ik
		mijn jullie u uw niet ook nog maar zijn heb hebt heeft hebben kan
		kunt kunnen mag moet graag bedankt dag goedendag goedemorgen
		goedemiddag goedenavond afspraak behandeling behandelingen pijn
		huid ontharing zaterdag zondag geopend openingsuren prijs prijzen
		voor met bij naar tot na dan deze dit zich wordt gisteren vandaag
		sinds veel zeer erg heel mij zie doet doen dus wel geen al wil
		bent komen gaan nodig zou eens weken gezicht jaar uur nu avonds
		hoi`},
	{nl, 2, `ben worden`},
	{nl, 1, `is in van op te om wie was me we je hallo de en of die open
		kosten lippen morgen als er hier help beter hey`},
	{fr, 3, `combien coute coutent prix le la les une est sont pour avec
		sans dans sur mais ou quel quelle quels quelles quand comment
		pourquoi ai mon mes vous votre vos nous bonjour bonsoir merci
		rendez traitement soin soins douleur levres peau epilation samedi
		dimanche ouvert horaires apres avant peut puis pouvez faire fait
		qu que qui ce cette pas plus tres aussi depuis aujourd hui il
		elle et au aux ans semaines heures visage seance seances rides
		peux dois veux voudrais faut etre avoir suis`},
	{fr, 2, `je j ma mal des du l ne se si tu`},
	{fr, 1, `en de me c n d s on y a hier es`},
	{de, 3, `viel kostet ist sind ich mein meine meinen mir mich sie ihr
		ihre und oder nicht auch noch aber habe haben kann konnen darf
		muss gerne danke bitte guten tag termin behandlung behandlungen
		schmerz schmerzen haarentfernung samstag sonntag geoffnet
		offnungszeiten preis preise fur mit bei nach vor zu um das der
		den dem ein eine einen sich wird werden gestern heute seit sehr
		schon bin bist wo wann warum welche gibt wenn weil jahre jahr
		uhr wochen jetzt gesicht`},
	{de, 2, `wie die haut du es am`},
	{de, 1, `in was hallo kosten lippen morgen als er hier des mal worden
		so hey`},
}

// langWeights maps a folded word to its weight per language.
var langWeights = func() map[string][numLangs]int8 {
	m := map[string][numLangs]int8{}
	for _, l := range langWords {
		for _, w := range strings.Fields(l.words) {
			v := m[w]
			v[l.lang] = max(v[l.lang], l.weight)
			m[w] = v
		}
	}
	return m
}()

// cueWeight is what one accented letter typical of a language adds.
const cueWeight = 2

// minLangScore and minLangMargin decide when DetectLanguage is sure: the
// best language must score at least minLangScore and beat the second by
// minLangMargin.
const (
	minLangScore  = 3
	minLangMargin = 2
)

// DetectLanguage returns the language of a short visitor message: "en",
// "nl", "fr" or "de", or "" when it cannot tell, as for "Botox?" or
// "Hallo". It scores frequent and typical words of each language and
// letters such as "ü" or "ç".
func DetectLanguage(text string) string {
	return parse(text).lang()
}

// lang is DetectLanguage on a parsed message.
func (m *message) lang() string {
	var score [numLangs]int
	for _, w := range m.words {
		if ws, ok := langWeights[w]; ok {
			for l, v := range ws {
				score[l] += int(v)
			}
		}
	}
	for l, n := range m.cues {
		score[l] += cueWeight * min(n, 3)
	}
	best := 0
	for l := range score {
		if score[l] > score[best] {
			best = l
		}
	}
	second := 0
	for l, v := range score {
		if l != best {
			second = max(second, v)
		}
	}
	if score[best] < minLangScore || score[best]-second < minLangMargin {
		return ""
	}
	return langCodes[best]
}
