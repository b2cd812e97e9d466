package triage

// The term sets of urgent symptoms, in English, Dutch, French and German,
// in folded lower case (see parse). A set matches when one of its terms
// occurs as whole words; "word*" matches any word starting with "word".
var (
	setBreathing = define(
		"can t breathe", "cannot breathe", "can not breathe",
		"couldn t breathe", "can barely breathe", "can hardly breathe",
		"trouble breathing", "difficulty breathing", "difficult to breathe",
		"hard to breathe", "struggling to breathe", "struggle to breathe",
		"short of breath", "shortness of breath", "breathing problems",
		"throat is closing", "throat closing", "throat feels tight",
		"tight throat", "wheez*",
		"kan niet ademen", "kan bijna niet ademen", "kan nauwelijks ademen",
		"kan moeilijk ademen", "moeilijk ademen", "moeilijk om te ademen",
		"moeite met ademen", "moeite met ademhalen", "ademhalingsproblemen",
		"ademnood", "benauwd*", "krijg geen lucht", "krijg bijna geen lucht",
		"kortademig*", "keel snoert dicht", "keel zit dicht",
		"keel gaat dicht",
		"du mal a respirer", "mal a respirer", "difficulte a respirer",
		"difficultes a respirer", "difficultes respiratoires",
		"difficulte respiratoire", "n arrive pas a respirer",
		"n arrive plus a respirer", "ne peux pas respirer",
		"ne peux plus respirer", "respire mal", "respire difficilement",
		"suffoque", "etouffe*", "souffle court", "essouffl*",
		"gorge serree", "gorge se ferme", "gorge qui se ferme",
		"atemnot", "kann nicht atmen", "kann kaum atmen",
		"kann schlecht atmen", "kaum atmen", "schwer atmen",
		"keine luft", "kaum luft", "atembeschwerden", "atemprobleme",
		"hals schnurt sich zu", "hals schnurt zu", "kehle schnurt*",
		"erstick*", "stik", "stikken", "verstik*", "can t ... breathe", "niet ... ademen",
		"nauwelijks ... ademen", "geen ... lucht", "nicht ... atmen",
		"kaum ... atmen", "keine ... luft", "kaum ... luft",
	)
	setAllergy = define(
		"anaphyla*", "anafyla*", "allergic reaction", "allergic shock",
		"allergische reactie", "allergische shock", "reaction allergique",
		"choc allergique", "allergische reaktion", "allergischer schock",
		"allergischen schock", "hives", "netelroos", "urticaire",
		"nesselsucht", "quincke*", "angioedema", "angio oedeem",
		"angioodem",
	)
	setSwelling = define(
		"swell*", "swollen", "opgezwollen", "gezwollen", "zwelt*",
		"zwelling*", "zwellen", "gonfl*", "enfl*", "oedeme", "oedeem",
		"geschwollen", "schwillt", "schwellung*", "anschwell*",
		"angeschwollen",
	)
	setThroat = define(
		"throat", "tongue", "keel", "tong", "gorge", "langue", "rachen",
		"zunge", "kehle",
	)
	setVision = define(
		"can t see", "cannot see", "couldn t see", "blurred vision",
		"blurry vision", "vision problem*", "problems with my vision",
		"problem with my vision", "problems with my eyesight",
		"loss of vision", "lost vision", "lost my vision", "vision loss",
		"losing my vision", "blind*", "double vision", "seeing double",
		"vision is blurry", "dark spots in my vision",
		"zie niets", "zie niks", "zie niet meer", "zie wazig", "zie dubbel",
		"wazig zicht", "wazig zien", "dubbel zien", "zicht kwijt",
		"zichtverlies", "verlies van zicht", "problemen met mijn zicht",
		"probleem met mijn zicht",
		"ne vois plus", "ne vois rien", "vois flou", "vois trouble",
		"vois double", "vue trouble", "vue floue", "vision floue",
		"vision trouble", "vision double", "troubles de la vue",
		"trouble de la vue", "troubles visuels", "trouble visuel",
		"perte de vue", "perte de vision", "perte de la vue", "aveugle*",
		"cecite",
		"sehe nichts", "sehe nicht mehr", "sehe kaum", "sehe verschwommen",
		"sehe doppelt", "sehe unscharf", "kann nicht sehen",
		"kann kaum sehen", "verschwommen*", "sehstorung*", "sehverlust",
		"erblind*", "doppelbilder", "doppelt sehen", "unscharf sehen",
		"vision ... dark", "vision ... blurry", "vision ... blurred",
		"vision ... black", "vision ... gone", "zie ... dubbel",
		"zie ... wazig", "zie ... niets", "zie ... niks", "zicht ... wazig",
		"vois ... flou", "vois ... double", "vois ... trouble",
		"vue ... floue", "vue ... trouble", "sehe ... doppelt",
		"sehe ... verschwommen", "sehe ... nichts", "sehe ... unscharf",
		"sicht ... verschwommen",
	)
	setColour = define(
		"white", "whitish", "grey", "gray", "greyish", "blue", "bluish",
		"blueish", "purple", "mottled", "blotchy", "pale", "black",
		"wit", "witte", "witachtig", "grijs*", "blauw*", "paars*",
		"gevlekt*", "vlekkerig", "bleek", "zwart*",
		"blanc", "blanche", "blanchatre", "gris", "grise", "grisatre",
		"bleu", "bleue", "bleut*", "violet*", "violac*", "marbr*",
		"livide", "noir", "noire", "noirat*",
		"weiss*", "grau", "graue", "grauer", "blau", "blaue", "blauer",
		"blaulich", "lila", "violett", "marmor*", "fleckig*", "blass",
		"schwarz*",
	)
	setArea = define(
		"skin", "lip", "lips", "nose*", "area", "spot", "patch", "cheek*",
		"chin", "forehead", "huid", "lippen", "neus*", "plek*", "wang*",
		"kin", "voorhoofd", "zone", "peau", "levre*", "nez", "joue*",
		"menton", "front", "endroit", "haut", "lippe*", "nase*", "stelle",
		"wange*", "kinn", "stirn", "bereich", "einstichstelle",
	)
	// setChange marks a change of colour being reported: "turned",
	// "wordt", "devient", "wird".
	setChange = define(
		"turned", "turning", "became", "becoming", "going", "getting",
		"gone", "went", "wordt", "werd", "geworden", "verkleur*",
		"devenu*", "devient", "vire", "wird", "wurde", "verfarbt*",
	)
	setFiller = define(
		"filler*", "hyaluron*", "inject*", "injectie*", "ingespoten",
		"gespoten", "spuit*", "prik*", "piqur*", "spritz*", "gespritzt",
		"unterspritz*", "aufgespritzt", "aufspritz*", "botox",
		"juvederm", "restylane", "profhilo", "radiesse", "treatment",
		"behandeling", "traitement", "behandlung",
	)
	setSeverePain = define(
		"severe pain", "extreme pain", "unbearable pain", "intense pain",
		"terrible pain", "excruciating*", "worst pain",
		"pain is unbearable", "pain is getting worse",
		"pain keeps getting worse", "increasing pain", "agonizing",
		"agonising", "in agony", "so much pain",
		"hevige pijn", "erge pijn", "ondraaglijke pijn", "vreselijke pijn",
		"verschrikkelijke pijn", "extreme pijn", "enorme pijn",
		"heel veel pijn", "zoveel pijn", "zo veel pijn", "pijn wordt erger",
		"pijn wordt steeds erger", "steeds meer pijn",
		"pijn is ondraaglijk",
		"douleur intense", "douleurs intenses", "douleur insupportable",
		"douleurs insupportables", "douleur atroce", "douleurs atroces",
		"douleur tres forte", "douleurs tres fortes", "tres forte douleur",
		"forte douleur", "fortes douleurs", "douleur violente",
		"douleurs violentes", "douleur extreme", "atrocement mal",
		"horriblement mal", "de plus en plus mal", "douleur augmente",
		"starke schmerzen", "starken schmerzen", "extreme schmerzen",
		"unertragliche schmerzen", "unertraglichen schmerzen",
		"heftige schmerzen", "heftigen schmerzen", "furchtbare schmerzen",
		"schlimme schmerzen", "hollische schmerzen",
		"schmerzen werden schlimmer", "schmerzen werden immer schlimmer",
		"immer starkere schmerzen", "schmerzen sind unertraglich",
		"severe ... pain", "unbearable ... pain", "hurts ... unbearabl*",
		"hevige ... pijn", "ondraaglijk* ... pijn", "pijn ... ondraaglijk*",
		"douleur* ... insupportable*", "douleur* ... atroce*",
		"unertraglich* weh", "hollisch weh", "starke* ... schmerzen",
		"schmerzen ... unertraglich*",
	)
	setBleeding = define(
		"heavy bleeding", "heavily bleeding", "bleeding heavily",
		"bleeding a lot", "bleeding badly", "bleeding won t stop",
		"bleeding doesn t stop", "bleeding does not stop",
		"won t stop bleeding", "keeps bleeding", "keep bleeding",
		"can t stop the bleeding", "lots of blood", "a lot of blood",
		"bloedt hevig", "bloedt erg", "bloedt veel", "bloedt heel erg",
		"hevige bloeding", "hevig bloeden", "blijft bloeden",
		"bloeding stopt niet", "stopt niet met bloeden", "veel bloed",
		"saigne beaucoup", "saigne abondamment", "saigne enormement",
		"saignement abondant", "saignement important",
		"saignements abondants", "ne s arrete pas de saigner",
		"saigne sans arret", "saigne toujours",
		"saignement ne s arrete pas", "beaucoup de sang",
		"starke blutung", "starke blutungen", "blutet stark",
		"blutet sehr", "blutet immer noch", "hort nicht auf zu bluten",
		"blutung hort nicht auf", "viel blut",
	)
	setFever = define(
		"fever", "high temperature", "temperature", "koorts*", "fievre",
		"fieber*",
	)
	setSpreading = define(
		"red", "redness", "reddening", "spreading", "spreads", "spread",
		"hot", "warm", "pus", "rood", "rode", "roodheid", "verspreidt",
		"breidt uit", "etter", "rouge*", "rougeur*", "s etend",
		"se propage", "chaud*", "rot", "rote", "roter", "rotung",
		"breitet sich aus", "ausbreit*", "heiss", "eiter",
	)
	setCollapse = define(
		"fainted", "passed out", "fainting", "unconscious", "chest pain",
		"seizure", "flauwgevallen", "flauw gevallen", "bewusteloos",
		"pijn op de borst", "evanoui*", "perdu connaissance",
		"douleur thoracique", "douleur a la poitrine", "ohnmacht*",
		"bewusstlos", "brustschmerz*", "krampfanfall", "necro*",
		"nekrose", "occlusion", "vaatocclusie", "vasculaire occlusie",
		"gefassverschluss*", "vascular compromise",
	)
)

// The sets that decide whether a symptom is being reported or asked
// about in general.
var (
	// setHypothetical marks a general question: "can filler cause
	// blindness?", "is swelling normal?".
	setHypothetical = define(
		"can", "could", "might", "may", "will", "would", "risk*",
		"possible", "possibly", "chance", "what if", "normal",
		"side effect*", "complication*", "happen*", "cause", "causes",
		"dangerous", "common", "often", "how often", "mean", "means",
		"rare", "rarely",
		"what is", "what does", "explain",
		"kan", "kunnen", "zou", "risico*", "mogelijk*", "bijwerking*",
		"complicatie*", "normaal", "gebeur*", "veroorzaken", "gevaarlijk",
		"vaak", "wat als", "betekent", "wat is", "zeldzaam",
		"peut", "peuvent", "pourrait", "risque*", "effet secondaire",
		"effets secondaires", "effets indesirables", "arriver",
		"provoquer", "dangereux", "souvent", "frequent*", "et si",
		"signifie", "qu est ce que", "rarement",
		"kann", "konnen", "konnte", "risiko*", "moglich*",
		"nebenwirkung*", "komplikation*", "passieren", "verursachen",
		"gefahrlich", "haufig", "oft", "was wenn", "bedeutet", "was ist",
		"selten",
	)
	// setReported marks a visitor telling what is happening to them.
	setReported = define(
		"i have", "i ve", "i m", "i am", "i got", "i feel", "i can t",
		"i cannot", "i just", "i had", "i think i", "since", "yesterday",
		"today", "this morning", "tonight", "last night", "hours ago",
		"minutes ago", "turned", "became", "went", "started",
		"ik heb", "ik ben", "ik kan", "ik krijg", "ik voel", "ik zie",
		"ik denk", "sinds", "gisteren", "vandaag", "vanochtend",
		"vanmorgen", "vannacht", "vanavond", "net", "werd",
		"is geworden", "begon",
		"j ai", "je suis", "je ne", "je n", "je sens", "je me sens",
		"je vois", "depuis", "hier", "aujourd hui", "ce matin",
		"cette nuit", "ce soir", "est devenu*", "devenue",
		"ich habe", "ich hab", "ich bin", "ich kann", "ich bekomme",
		"ich kriege", "ich sehe", "ich fuhle", "seit", "gestern", "heute",
		"wurde", "ist geworden",
	)
	// setUrgent marks a call for help.
	setUrgent = define(
		"help", "urgent*", "emergency", "asap", "now", "immediately",
		"dringend*", "spoed*", "nu", "onmiddellijk", "hulp",
		"au secours", "aidez moi", "aide moi", "tout de suite",
		"maintenant", "immediatement", "hilfe", "notfall", "sofort",
		"jetzt",
	)
)

// isEmergency reports whether the matched sets describe urgent symptoms
// the visitor has now, rather than a general question about risks.
func isEmergency(s *sets) bool {
	symptom := s.any(setBreathing, setAllergy, setVision, setSeverePain,
		setBleeding, setCollapse) ||
		s.has(setSwelling) && s.has(setThroat) ||
		s.has(setColour) && s.has(setArea) && s.any(setFiller, setChange) ||
		s.has(setFever) && s.any(setSpreading, setSwelling)
	if !symptom {
		return false
	}
	return s.any(setReported, setUrgent) || !s.has(setHypothetical)
}
