package triage

import "testing"

// TestDiagnosisDrafts checks drafts that diagnose or prescribe, in the
// four languages, and the drafts an assistant writes every day that
// must pass: general statements, conditions, questions back.
func TestDiagnosisDrafts(t *testing.T) {
	diagnose := []string{
		"It sounds like you have an infection at the injection site.",
		"You probably have a mild allergic reaction to the filler.",
		"This is most likely a granuloma.",
		"My diagnosis: a vascular occlusion.",
		"Take 400 mg of ibuprofen three times a day.",
		"U heeft waarschijnlijk een infectie, dat gaat vanzelf over.",
		"Het klinkt alsof je een allergische reactie hebt.",
		"Neem 2 tabletten paracetamol van 500 mg.",
		"Vous avez probablement une infection.",
		"Il s'agit sans doute d'une réaction allergique.",
		"Prenez 1000 mg de paracétamol.",
		"Sie haben wahrscheinlich eine Infektion.",
		"Das ist vermutlich eine allergische Reaktion.",
		"Nehmen Sie 400 mg Ibuprofen.",
	}
	for _, d := range diagnose {
		if !IsDiagnosisDraft(d) {
			t.Errorf("not caught: %q", d)
		}
	}
	pass := []string{
		"Botox costs 250 euro per zone at our clinic.",
		"If you have an infection or a cold sore, we postpone the treatment.",
		"In rare cases an allergic reaction can occur; the doctor explains " +
			"the risks during the consultation.",
		"You probably have questions: our doctor answers them during a free consultation.",
		"You have an appointment on Tuesday at 10:00.",
		"Als u een infectie heeft, stellen we de behandeling uit.",
		"U heeft waarschijnlijk al gehoord van Profhilo.",
		"Si vous avez de l'herpès, prévenez-nous avant la séance.",
		"Vous avez probablement déjà vu nos tarifs en ligne.",
		"Wenn Sie eine Infektion haben, verschieben wir den Termin.",
		"Sie haben wahrscheinlich schon von Hyaluron gehört.",
		"Our clinic is open from 9 to 18, Monday to Friday.",
	}
	for _, p := range pass {
		if IsDiagnosisDraft(p) {
			t.Errorf("wrongly caught: %q", p)
		}
	}
}
