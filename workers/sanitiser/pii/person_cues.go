package pii

import (
	"cmp"
	"slices"
	"strings"
)

// cueKind is what a phrase before a word says about it.
type cueKind uint8

// The cue kinds, weakest first: when several phrases end before a word,
// the strongest counts.
const (
	cueNone cueKind = iota
	// cueThanks is "merci", "thanks", "bedankt": a name may follow at the
	// end of a message.
	cueThanks
	// cueGreeting is "Hallo", "Beste", "Bonjour" starting a sentence.
	cueGreeting
	// cueSignoff is "groetjes", "mvg", "kind regards", "LG".
	cueSignoff
	// cueSelf is "I'm", "ik ben", "c'est", "ich bin": a name may follow.
	cueSelf
	// cueRelation is "my daughter", "mijn man", "nurse", "famille".
	cueRelation
	// cueLabel is "name:", "au nom de", "card holder", "t.a.v.".
	cueLabel
	// cueTitle is a title or honorific: "Dr.", "Mme", "Herr", "mevrouw".
	cueTitle
	// cueName is "my name is", "je m'appelle", "ik heet", "ich heiße",
	// after which even a word in lower case is a name.
	cueName
)

// cuePhrase is a phrase of folded words, kept as their hashes.
type cuePhrase struct {
	words []uint64
	kind  cueKind
}

// cuePhrases are sorted by their last word; a lexicon entry points at
// the phrases that end in it.
var cuePhrases []cuePhrase

// cueLists are the phrases by kind, in English, Dutch, French and German.
// Two cues are not here, since folding or their weakness would make
// them take too much: French "née" ("Marie Martin, née Dubois") folds
// to Dutch "nee" (no), so personPass.context matches it as written,
// with its accent; and "under" alone ("the booking is under Dubois")
// would take any word after it, so personPass.accept takes only a known
// surname there.
// Words are split at spaces and apostrophes, as the tokenizer splits
// them: "je m'appelle" is "je", "m", "appelle".
var cueLists = []struct {
	kind    cueKind
	phrases string
}{
	{cueName, `my name is | my name's | my names | i am called | i'm called |
		her name is | his name is | their name is |
		her name's | his name's | mijn naam is | m'n naam is | ik heet |
		zij heet | hij heet | ze heet | haar naam is | zijn naam is |
		je m'appelle | j'm'appelle | jm'appelle | je me nomme | je me présente |
		mon nom est | mon nom c'est | mon prénom est | mon prénom c'est |
		il s'appelle | elle s'appelle | s'appelle | ich heiße |
		ich heisse | mein name ist | mein vorname ist | sie heißt | er heißt |
		sie heisst | er heisst | heißt | heisst | ihr name ist | sein name ist`},
	{cueLabel, `name | full name | first name | last name | surname | names |
		name on account | name on the account | name on the card | holder |
		account holder | card holder | cardholder | on behalf of | attn |
		attention | for the attention of | signed | naam | voornaam |
		achternaam | familienaam | op naam van | ten name van | t.a.v. | tav |
		namens | in naam van | kaarthouder | rekeninghouder | houder | nom |
		prénom | nom de famille | au nom de | à l'attention de | a l'attention de |
		de la part de | titulaire | titulaire du compte | vorname | nachname |
		familienname | im namen von | im auftrag von | zu händen | z.hd. |
		z. hd. | kontoinhaber | karteninhaber | inhaber | inhaberin |
		maiden name | birth name | married name | nom de jeune fille |
		nom de naissance | nom d'épouse | nom marital | meisjesnaam |
		geboortenaam | mädchenname | geburtsname | geborene | geb. |
		maiden name is | maiden name was | birth name is | married name is |
		meisjesnaam is | meisjesnaam was | geboortenaam is |
		nom de jeune fille est | nom de jeune fille c'est |
		nom de jeune fille était | nom de naissance est | nom d'épouse est |
		mädchenname ist | geburtsname ist | mädchenname war |
		under the name | under the name of | booked under | reserved under |
		booking under | reservation under | onder de naam | op de naam |
		sous le nom de | sous le nom | unter dem namen | auf den namen |
		auf den namen von | auf meinen namen | unter meinem namen |
		in the name of | au nom | op mijn naam | à mon nom`},
	{cueSelf, `i'm | i am | this is | it's | its | it is | here is | here's |
		ik ben | hier is | het is | dit is | ikke | je suis | moi c'est |
		c'est | c | ici | moi | ich bin | hier ist | hier spricht | das ist |
		ich bin die | ich bin der | hier ist die | hier ist der | hier schreibt |
		hallo met | hoi met | dag met | goedemorgen met | goeiemorgen met |
		goedemiddag met | goeiemiddag met | goedenavond met | hey met |
		it's me | c'est moi | call me | you can call me | noem me |
		appelez-moi | nennen sie mich | passport says | id says |
		id card says | paspoort staat | identiteitskaart staat |
		passeport indique | pass steht | ausweis steht`},
	{cueRelation, `daughter | my son | our son | his son | her son |
		your son | their son | the son | old son | eldest son | oldest son |
		youngest son | older son | younger son | little son | husband |
		wife | mum | mom | mother | father | dad | sister | brother | friend |
		boyfriend | girlfriend | partner | fiance | fiancee | colleague | grandmother | grandma |
		granddaughter | grandson | niece | nephew | aunt | uncle | cousin |
		mother-in-law | stepdaughter | stepson | nurse | assistant |
		secretary | receptionist | patient | family | dochter | zoon | man |
		vrouw | mama | moeder | papa | vader | zus | zuster | zusje | broer |
		vriend | vriendin | collega | oma | opa | kleindochter | kleinzoon |
		mijn nicht | m'n nicht | onze nicht | haar nicht | zijn nicht |
		neef | tante | nonkel | oom | echtgenoot | echtgenote |
		schoonmoeder | schoonzus | schoonvader | stiefdochter | verloofde |
		verpleegster | verpleegkundige | assistente | secretaresse |
		patiënt | patiënte | familie | fille | fils | mari | femme | mère |
		maman | père | sœur | soeur | frère | ami | amie | copine | copain |
		conjoint | conjointe | compagnon | compagne | belle-mère | belle-fille |
		grand-mère | petite-fille | petit-fils | cousine | oncle | collègue |
		épouse | époux | fiancé | fiancée | infirmière | assistante |
		secrétaire | famille | tochter | sohn | mann | mutter | vater |
		schwester | bruder | freund | freundin | partnerin | kollege |
		kollegin | enkelin | mein enkel | meinen enkel | unser enkel |
		unseren enkel | meinem enkel | ehemann | ehefrau | schwiegermutter |
		onkel | cousine | krankenschwester | arzthelferin | patientin |
		stepmother | stepfather | stepmum | stepmom | stepdad | godmother |
		godfather | goddaughter | godson | sister-in-law | daughter-in-law |
		son-in-law | brother-in-law | father-in-law | bestie |
		nichtje | neefje | broertje | dochtertje | zoontje | schoonzoon |
		schoondochter | schoonbroer | stiefmoeder | stiefvader | stiefzoon |
		grootmoeder | grootvader | bomma | bompa | meter | peter |
		petekind | metekind | vriendinnetje | nièce | neveu | marraine |
		parrain | filleule | filleul | beau-père | belle-sœur | beau-frère |
		demi-sœur | demi-frère | grand-père | meilleure amie | meilleur ami |
		nichte | neffe | schwägerin | schwager | schwiegertochter |
		schwiegersohn | schwiegervater | stieftochter | stiefsohn |
		patentochter | patenkind | lebensgefährtin | lebensgefährte |
		verlobte | verlobter`},
	{cueGreeting, `hi | hello | hey | hiya | heya | dear | good morning |
		good afternoon | good evening | morning | hallo | hoi | hey | dag |
		beste | lieve | goedemorgen | goedemiddag | goedenavond | goeiemorgen |
		goeiemiddag | goeienavond | goedendag | goeiedag | goeiendag | bonjour |
		bonsoir | salut | coucou | cher | chère | chers | liebe | lieber |
		liebes | guten tag | guten morgen | guten abend | sehr geehrte |
		sehr geehrter | moin | servus | grüezi | hallöchen`},
	{cueSignoff, `regards | kind regards | best regards | warm regards |
		kindest regards | best wishes | best | cheers | sincerely |
		yours sincerely | yours faithfully | yours | love | xx | xxx | xoxo |
		greetings | groeten | groetjes | groet | vriendelijke groeten |
		met vriendelijke groeten | met vriendelijke groet | vriendelijke groet |
		hartelijke groeten | mvg | vg | gr | grtz | grtjs | grts | groetjes |
		liefs | kusjes | tot ziens | tot snel | cordialement | bien cordialement |
		bien à vous | bàv | salutations | sincères salutations |
		meilleures salutations | bisous | bises | gros bisous | amicalement |
		cdlt | cdt | bien amicalement | à bientôt | bonne journée |
		grüße | liebe grüße | viele grüße | beste grüße | herzliche grüße |
		mit freundlichen grüßen | freundliche grüße | mit freundlichem gruß |
		grüsse | liebe grüsse | viele grüsse | lg | mfg | gruß | gruss | tschüss |
		ciao | bye | signed | sent by | envoyé par | verzonden door`},
	{cueThanks, `thanks | thank you | thanks a lot | many thanks | thanks again |
		thx | ty | merci | merci beaucoup | merci d'avance | merci bien |
		bedankt | alvast bedankt | dank u | dank je | dankjewel | dankuwel |
		dank u wel | dank je wel | merci | danke | danke schön | dankeschön |
		vielen dank | danke sehr | herzlichen dank`},
}

// buildCues adds the words of every cue phrase to l, sorts the phrases
// by last word and points each last word's entry at its phrases.
func buildCues(l *nameLexicon) {
	var out []cuePhrase
	for _, list := range cueLists {
		for p := range strings.SplitSeq(list.phrases, "|") {
			words := l.addPhrase(p)
			if len(words) == 0 {
				continue
			}
			out = append(out, cuePhrase{words: words, kind: list.kind})
			if list.kind == cueRelation {
				l.entries[l.withHash(words[len(words)-1])].bits |= lexRelation
			}
		}
	}
	last := func(p cuePhrase) uint64 { return p.words[len(p.words)-1] }
	slices.SortStableFunc(out, func(a, b cuePhrase) int {
		return cmp.Compare(last(a), last(b))
	})
	for k := 0; k < len(out); {
		j := k
		for j < len(out) && last(out[j]) == last(out[k]) {
			j++
		}
		if e := l.withHash(last(out[k])); e >= 0 {
			l.entries[e].phr, l.entries[e].nphr = uint16(k), uint16(j-k)
		}
		k = j
	}
	cuePhrases = out
}

// addPhrase adds the words of a cue phrase and returns their hashes. A
// cue word that is no name is kept: "Namens", "Vorname" are no names.
func (l *nameLexicon) addPhrase(phrase string) []uint64 {
	var words []uint64
	for w := range strings.FieldsFuncSeq(phrase, isNameGlue) {
		i := l.add(w, 0)
		if i < 0 {
			continue
		}
		e := &l.entries[i]
		if e.bits&(lexName|lexCore) == 0 {
			e.bits |= lexKeep
		}
		words = append(words, e.hash)
	}
	return words
}

// withHash returns the index of the entry whose hash is h, or -1.
func (l *nameLexicon) withHash(h uint64) int {
	for s := h & l.mask; ; s = (s + 1) & l.mask {
		switch slot := &l.slots[s]; {
		case slot.idx == 0:
			return -1
		case slot.hash == h:
			return int(slot.idx - 1)
		}
	}
}
