package triage

// classes holds the word classes that terms refer to as "@name", so
// that "@hard ... @breathe" stands for "can t breathe", "kan niet
// ademen", "mal a respirer" and "kaum atmen" alike. Words are written as
// in define: folded lower case, "word*" for a prefix, umlauts allowed.
var classes = map[string]*class{
	// Difficulty or negation next to a function: breathing, swallowing,
	// seeing.
	"hard": newClass(`t not no cannot barely hardly hard harder difficult
		difficulty trouble struggl* problem* heavy weak
		niet nie moeilijk moeite nauwelijks amper zwaar slecht lastig geen
		pas plus mal difficile* difficulte* dur peine gene
		nicht kaum schwer schlecht keine kein mühe schwierig*`),
	"breathe": newClass(`breath breathe breathing breathin breth
		adem ademen ademhalen ademhaling ademt lucht
		respire respirer respiration respiratoire* souffle
		atmen atme atmet atmung luft`),
	"swallow": newClass(`swallow* slik slikken avaler schlucken schluck*`),
	"throat": newClass(`throat airway* keel luchtweg* gorge hals kehle
		rachen`),
	"chest": newClass(`chest borst poitrine brust`),
	// Closing, tightening or thickening, said of a throat or chest.
	"closing": newClass(`closing close closes tight tightening tighter
		dicht dichtgaan dichtgaat dichtgeknepen toe toegeknepen dik dikke
		ferme fermer serre serree serrer
		zu zugehen zugeht eng enger engem zugeschnürt schnürt`),
	// Closing said only of a throat: "my throat is closing".
	"closingonly": newClass(`closing tightening dichtgaan dichtgaat
		toegeknepen dichtgeknepen zugehen zugeht zuschnür* schnürt`),
	"wheeze": newClass(`wheez* piep* siffl* pfeif*`),
	"swell": newClass(`swell* swollen puff* opgezwollen gezwollen zwel*
		opgezet gonfl* enfl* oedeme oedeem geschwollen schwillt schwell*
		anschwell* angeschwollen`),
	"fast": newClass(`fast quickly rapidly snel vite rapidement schnell
		zusehends`),
	"see": newClass(`see seeing sees saw zie zien zag vois voir voit
		sehe sehen sieht`),
	// Nouns for eyesight, not for the eye.
	"sight": newClass(`vision sight eyesight zicht gezichtsvermogen vue
		sicht sehkraft sehvermögen`),
	"eye": newClass(`eye eyes oog ogen oeil yeux auge augen`),
	// Disturbances of sight that name nothing else.
	"blurred": newClass(`blur* double foggy cloudy dim flash* sparkl*
		stars shadow curtain veil
		wazig troebel dubbel flits* sterretjes schaduw gordijn
		flou floue trouble brouill* voile rideau eclair*
		verschwommen* unscharf doppelt trüb* blitz* lichtblitz* schleier
		vorhang`),
	// Words that describe sight only when sight is named: "dark spots
	// in my vision", but "I see dark spots on my cheek".
	"dim": newClass(`dark black spots zwart* donker* vlekken noir* taches
		points schwarz* dunkel* punkte flecken`),
	"nothing": newClass(`nothing anything niets niks rien nichts`),
	"all":     newClass(`everything all alles tout`),
	"before":  newClass(`front voor vor devant`),
	"lost": newClass(`lost losing lose loss kwijt verloren verlies
		perdu perte verlor*`),
	// Colours of skin starved of blood.
	"pale": newClass(`white whitish pale ashen grey gray greyish
		wit witte witachtig bleek lijkbleek kalkwit grijs*
		blanc blanche blanches blancs blanchatre pales livide gris grise
		grises grisatre blanchi*
		weiss* grau* blass blasse blassen leichenblass`),
	"dark": newClass(`blue bluish blueish purple purplish violet dark
		darker black blackish
		blauw* paars* donker* zwart*
		bleu bleue bleues bleut* violet* violac* noir* fonce*
		blau blaue blauer bläulich lila violett dunkel* schwarz*`),
	"mottled": newClass(`mottled blotchy lacy marbled netlike livedo
		gevlekt* vlekkerig gemarmerd marmer* netwerk*
		marbr* reticul* marmor* fleckig* netz*`),
	// Lumps and spots of the skin.
	"lesion": newClass(`bump* lump* pimple* head knot nodule* spot spots
		bult* knobbel* bolletje* puist* kopje* pukkel* bouton* bosse* boule*
		grain
		knubbel* knoten knötchen pickel* pustel* beule`),
	"cold": newClass(`cold cool icy koud kil froid froide glace* kalt
		kühl eiskalt`),
	// The skin of a face, where filler goes.
	"area": newClass(`lip lips lippen lippe* levre* oberlippe unterlippe
		bovenlip onderlip nose nez neus* nase*
		neuspunt tip bout spitze cheek* wang* joue* wange* chin kin menton
		kinn skin huid peau haut forehead voorhoofd stirn area zone
		plek* endroit stelle site prikplaats einstichstelle piqure`),
	// Injections, which can block a vessel.
	"injected": newClass(`filler* hyaluron* inject* injectie* ingespoten
		gespoten spuit* inspuit* prik* piqur* pique spritz* gespritzt
		unterspritz* aufgespritz* aufspritz* botox juvederm restylane
		profhilo radiesse`),
	// Any treatment of the clinic.
	"treatment": newClass(`filler* hyaluron* inject* injectie* botox
		treatment* behandeling* traitement* soin soins behandlung*
		laser* peel* microneedling facial session sessie seance sitzung
		spritz* unterspritz* prik* piqur*`),
	"change": newClass(`turning turned turn turns went going gone became
		becoming getting gotten look looks looking
		wordt werd worden geworden ziet kleurt verkleur*
		devient devenu* devenue* vire virer noircit bleuit
		wird wurde verfärb* sieht`),
	"after": newClass(`since after ago sinds na geleden depuis apres seit
		nach`),
	"bleed": newClass(`bleed bleeds bleeding bled blood bloedt bloeden
		bloeding* bloed saigne saigner saignement* sang blutet bluten
		blutung* blut blute`),
	"heavily": newClass(`heavily heavy lot lots pouring gushing nonstop
		everywhere hevig hevige loopt stroomt gutst abondamment beaucoup
		enormement pisse coule stark starke stromt läuft`),
	"pain": newClass(`pain pains painful hurts hurt hurting ache aching
		pijn pijnlijk zeer douleur* mal schmerz* weh schmerzt`),
	"severe": newClass(`severe severely extreme extremely unbearabl*
		intense terrible terribly horrible horribly excruciating* agoniz*
		agonis* agony awful worst insane
		hevig* erge ondraaglijk* vreselijk* verschrikkelijk* enorm* extreem
		extreme ongelooflijk* helse
		insupportable* atroce* atrocement horriblement violent* super trop
		affreu*
		stark* extrem* unerträglich* heftig* furchtbar* schlimm* höllisch*
		wahnsinnig*`),
	"worse": newClass(`worse worsening erger pire schlimmer stärker
		increasing toenemend augmente zunehm*`),
	"cry":  newClass(`cry crying cries huil* pleur* wein*`),
	"feel": newClass(`feel voel sens spüre fühle`),
	// Who the visitor speaks of: their own body or someone close.
	"my": newClass(`my her his mijn mn haar zijn ma mon mes sa son ses
		mein meine meiner meinem meinen ihre ihr ihrem ihren seine`),
	"body": newClass(`lip lips lippen lippe* levre* oberlippe unterlippe
		bovenlip onderlip heart hart coeur herz nose nez neus* nase*
		cheek* wang* joue* wange* chin kin menton kinn skin huid peau haut
		face gezicht visage gesicht eye eyes oog ogen oeil yeux auge augen
		vision sight zicht vue sicht throat keel gorge hals tongue tong
		langue zunge mouth mond bouche mund forehead voorhoofd front stirn
		eyelid* ooglid* paupiere* lid lider augenlid* chest borst poitrine
		brust arm bras breathing ademhaling respiration atmung`),
	// Conditions that bear on whether a treatment is safe.
	"medical": newClass(`diabet* diabeet* diabetique* epilep* lupus
		cancer kanker krebs chemo* thyroid* schildklier* thyroide*
		schilddrüse* hemophil* hemofil* hämophil* autoimmun* autoimmuun*
		herpes koortslip* lippenherpes allerg* keloid* cheloide*
		myasthen* migraine* migräne* hartprobleem hartproblemen
		herzproblem* herzkrank* infection infectie* infektion* pacemaker
		herzschrittmacher`),
	// Conditions of the skin, which a visitor may ask to have named.
	"skincond": newClass(`rosacea rosacee rosazea eczema eczeem ekzem*
		psoriasis psoriase acne akne melasma melasme chloasma dermatit*
		neurodermitis melanoma melanoom melanome melanom mycose schimmel*
		pilz*`),
	// What a draft must not tell a visitor they have: complications of
	// a treatment and conditions a doctor names.
	"condition": newClass(`infect* infectie* infektion* allerg* necros*
		necrose* nekros* occlusion occlusie* okklusion* granulom*
		abscess* abces* abszess* cellulit* hematom* hämatom* herpes
		ptos* migration migratie* nodul* knobbel* rosacea rosacee
		rosazea eczema eczeem ekzem* psoriasis psoriase acne akne
		melasma melasme dermatit* mycose schimmel* pilzinfektion
		reaction reactie* reaktion ontsteking* entzündung*
		inflammation tyndall`),
	"screen": newClass(`website site page link button app screen price*
		prijs* prix preis* slot* email mail message bericht calendar
		agenda kalender availab* beschikbaar* disponib* verfügbar*`),
	// Override verbs of prompt injection.
	"override": newClass(`ignore ignoring ignores disregard* forget forgot
		negeer negeren vergeet vergeten ignor* oublie oubliez oublier
		vergiss vergessen missacht* bypass* override* omzeil* contourne*
		umgeh*`),
	// What an injection tells the assistant to drop.
	"orders": newClass(`instruction* instructie* consigne* anweisung*
		rules regels regles regeln guidelines richtlijnen directives
		richtlinie* prompt* above bovenstaande precede oben previous prior
		earlier vorige eerdere precedentes vorherige* bisherige* everything
		alles tout safety veiligheid* securite sicherheit* restrictions
		beperkingen restriction* einschränkung* policy beleid politique
		system systeem systeme programming training told gezegd verteld
		dit gesagt`),
	// The visitor's own words, which a visitor may rightly ask to drop.
	"mine": newClass(`my mijn mn mon ma mes meine meinen meiner meinem i
		ik j ich`),
	// Second-person possessives, and "its" for the assistant.
	"your": newClass(`your its je jouw uw zijn tes ton vos votre ses deine
		deinen deiner deinem dein ihre`),
	// Adjectives that mark the assistant's own instructions.
	"secret": newClass(`full complete entire exact original initial
		hidden secret system internal volledige hele verborgen geheime
		interne toutes completes caches cachees secretes vollständigen
		ganzen geheimen versteckten internen`),
	"rulesword": newClass(`instructions instruction instructies consignes
		anweisungen rules regels regles regeln guidelines richtlijnen
		directives richtlinien configuration configuratie konfiguration
		config policy beleid politique prompt`),
	"reveal": newClass(`print show reveal repeat output display dump
		translate summari* summar* quote expose leak spell
		toon herhaal vertaal vat citeer onthul
		affiche* montre* revele* repete* traduis resume* cite redonne*
		zeig* wiederhol* übersetz* fasse zitier* nenn* verrat* offenleg*`),
	"respond": newClass(`respond reply answer antwoord beantwoord reponds
		repondez antworte antworten`),
	// Roles an injection asks the assistant to take.
	"role": newClass(`system systeem systeme internal interne internes
		doctor arts dokter medecin arzt ai ki ia bot chatbot assistant
		assistent dermatolog* hautarzt gpt chatgpt`),
	// What an injection says the assistant now is: "you are now DAN",
	// "je bent nu een arts".
	"newrole": newClass(`a an my the dan free unrestricted unfiltered
		called named no not in een mijn vrij un une mon ma le la libre ein
		eine einen mein meine der die das frei ai ia ki bot chatbot gpt
		chatgpt assistant assistent`),
	"ainoun": newClass(`ai ia ki bot chatbot assistant assistent gpt
		chatgpt model modele modell`),
	"modeword": newClass(`admin debug developer dev staff god dan
		maintenance test`),
}
