package pii

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// personOnly redacts with the person detector alone.
func personOnly() *Redactor { return NewWith(newPersonDetector()) }

// anyPerson matches a person placeholder whatever its number.
var anyPerson = regexp.MustCompile(`\[PERSON_\d+\]`)

// TestPersonNames redacts messages in the four languages with the person
// detector alone: names after cues, titles, greetings and sign-offs, with
// particles, hyphens and apostrophes, and the hard negatives around them
// (treatments, brands, places, words that are also names). [P] stands
// for any person placeholder.
func TestPersonNames(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"nl", "Hallo, mijn naam is Katrien Vanhoutte en ik heb een vraag over fillers.",
			"Hallo, mijn naam is [P] en ik heb een vraag over fillers."},
		{"nl", "Ik ben Wout, 34 jaar, en ik twijfel tussen Botox en Dysport.",
			"Ik ben [P], 34 jaar, en ik twijfel tussen Botox en Dysport."},
		{"nl", "Mvg,\nGeert Van Acker",
			"Mvg,\n[P]"},
		{"nl", "Beste Nathalie, kan je mijn afspraak verzetten?",
			"Beste [P], kan je mijn afspraak verzetten?"},
		{"nl", "Kan mevrouw De Clercq mij terugbellen?",
			"Kan mevrouw [P] mij terugbellen?"},
		{"nl", "Mijn dochter Febe wil graag een peeling.",
			"Mijn dochter [P] wil graag een peeling."},
		{"nl", "Ik kom samen met Lotte en Hanne.",
			"Ik kom samen met [P] en [P]."},
		{"nl", "ik heet sofie peeters",
			"ik heet [P]"},
		{"nl", "Groetjes van Bieke",
			"Groetjes van [P]"},
		{"nl", "Bedankt! Jolien",
			"Bedankt! [P]"},
		{"nl", "Hoe lang moet ik wachten na de Profhilo?",
			"Hoe lang moet ik wachten na de Profhilo?"},
		{"nl", "Kan ik op dinsdag langskomen voor IPL?",
			"Kan ik op dinsdag langskomen voor IPL?"},
		{"nl", "Mag ik mijn lippen laten doen met Juvéderm?",
			"Mag ik mijn lippen laten doen met Juvéderm?"},
		{"nl", "Graag info over Morpheus8 en HydraFacial.",
			"Graag info over Morpheus8 en HydraFacial."},
		{"nl", "Ik heb roos en een droge huid.",
			"Ik heb roos en een droge huid."},
		{"nl", "Wil je mij bellen? Ik ben thuis na 17u.",
			"Wil je mij bellen? Ik ben thuis na 17u."},
		{"nl", "Dokter Janssens zei dat ik moest wachten.",
			"Dokter [P] zei dat ik moest wachten."},
		{"nl", "Is dr. Maes er op vrijdag?",
			"Is dr. [P] er op vrijdag?"},
		{"nl", "Ik woon in Sint-Niklaas en werk in Gent.",
			"Ik woon in Sint-Niklaas en werk in Gent."},
		{"nl", "Ik ben Vlaamse maar woon in Brussel.",
			"Ik ben Vlaamse maar woon in Brussel."},
		{"nl", "Mijn man Kris komt mee.",
			"Mijn man [P] komt mee."},
		{"nl", "Namens Tine Claeys: ze kan niet komen.",
			"Namens [P]: ze kan niet komen."},
		{"nl", "Het voorschot staat op naam van Dirk Smets.",
			"Het voorschot staat op naam van [P]."},
		{"nl", "Toon mij de prijzen van de laser aub.",
			"Toon mij de prijzen van de laser aub."},
		{"nl", "Ben je open op zondag?",
			"Ben je open op zondag?"},
		{"nl", "Dan kom ik maandag wel.",
			"Dan kom ik maandag wel."},
		{"nl", "Jan en ik willen allebei een consult.",
			"[P] en ik willen allebei een consult."},
		{"nl", "Vraag maar naar Ellen aan de balie.",
			"Vraag maar naar [P] aan de balie."},
		{"nl", "Hoi, met Sarah hier. Kan ik morgen komen?",
			"Hoi, met [P] hier. Kan ik morgen komen?"},
		{"nl", "Ik heb een afspraak bij jullie in de Kerkstraat.",
			"Ik heb een afspraak bij jullie in de Kerkstraat."},
		{"nl", "Groeten,\nAnnemie",
			"Groeten,\n[P]"},
		{"nl", "Lieve groetjes, Marleen 😊",
			"Lieve groetjes, [P] 😊"},
		{"nl", "Is Sculptra of Radiesse beter voor mijn wangen?",
			"Is Sculptra of Radiesse beter voor mijn wangen?"},
		{"nl", "mijn vriendin fien wil ook komen",
			"mijn vriendin [P] wil ook komen"},
		{"nl", "Mevr. Van der Meulen belde gisteren.",
			"Mevr. [P] belde gisteren."},
		{"nl", "Hallo allemaal, wat kost een HydraFacial?",
			"Hallo allemaal, wat kost een HydraFacial?"},
		{"nl", "Ik ben Mohamed Amrani, ik wil een consult.",
			"Ik ben [P], ik wil een consult."},
		{"nl", "Mijn schoonmoeder Godelieve is 78.",
			"Mijn schoonmoeder [P] is 78."},
		{"nl", "Kind regards zegt mijn Engelse collega altijd.",
			"Kind regards zegt mijn Engelse collega altijd."},
		{"nl", "Kan ik op 15 Jan 2026 een afspraak maken?",
			"Kan ik op 15 Jan 2026 een afspraak maken?"},
		{"nl", "Ik gebruik de crème van Yves Rocher, mag dat?",
			"Ik gebruik de crème van Yves Rocher, mag dat?"},
		{"nl", "Mijn huid is droog sinds ik Roaccutane neem.",
			"Mijn huid is droog sinds ik Roaccutane neem."},
		{"nl", "Zijn jullie open tijdens de Krokusvakantie?",
			"Zijn jullie open tijdens de Krokusvakantie?"},
		{"nl", "Werkt de Dermapen ook tegen striae?",
			"Werkt de Dermapen ook tegen striae?"},
		{"nl", "Heb ik na de Botox nog last van hoofdpijn?",
			"Heb ik na de Botox nog last van hoofdpijn?"},
		{"nl", "Ik zit in Hasselt, is dat ver van jullie?",
			"Ik zit in Hasselt, is dat ver van jullie?"},
		{"nl", "Vorig jaar bij Dr. Hauschka producten gekocht.",
			"Vorig jaar bij Dr. Hauschka producten gekocht."},
		{"nl", "Waar kan ik parkeren? Bij het station of aan de Grote Markt?",
			"Waar kan ik parkeren? Bij het station of aan de Grote Markt?"},
		{"nl", "Kan mijn zoon van 17 alleen komen?",
			"Kan mijn zoon van 17 alleen komen?"},
		{"nl", "Hoeveel kost Fraxel voor het hele gezicht?",
			"Hoeveel kost Fraxel voor het hele gezicht?"},
		{"nl", "Wat is het verschil tussen Xeomin en Bocouture?",
			"Wat is het verschil tussen Xeomin en Bocouture?"},
		{"nl", "Ik ben allergisch voor lidocaïne, is dat een probleem?",
			"Ik ben allergisch voor lidocaïne, is dat een probleem?"},
		{"nl", "Graag een afspraak in de namiddag, liefst na 14u.",
			"Graag een afspraak in de namiddag, liefst na 14u."},
		{"nl", "Doen jullie ook Emsculpt of Coolsculpting?",
			"Doen jullie ook Emsculpt of Coolsculpting?"},
		{"nl", "Mijn mama wil ook een consult, kan dat samen?",
			"Mijn mama wil ook een consult, kan dat samen?"},
		{"nl", "Super bedankt voor de hulp!",
			"Super bedankt voor de hulp!"},
		{"nl", "Groetjes en tot volgende week!",
			"Groetjes en tot volgende week!"},
		{"nl", "Hoi Roos, bedankt voor gisteren!",
			"Hoi [P], bedankt voor gisteren!"},
		{"nl", "Ik ben Pieter Van Damme uit Brugge.",
			"Ik ben [P] uit Brugge."},
		{"nl", "Mijn collega Youssef El Idrissi wil ook komen.",
			"Mijn collega [P] wil ook komen."},
		{"nl", "Ik ben Andreea Popescu, mijn zus is Ioana.",
			"Ik ben [P], mijn zus is [P]."},
		{"nl", "Mijn naam is Priya Sharma.",
			"Mijn naam is [P]."},
		{"nl", "Met vriendelijke groeten,\nAnn-Sophie D'Hondt",
			"Met vriendelijke groeten,\n[P]"},
		{"fr", "Bonjour, je m'appelle Séverine Lambotte, j'aimerais un rendez-vous.",
			"Bonjour, je m'appelle [P], j'aimerais un rendez-vous."},
		{"fr", "Je suis Océane et j'ai 22 ans.",
			"Je suis [P] et j'ai 22 ans."},
		{"fr", "Bien à vous,\nMarie-Christine Dubuisson",
			"Bien à vous,\n[P]"},
		{"fr", "Bonjour Mme Lambert, merci pour hier.",
			"Bonjour Mme [P], merci pour hier."},
		{"fr", "Mon mari Thierry voudrait aussi un devis.",
			"Mon mari [P] voudrait aussi un devis."},
		{"fr", "C'est pour ma fille Lou, elle a 16 ans.",
			"C'est pour ma fille [P], elle a 16 ans."},
		{"fr", "Merci beaucoup, Delphine",
			"Merci beaucoup, [P]"},
		{"fr", "Cordialement, J. Dupont",
			"Cordialement, [P]"},
		{"fr", "Le Dr Mercier est-il disponible lundi?",
			"Le Dr [P] est-il disponible lundi?"},
		{"fr", "De la part de Madame Ghislaine Pirard.",
			"De la part de Madame [P]."},
		{"fr", "J'adore le rosé mais je fais attention.",
			"J'adore le rosé mais je fais attention."},
		{"fr", "Ma peau est claire et sensible.",
			"Ma peau est claire et sensible."},
		{"fr", "J'ai les yeux bleu marine et une peau olive.",
			"J'ai les yeux bleu marine et une peau olive."},
		{"fr", "Grâce à vous je me sens mieux!",
			"Grâce à vous je me sens mieux!"},
		{"fr", "Est-ce que le Botox fait mal?",
			"Est-ce que le Botox fait mal?"},
		{"fr", "Je suis enceinte, puis-je faire un peeling?",
			"Je suis enceinte, puis-je faire un peeling?"},
		{"fr", "Je suis belge et j'habite à Liège.",
			"Je suis belge et j'habite à Liège."},
		{"fr", "Salut Julien, tu peux me rappeler?",
			"Salut [P], tu peux me rappeler?"},
		{"fr", "Bisous, Camille",
			"Bisous, [P]"},
		{"fr", "Au nom de Karim Benjelloun, merci.",
			"Au nom de [P], merci."},
		{"fr", "Il faut combien de séances de Fraxel?",
			"Il faut combien de séances de Fraxel?"},
		{"fr", "Je viens avec ma copine Inès demain.",
			"Je viens avec ma copine [P] demain."},
		{"fr", "moi c'est Nadia, je voudrais un rdv",
			"moi c'est [P], je voudrais un rdv"},
		{"fr", "Pierre et Marie viennent ensemble.",
			"[P] et [P] viennent ensemble."},
		{"fr", "Rue Jean Jaurès 12, c'est votre adresse?",
			"Rue Jean Jaurès 12, c'est votre adresse?"},
		{"fr", "Est-ce que Claire peut me rappeler?",
			"Est-ce que [P] peut me rappeler?"},
		{"fr", "Bonsoir Docteur, merci pour tout.",
			"Bonsoir Docteur, merci pour tout."},
		{"fr", "Je travaille à l'hôpital Saint-Pierre.",
			"Je travaille à l'hôpital Saint-Pierre."},
		{"fr", "Madame Dubois m'a conseillé le Profhilo.",
			"Madame [P] m'a conseillé le Profhilo."},
		{"fr", "Cdlt\nStéphanie",
			"Cdlt\n[P]"},
		{"fr", "Est-ce que vous faites le Thermage?",
			"Est-ce que vous faites le Thermage?"},
		{"fr", "Je reviens de vacances en Espagne, ma peau a bruni.",
			"Je reviens de vacances en Espagne, ma peau a bruni."},
		{"fr", "Merci Docteur pour vos conseils!",
			"Merci Docteur pour vos conseils!"},
		{"fr", "Bonjour à toute l'équipe!",
			"Bonjour à toute l'équipe!"},
		{"fr", "C'est possible mardi à 15h?",
			"C'est possible mardi à 15h?"},
		{"fr", "Je prends la pilule Yasmin, est-ce un problème?",
			"Je prends la pilule Yasmin, est-ce un problème?"},
		{"fr", "La crème Avène Cicalfate est-elle suffisante?",
			"La crème Avène Cicalfate est-elle suffisante?"},
		{"fr", "Je suis à Mons jusqu'à vendredi.",
			"Je suis à Mons jusqu'à vendredi."},
		{"fr", "Mes rides du lion sont très marquées.",
			"Mes rides du lion sont très marquées."},
		{"fr", "Le soin coûte combien avec la carte fidélité?",
			"Le soin coûte combien avec la carte fidélité?"},
		{"fr", "Vous êtes près de la gare du Midi?",
			"Vous êtes près de la gare du Midi?"},
		{"fr", "J'ai déjà fait du Botox chez un autre médecin.",
			"J'ai déjà fait du Botox chez un autre médecin."},
		{"fr", "Bonne journée et merci!",
			"Bonne journée et merci!"},
		{"fr", "Je voudrais offrir un bon cadeau à ma sœur pour Noël.",
			"Je voudrais offrir un bon cadeau à ma sœur pour Noël."},
		{"fr", "Salut, c'est combien le laser?",
			"Salut, c'est combien le laser?"},
		{"fr", "Je suis Maria dos Santos, cliente depuis 2019.",
			"Je suis [P], cliente depuis 2019."},
		{"fr", "Merci, Luca di Stefano",
			"Merci, [P]"},
		{"fr", "Je m'appelle Blerta Krasniqi.",
			"Je m'appelle [P]."},
		{"fr", "Bonjour, ici Jean-Baptiste Kabongo.",
			"Bonjour, ici [P]."},
		{"de", "Hallo, ich heiße Lea Hoffmann und habe eine Frage.",
			"Hallo, ich heiße [P] und habe eine Frage."},
		{"de", "Ich bin Jonas, 29, und möchte Botox für die Stirn.",
			"Ich bin [P], 29, und möchte Botox für die Stirn."},
		{"de", "Mit freundlichen Grüßen\nKlaus Becker",
			"Mit freundlichen Grüßen\n[P]"},
		{"de", "Guten Tag Frau Schmitt, danke für den Termin.",
			"Guten Tag Frau [P], danke für den Termin."},
		{"de", "Wie lange hält Hyaluron in den Lippen?",
			"Wie lange hält Hyaluron in den Lippen?"},
		{"de", "Ich habe Falten an der Stirn und möchte einen Termin.",
			"Ich habe Falten an der Stirn und möchte einen Termin."},
		{"de", "Ich bin Patientin bei Ihnen seit 2020.",
			"Ich bin Patientin bei Ihnen seit 2020."},
		{"de", "Hallo Zusammen, was kostet eine Behandlung?",
			"Hallo Zusammen, was kostet eine Behandlung?"},
		{"de", "Meine Tochter Emilia hat Akne.",
			"Meine Tochter [P] hat Akne."},
		{"de", "LG Anna",
			"LG [P]"},
		{"de", "Danke, Sebastian",
			"Danke, [P]"},
		{"de", "Herr Dr. Wagner hat mich behandelt.",
			"Herr Dr. [P] hat mich behandelt."},
		{"de", "Ist der Preis für Botox inklusive Beratung?",
			"Ist der Preis für Botox inklusive Beratung?"},
		{"de", "Im Sommer möchte ich keine Laserbehandlung.",
			"Im Sommer möchte ich keine Laserbehandlung."},
		{"de", "Mein Name ist Schulze, Vorname Petra.",
			"Mein Name ist [P], Vorname [P]."},
		{"de", "Kann Frau Keller mich zurückrufen?",
			"Kann Frau [P] mich zurückrufen?"},
		{"de", "Viele Grüße aus Aachen, Birgit",
			"Viele Grüße aus Aachen, [P]"},
		{"de", "Ich bin 45 Jahre alt und habe Rosacea.",
			"Ich bin 45 Jahre alt und habe Rosacea."},
		{"de", "Hat Maria morgen Zeit für die Beratung?",
			"Hat [P] morgen Zeit für die Beratung?"},
		{"de", "Ich komme mit meinem Mann Stefan.",
			"Ich komme mit meinem Mann [P]."},
		{"de", "Die Behandlung bei Dr. Fuchs war super.",
			"Die Behandlung bei Dr. [P] war super."},
		{"de", "Gruß Jürgen",
			"Gruß [P]"},
		{"de", "Sehr geehrte Damen und Herren, ich möchte einen Termin.",
			"Sehr geehrte Damen und Herren, ich möchte einen Termin."},
		{"de", "Wir wohnen in der Goethestraße in Köln.",
			"Wir wohnen in der Goethestraße in Köln."},
		{"de", "Können Sie mir einen Termin am Montag geben?",
			"Können Sie mir einen Termin am Montag geben?"},
		{"de", "Ich hätte gerne eine Beratung zu Fillern.",
			"Ich hätte gerne eine Beratung zu Fillern."},
		{"de", "Wie viel kostet eine Sitzung Laser-Haarentfernung?",
			"Wie viel kostet eine Sitzung Laser-Haarentfernung?"},
		{"de", "Mein Hautarzt hat mir Retinol empfohlen.",
			"Mein Hautarzt hat mir Retinol empfohlen."},
		{"de", "Ist das Parken vor der Praxis kostenlos?",
			"Ist das Parken vor der Praxis kostenlos?"},
		{"de", "Vielen Dank und schönes Wochenende!",
			"Vielen Dank und schönes Wochenende!"},
		{"de", "Ich komme aus Eupen und spreche Deutsch.",
			"Ich komme aus Eupen und spreche Deutsch."},
		{"de", "Haben Sie auch samstags geöffnet?",
			"Haben Sie auch samstags geöffnet?"},
		{"de", "Ich habe Angst vor Spritzen, geht das mit Betäubung?",
			"Ich habe Angst vor Spritzen, geht das mit Betäubung?"},
		{"de", "Die Narbe am Kinn stört mich sehr.",
			"Die Narbe am Kinn stört mich sehr."},
		{"de", "Ich bin Raucherin, ist das ein Problem?",
			"Ich bin Raucherin, ist das ein Problem?"},
		{"de", "Hallo Team, ich habe eine Frage zur Rechnung.",
			"Hallo Team, ich habe eine Frage zur Rechnung."},
		{"de", "Liebe Grüße und bis bald!",
			"Liebe Grüße und bis bald!"},
		{"de", "Ich möchte Profhilo an Hals und Dekolleté.",
			"Ich möchte Profhilo an Hals und Dekolleté."},
		{"de", "Mein Mann möchte auch einen Termin.",
			"Mein Mann möchte auch einen Termin."},
		{"de", "Ich heiße Ayla Öztürk und bin 30.",
			"Ich heiße [P] und bin 30."},
		{"de", "Grüße, Agnieszka Nowak",
			"Grüße, [P]"},
		{"en", "Hi, I'm Bethany and I'd like a quote for lip filler.",
			"Hi, I'm [P] and I'd like a quote for lip filler."},
		{"en", "My name is Tom Harding, I booked for Friday.",
			"My name is [P], I booked for Friday."},
		{"en", "Kind regards,\nRachel Green",
			"Kind regards,\n[P]"},
		{"en", "Dear Dr. Patel, thank you for the consultation.",
			"Dear Dr. [P], thank you for the consultation."},
		{"en", "Is Sculptra better than Radiesse?",
			"Is Sculptra better than Radiesse?"},
		{"en", "Will it hurt? I'm quite nervous.",
			"Will it hurt? I'm quite nervous."},
		{"en", "May I come a bit later on Monday?",
			"May I come a bit later on Monday?"},
		{"en", "Can you mark it in the calendar?",
			"Can you mark it in the calendar?"},
		{"en", "Hope to see you soon!",
			"Hope to see you soon!"},
		{"en", "My wife Grace wants the same treatment.",
			"My wife [P] wants the same treatment."},
		{"en", "Cheers, Mike",
			"Cheers, [P]"},
		{"en", "Thanks!\nOlivia",
			"Thanks!\n[P]"},
		{"en", "I'm British but live in Brussels.",
			"I'm British but live in Brussels."},
		{"en", "I'm Irish, do you have parking?",
			"I'm Irish, do you have parking?"},
		{"en", "Can Sophie come with me?",
			"Can [P] come with me?"},
		{"en", "This is Jack from the gym, remember me?",
			"This is [P] from the gym, remember me?"},
		{"en", "I'm interested in the Morpheus8 package.",
			"I'm interested in the Morpheus8 package."},
		{"en", "Mrs. O'Connor recommended your clinic.",
			"Mrs. [P] recommended your clinic."},
		{"en", "My friend Amber told me about you.",
			"My friend [P] told me about you."},
		{"en", "The amber light on the device was on.",
			"The amber light on the device was on."},
		{"en", "Send it to my colleague, Hannah Price.",
			"Send it to my colleague, [P]."},
		{"en", "Is the clinic near Avenue Louise?",
			"Is the clinic near Avenue Louise?"},
		{"en", "I saw Dr. Van den Bossche last year.",
			"I saw Dr. [P] last year."},
		{"en", "Regards, A. Khan",
			"Regards, [P]"},
		{"en", "Best wishes, Emma and James",
			"Best wishes, [P] and [P]"},
		{"en", "Good morning! Can I book a HydraFacial?",
			"Good morning! Can I book a HydraFacial?"},
		{"en", "Hi there, do you treat melasma?",
			"Hi there, do you treat melasma?"},
		{"en", "Is it ok to drink rosé after filler?",
			"Is it ok to drink rosé after filler?"},
		{"en", "My daughter is 15, can she get laser?",
			"My daughter is 15, can she get laser?"},
		{"en", "Ask for Lisa at reception.",
			"Ask for [P] at reception."},
		{"en", "I love Paula's Choice BHA, can I keep using it?",
			"I love Paula's Choice BHA, can I keep using it?"},
		{"en", "Is Charlotte Tilbury makeup ok after a peel?",
			"Is Charlotte Tilbury makeup ok after a peel?"},
		{"en", "Do you have availability in August?",
			"Do you have availability in August?"},
		{"en", "I had filler in Milan last year.",
			"I had filler in Milan last year."},
		{"en", "Is the Fraxel laser safe for dark skin?",
			"Is the Fraxel laser safe for dark skin?"},
		{"en", "Sorry for the late reply, Thanks again!",
			"Sorry for the late reply, Thanks again!"},
		{"en", "Looking forward to it. Best regards",
			"Looking forward to it. Best regards"},
		{"en", "My GP said I should see a dermatologist.",
			"My GP said I should see a dermatologist."},
		{"en", "Can I pay with Apple Pay or only Bancontact?",
			"Can I pay with Apple Pay or only Bancontact?"},
		{"en", "We are coming from Luxembourg by car.",
			"We are coming from Luxembourg by car."},
		{"en", "The nurse was lovely, thank you so much!",
			"The nurse was lovely, thank you so much!"},
		{"en", "Is Ultherapy painful compared to Thermage?",
			"Is Ultherapy painful compared to Thermage?"},
		{"en", "I'm free after 5, any slots left?",
			"I'm free after 5, any slots left?"},
		{"en", "I'm Catholic, is there anything in the treatment I should know?",
			"I'm Catholic, is there anything in the treatment I should know?"},
		{"en", "Hi! Quick question about the aftercare.",
			"Hi! Quick question about the aftercare."},
		{"en", "Hello, Is the clinic open on Easter Monday?",
			"Hello, Is the clinic open on Easter Monday?"},
		{"en", "Dear Sir or Madam, I would like to complain.",
			"Dear Sir or Madam, I would like to complain."},
		{"en", "Thanks, See you Tuesday",
			"Thanks, See you Tuesday"},
		{"en", "My skin feels tight. Any advice?",
			"My skin feels tight. Any advice?"},
		{"en", "I use The Ordinary niacinamide every day.",
			"I use The Ordinary niacinamide every day."},
		{"en", "Grace period for cancellations?",
			"Grace period for cancellations?"},
		{"en", "Bill me for both sessions please.",
			"Bill me for both sessions please."},
		{"en", "My name is Oluwaseun Adeyemi.",
			"My name is [P]."},
		{"en", "This is Fatou Diallo, I called yesterday.",
			"This is [P], I called yesterday."},
		{"en", "I'm Dimitris Papadopoulos, calling about my wife.",
			"I'm [P], calling about my wife."},
		{"en", "Thanks, Siobhan O'Sullivan",
			"Thanks, [P]"},
		{"en", "A glass of Rosé after Botox, ok?", "A glass of Rosé after Botox, ok?"},
		{"nl", "Mijn vriendin Rose drinkt graag rosé.", "Mijn vriendin [P] drinkt graag rosé."},
		{"fr", "Fermé à Noël? Mon ami Noel veut venir.", "Fermé à Noël? Mon ami [P] veut venir."},
		{"nl", "hey! ik ben yasmine, kan ik morgen langskomen voor een gratis consult?",
			"hey! ik ben [P], kan ik morgen langskomen voor een gratis consult?"},
		{"nl", "Goeiemorgen, hier is Bart Verschueren, ik had gebeld over de laser.",
			"Goeiemorgen, hier is [P], ik had gebeld over de laser."},
		{"nl", "Mijn echtgenote Rita en ik willen een duo-afspraak.",
			"Mijn echtgenote [P] en ik willen een duo-afspraak."},
		{"nl", "Vriendelijke groeten\nFilip & Veerle",
			"Vriendelijke groeten\n[P] & [P]"},
		{"nl", "Kan dokter Vermeulen de botox zetten of enkel de verpleegster?",
			"Kan dokter [P] de botox zetten of enkel de verpleegster?"},
		{"nl", "Ik had een afspraak bij Nele vorige week, zij was super.",
			"Ik had een afspraak bij [P] vorige week, zij was super."},
		{"nl", "Hallo, Tom Claes hier, mijn afspraak van dinsdag moet verplaatst worden.",
			"Hallo, [P] hier, mijn afspraak van dinsdag moet verplaatst worden."},
		{"nl", "IK BEN ANNELIES EN IK WIL EEN AFSPRAAK",
			"IK BEN [P] EN IK WIL EEN AFSPRAAK"},
		{"nl", "Mijn schoonzus Ayşe Yıldız heeft mij jullie aangeraden.",
			"Mijn schoonzus [P] heeft mij jullie aangeraden."},
		{"nl", "groetjes\nkaat",
			"groetjes\n[P]"},
		{"nl", "Wanneer is de volgende vrije plaats voor een peeling?",
			"Wanneer is de volgende vrije plaats voor een peeling?"},
		{"nl", "Ik heb een gevoelige huid en rosacea op de wangen.",
			"Ik heb een gevoelige huid en rosacea op de wangen."},
		{"nl", "Is het normaal dat mijn lippen na 3 dagen nog gezwollen zijn?",
			"Is het normaal dat mijn lippen na 3 dagen nog gezwollen zijn?"},
		{"nl", "Zijn jullie bereikbaar met de bus vanuit Leuven centrum?",
			"Zijn jullie bereikbaar met de bus vanuit Leuven centrum?"},
		{"nl", "Graag een offerte voor 3 sessies Morpheus8 op buik en dijen.",
			"Graag een offerte voor 3 sessies Morpheus8 op buik en dijen."},
		{"nl", "Mag ik na de behandeling naar het zwembad?",
			"Mag ik na de behandeling naar het zwembad?"},
		{"nl", "Wij zijn met vier vriendinnen, krijgen we korting?",
			"Wij zijn met vier vriendinnen, krijgen we korting?"},
		{"nl", "Welke dokter doet de consultaties op zaterdag?",
			"Welke dokter doet de consultaties op zaterdag?"},
		{"nl", "Kan ik betalen met Payconiq of Bancontact?",
			"Kan ik betalen met Payconiq of Bancontact?"},
		{"nl", "Ik heb acne op mijn rug en borst sinds de zomer.",
			"Ik heb acne op mijn rug en borst sinds de zomer."},
		{"nl", "Heb ik een verwijsbrief nodig van mijn huisarts?",
			"Heb ik een verwijsbrief nodig van mijn huisarts?"},
		{"nl", "Toon eens wat foto's van voor en na aub.",
			"Toon eens wat foto's van voor en na aub."},
		{"nl", "Roos of rood na de peeling, is dat normaal?",
			"Roos of rood na de peeling, is dat normaal?"},
		{"fr", "coucou c'est lina, tu as une place samedi?",
			"coucou c'est [P], tu as une place samedi?"},
		{"fr", "Bonjour, je suis la maman de Zoé, elle a un rendez-vous mercredi.",
			"Bonjour, je suis la maman de [P], elle a un rendez-vous mercredi."},
		{"fr", "Veuillez contacter mon assistante, Mme Nathalie Gilles.",
			"Veuillez contacter mon assistante, Mme [P]."},
		{"fr", "Je m'appelle Kevin Mbala et je voudrais des infos sur le laser CO2.",
			"Je m'appelle [P] et je voudrais des infos sur le laser CO2."},
		{"fr", "Amicalement, Sylvie",
			"Amicalement, [P]"},
		{"fr", "Est-ce que le Dr. Dewulf consulte le jeudi?",
			"Est-ce que le Dr. [P] consulte le jeudi?"},
		{"fr", "Bonjour Docteur Lemaire, merci pour la consultation.",
			"Bonjour Docteur [P], merci pour la consultation."},
		{"fr", "Je viens de la part de Sabrina, une amie.",
			"Je viens de la part de [P], une amie."},
		{"fr", "Mon fils Nathan a de l'acné, il a 14 ans.",
			"Mon fils [P] a de l'acné, il a 14 ans."},
		{"fr", "Est-ce que les injections sont remboursées par la mutuelle?",
			"Est-ce que les injections sont remboursées par la mutuelle?"},
		{"fr", "Je voudrais savoir si le Profhilo convient aux peaux matures.",
			"Je voudrais savoir si le Profhilo convient aux peaux matures."},
		{"fr", "Vous êtes ouverts pendant les vacances de Toussaint?",
			"Vous êtes ouverts pendant les vacances de Toussaint?"},
		{"fr", "J'ai une tache brune sur la joue depuis l'été.",
			"J'ai une tache brune sur la joue depuis l'été."},
		{"fr", "Bonjour, combien de temps dure une séance d'épilation?",
			"Bonjour, combien de temps dure une séance d'épilation?"},
		{"fr", "Je préfère un médecin femme si possible.",
			"Je préfère un médecin femme si possible."},
		{"fr", "La crème Bepanthen suffit après le laser?",
			"La crème Bepanthen suffit après le laser?"},
		{"fr", "C'est la première fois que je fais des injections.",
			"C'est la première fois que je fais des injections."},
		{"fr", "Est-ce que vous êtes près de la place Flagey?",
			"Est-ce que vous êtes près de la place Flagey?"},
		{"fr", "Pouvez-vous m'envoyer la facture pour la mutuelle Solidaris?",
			"Pouvez-vous m'envoyer la facture pour la mutuelle Solidaris?"},
		{"fr", "Ma peau est plutôt mate, le laser fonctionne quand même?",
			"Ma peau est plutôt mate, le laser fonctionne quand même?"},
		{"de", "Hallo, hier ist Sabine aus Eupen, ich hätte gern einen Termin.",
			"Hallo, hier ist [P] aus Eupen, ich hätte gern einen Termin."},
		{"de", "Meine Freundin Laura Becker hat mir Ihre Praxis empfohlen.",
			"Meine Freundin [P] hat mir Ihre Praxis empfohlen."},
		{"de", "Beste Grüße\nMichael Hartmann",
			"Beste Grüße\n[P]"},
		{"de", "Sehr geehrter Herr Dr. Schneider, vielen Dank für die Behandlung.",
			"Sehr geehrter Herr Dr. [P], vielen Dank für die Behandlung."},
		{"de", "Ich heiße Mehmet und komme aus Aachen.",
			"Ich heiße [P] und komme aus Aachen."},
		{"de", "Können Sie Frau Yilmaz bitte zurückrufen?",
			"Können Sie Frau [P] bitte zurückrufen?"},
		{"de", "Mein Sohn Leon hat starke Akne im Gesicht.",
			"Mein Sohn [P] hat starke Akne im Gesicht."},
		{"de", "Danke schön, Ihre Ursula",
			"Danke schön, Ihre [P]"},
		{"de", "Wie lange muss ich nach der Behandlung auf Sport verzichten?",
			"Wie lange muss ich nach der Behandlung auf Sport verzichten?"},
		{"de", "Ich habe Pigmentflecken auf den Händen, was empfehlen Sie?",
			"Ich habe Pigmentflecken auf den Händen, was empfehlen Sie?"},
		{"de", "Bieten Sie auch Microneedling mit PRP an?",
			"Bieten Sie auch Microneedling mit PRP an?"},
		{"de", "Kann ich den Termin am Freitag auf Montag verschieben?",
			"Kann ich den Termin am Freitag auf Montag verschieben?"},
		{"de", "Wird die Behandlung von der Krankenkasse übernommen?",
			"Wird die Behandlung von der Krankenkasse übernommen?"},
		{"de", "Ich bin Diabetikerin, ist das ein Risiko?",
			"Ich bin Diabetikerin, ist das ein Risiko?"},
		{"de", "Meine Haut ist nach dem Peeling sehr trocken.",
			"Meine Haut ist nach dem Peeling sehr trocken."},
		{"de", "Gibt es Parkplätze in der Nähe der Klinik?",
			"Gibt es Parkplätze in der Nähe der Klinik?"},
		{"de", "Ich möchte Botox gegen Schwitzen unter den Achseln.",
			"Ich möchte Botox gegen Schwitzen unter den Achseln."},
		{"de", "Hallo Frau Doktor, ich habe noch eine Frage.",
			"Hallo Frau Doktor, ich habe noch eine Frage."},
		{"de", "Mit freundlichen Grüßen aus Köln",
			"Mit freundlichen Grüßen aus Köln"},
		{"de", "Ich bin Kunde seit 2019 und sehr zufrieden.",
			"Ich bin Kunde seit 2019 und sehr zufrieden."},
		{"en", "hey its jess again, can we move my appointment to 4pm?",
			"hey its [P] again, can we move my appointment to 4pm?"},
		{"en", "Good afternoon, this is Mark Thompson calling about my invoice.",
			"Good afternoon, this is [P] calling about my invoice."},
		{"en", "My girlfriend Chloe wants to book a lip filler too.",
			"My girlfriend [P] wants to book a lip filler too."},
		{"en", "All the best,\nDavid",
			"All the best,\n[P]"},
		{"en", "Is Dr. Nguyen available next Tuesday?",
			"Is Dr. [P] available next Tuesday?"},
		{"en", "I saw Rebecca last time, can I book with her again?",
			"I saw [P] last time, can I book with her again?"},
		{"en", "Please ask nurse Megan to call me.",
			"Please ask nurse [P] to call me."},
		{"en", "I'm Ahmed, I work near Schuman, any lunchtime slots?",
			"I'm [P], I work near Schuman, any lunchtime slots?"},
		{"en", "Many thanks,\nKatarzyna Kowalska",
			"Many thanks,\n[P]"},
		{"en", "Hello Sarah, thanks for the quick reply!",
			"Hello [P], thanks for the quick reply!"},
		{"en", "How long should I wait between Botox and filler?",
			"How long should I wait between Botox and filler?"},
		{"en", "Can I wear makeup the day after a peel?",
			"Can I wear makeup the day after a peel?"},
		{"en", "Do you offer a payment plan for laser packages?",
			"Do you offer a payment plan for laser packages?"},
		{"en", "I live in Waterloo, is there a clinic closer to me?",
			"I live in Waterloo, is there a clinic closer to me?"},
		{"en", "My skin gets hyperpigmentation easily, is IPL safe?",
			"My skin gets hyperpigmentation easily, is IPL safe?"},
		{"en", "Will the swelling go down before Saturday?",
			"Will the swelling go down before Saturday?"},
		{"en", "Are your prices including VAT?",
			"Are your prices including VAT?"},
		{"en", "I have an event on Friday, is that enough time to heal?",
			"I have an event on Friday, is that enough time to heal?"},
		{"en", "Is there a cancellation fee if I cancel 24 hours before?",
			"Is there a cancellation fee if I cancel 24 hours before?"},
		{"en", "May I bring my own numbing cream?",
			"May I bring my own numbing cream?"},
		{"en", "Hope you can help me with my acne scars.",
			"Hope you can help me with my acne scars."},
		{"en", "Do you use Juvederm Voluma for cheeks?",
			"Do you use Juvederm Voluma for cheeks?"},
		{"en", "I'm a bit nervous, is it painful?",
			"I'm a bit nervous, is it painful?"},
		{"en", "Grace from reception told me to message here.",
			"Grace from reception told me to message here."},
		{"en", "The Rose gold HydraFacial package, how much is it?",
			"The Rose gold HydraFacial package, how much is it?"},
	}
	r := personOnly()
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%03d_%s", i+1, tt.lang), func(t *testing.T) {
			out, _ := r.Redact(tt.in, nil)
			if got := anyPerson.ReplaceAllString(out, "[P]"); got != tt.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestPersonReasons checks the span and the reason of a finding for each
// way a name is recognised.
func TestPersonReasons(t *testing.T) {
	tests := []struct {
		in, value string
		reason    Reason
	}{
		{"my name is xavier dubois", "xavier dubois", ReasonNameCue},
		{"Ik ben Zyneth, 30 jaar", "Zyneth", ReasonNameCue},
		{"Dr. Vandenbulcke is top", "Vandenbulcke", ReasonNameTitle},
		{"Bonjour Mme Van Houtte", "Van Houtte", ReasonNameTitle},
		{"Groetjes, Zyneth Vercruysse", "Zyneth Vercruysse", ReasonNameSignoff},
		{"Kan Sofie Peeters komen?", "Sofie Peeters", ReasonNameList},
		{"Kan Sofie Zwartkop komen?", "Sofie Zwartkop", ReasonNameList},
		{"refund to J. de Graaf please", "J. de Graaf", ReasonNameList},
		{"Is dat goed? 0470 12 34 56, Greet", "Greet", ReasonNameLine},
		{"Zyneth here. Any news?", "Zyneth", ReasonNameCue},
		{"Ik ben Xyla. Xyla wil botox.", "Xyla", ReasonNameCue},
	}
	r := personOnly()
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			_, found := r.Redact(tt.in, nil)
			if len(found) == 0 {
				t.Fatalf("Redact(%q): no finding", tt.in)
			}
			f := found[0]
			if got := tt.in[f.Start:f.End]; got != tt.value || f.Reason != tt.reason {
				t.Errorf("Redact(%q): %q (%s), want %q (%s)",
					tt.in, got, f.Reason, tt.value, tt.reason)
			}
			if f.Type != Person {
				t.Errorf("type %s", f.Type)
			}
		})
	}
}

// TestPersonRepeat checks that a name found by its cue is found again in
// the same text without it, as context:repeat, and that the lower-case
// word is left alone.
func TestPersonRepeat(t *testing.T) {
	in := "Mijn vriendin Roos komt mee. Roos wil een peeling, tegen roos."
	want := "Mijn vriendin [PERSON_1] komt mee. [PERSON_1] wil een peeling, tegen roos."
	got, found := personOnly().Redact(in, nil)
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if len(found) != 2 || found[1].Reason != ReasonNameRepeat {
		t.Errorf("findings %v, want a repeat second", found)
	}
}

// TestPersonKeys checks which spellings share a placeholder: case and
// accents do not matter, a full name and its given name alone do not
// share one (two people may share a given name), and a name keeps its
// number across the messages of a conversation.
func TestPersonKeys(t *testing.T) {
	r := personOnly()
	tests := []struct{ in, want string }{
		{"Ik ben Sofie Peeters. Groeten, SOFIE PEETERS",
			"Ik ben [PERSON_1]. Groeten, [PERSON_1]"},
		{"Ik ben Zoë, groetjes Zoe", "Ik ben [PERSON_1], groetjes [PERSON_1]"},
		{"Ik ben Sofie Peeters, mijn dochter Sofie komt ook",
			"Ik ben [PERSON_1], mijn dochter [PERSON_2] komt ook"},
		{"Anne-Sophie en anne-sophie", "[PERSON_1] en anne-sophie"},
	}
	for _, tt := range tests {
		if got, _ := r.Redact(tt.in, nil); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}

	p := NewPlaceholders()
	turns := []struct{ in, want string }{
		{"Hallo, ik ben Lotte Janssens", "Hallo, ik ben [PERSON_1]"},
		{"Mijn zus Hanne wil ook komen", "Mijn zus [PERSON_2] wil ook komen"},
		{"Lotte Janssens nog eens, en Hanne", "[PERSON_1] nog eens, en [PERSON_2]"},
	}
	for i, tt := range turns {
		if got, _ := r.Redact(tt.in, p); got != tt.want {
			t.Errorf("turn %d: got %q, want %q", i, got, tt.want)
		}
	}
}

// TestPersonWithOthers runs every detector: an e-mail address, a street
// named after a person and an address win over the names inside them.
func TestPersonWithOthers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mail jan.peeters@telenet.be aub", "Mail [EMAIL_1] aub"},
		{"Ik ben Sofie, 0470 12 34 56", "Ik ben [PERSON_1], [PHONE_1]"},
		{"Graag naar Sofie.Peeters@UGent.be sturen", "Graag naar [EMAIL_1] sturen"},
		{"instagram.com/lotte.vdberghe", "[URL_1]"},
	}
	r := New()
	for _, tt := range tests {
		if got, _ := r.Redact(tt.in, nil); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	places := []string{
		"Ik woon in de Jan Van Rijswijcklaan 5, 2018 Antwerpen",
		"I live at Avenue Louise 231, 1050 Ixelles",
		"Place Saint-Lambert 3, 4000 Liège",
		"Rue Jean Jaurès 12, 1000 Bruxelles",
	}
	for _, in := range places {
		_, found := r.Redact(in, nil)
		for _, f := range found {
			if f.Type == Person {
				t.Errorf("Redact(%q): PERSON %q", in, in[f.Start:f.End])
			}
		}
	}
}

// TestPersonGerman checks that a capital letter is no evidence in German:
// nouns after cues stay, known names go.
func TestPersonGerman(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ich bin Patientin und habe Falten.", "Ich bin Patientin und habe Falten."},
		{"Ich bin Anna und habe Falten.", "Ich bin [PERSON_1] und habe Falten."},
		{"Ich bin Raucherin, geht das?", "Ich bin Raucherin, geht das?"},
		{"Hat Anna Zeit für die Beratung?", "Hat [PERSON_1] Zeit für die Beratung?"},
		{"Liebe Grüße, Anna Schmidtke", "Liebe Grüße, [PERSON_1]"},
		{"Ich heiße Xylander und wohne in Köln.", "Ich heiße [PERSON_1] und wohne in Köln."},
		{"Ich bin Zyxa und habe Falten.", "Ich bin Zyxa und habe Falten."},
		{"Nr. 8027, ich bin Touristin aus Bonn", "Nr. 8027, ich bin Touristin aus Bonn"},
		{"I'm Zyxa and I have wrinkles.", "I'm [PERSON_1] and I have wrinkles."},
	}
	r := personOnly()
	for _, tt := range tests {
		if got, _ := r.Redact(tt.in, nil); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPersonIdempotent redacts messages with names twice with every
// detector: the second pass finds nothing.
func TestPersonIdempotent(t *testing.T) {
	r := New()
	for _, in := range []string{
		"Groetjes, Els Verhaegen", "Dr. Van Damme en mevrouw De Smet",
		"Ik ben Sofie en mijn man Kris Peeters", "Mvg,\nJ. de Graaf",
		"hey its Zoë, tiktok.com/@zoe.skin", "Merci, famille Schroeder",
		"0470 12 34 56, Greet", "Lars hier. Mijn vriendin Noor en ik",
	} {
		p := NewPlaceholders()
		once, _ := r.Redact(in, p)
		if twice, more := r.Redact(once, p); twice != once || len(more) != 0 {
			t.Errorf("%q -> %q -> %q (%v)", in, once, twice, more)
		}
	}
}

// TestPersonLexicon checks the shipped lists: their size, and what they
// say of words the detector depends on.
func TestPersonLexicon(t *testing.T) {
	l := names()
	counts := map[lexBits]int{}
	for _, e := range l.entries {
		for _, b := range []lexBits{lexGiven, lexSurname, lexKeep, lexWord} {
			if e.bits&b != 0 {
				counts[b]++
			}
		}
	}
	if counts[lexGiven] < 2000 || counts[lexSurname] < 2000 {
		t.Errorf("%d given names, %d surnames, want 2000 each",
			counts[lexGiven], counts[lexSurname])
	}
	tests := []struct {
		word      string
		has, hasn lexBits
	}{
		{"Sofie", lexGiven, lexWord | lexKeep},
		{"ZOË", lexGiven, lexWord},
		{"Peeters", lexSurname, lexWord},
		{"smet", lexCore, lexSurname},
		{"D'Hondt", 0, 0}, // glued: looked up as "dhondt"
		{"dhondt", lexSurname, 0},
		{"annesophie", lexGiven, 0},
		{"Rose", lexGiven | lexWord, lexKeep},
		{"Mark", lexGiven | lexWord, lexKeep},
		{"Botox", lexKeep, lexName},
		{"Juvéderm", lexKeep, lexName},
		{"Falten", lexKeep, lexName},
		{"Winter", lexSurname | lexWord, lexKeep},
		{"Hoe", lexKeep, lexName},
		{"Dr", lexTitle, lexName},
		{"Mme", lexTitle, lexName},
		{"van", lexParticle, 0},
		{"und", lexGerman, lexOther},
		{"het", lexOther, lexGerman},
		{"Gent", lexKeep, 0},
		{"Namens", lexKeep, lexName},
	}
	for _, tt := range tests {
		got := l.bitsOf(tt.word)
		if got&tt.has != tt.has || got&tt.hasn != 0 {
			t.Errorf("bits of %q = %b, want %b and not %b", tt.word, got, tt.has, tt.hasn)
		}
	}
}

// TestPersonFold checks the folding of words: case, accents and letters
// of other alphabets.
func TestPersonFold(t *testing.T) {
	for in, want := range map[string]string{
		"Zoë": "zoe", "ŞAHİN": "sahin", "Łukasz": "lukasz", "Straße": "strasse",
		"Ærø": "aero", "Ιωάννης": "ιωάννης", "Jean": "jean",
	} {
		f := foldName(in)
		if f.over || string(f.folded()) != want || f.h != nameFNV(want) {
			t.Errorf("fold(%q) = %q, over %v", in, f.folded(), f.over)
		}
	}
	long := strings.Repeat("a", maxNameBytes+1)
	if f := foldName(long); !f.over {
		t.Errorf("fold of %d letters fits", len(long))
	}
}
