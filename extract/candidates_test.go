package extract

import (
	"strings"
	"testing"
)

func TestMergeBodies(t *testing.T) {
	lead := "The council approved the budget on Tuesday after a long debate about roads and schools."
	middle := "Opposition members said the plan left out the northern districts, which have waited years for repairs."
	end := "The budget takes effect in January and will be reviewed by the auditors in the spring."
	other := "Residents in the north said they would take the matter to the regional court if nothing changed soon."
	tests := []struct {
		name, primary, second, title, want string
		merged                             bool
	}{
		{"agree", lead + "\n\n" + end, lead + "\n\n" + end, "", lead + "\n\n" + end, false},
		{"mostly agree: primary stands", lead + "\n\n" + middle + "\n\n" + end, lead + "\n\n" + middle + "\n\n" + other, "", lead + "\n\n" + middle + "\n\n" + end, false},
		{"disagree: missed paragraphs go in order", lead, lead + "\n\n" + middle + "\n\n" + other + "\n\n" + end, "",
			lead + "\n\n" + middle + "\n\n" + other + "\n\n" + end, true},
		{"missed lead goes first", end, lead + "\n\n" + middle + "\n\n" + end, "", lead + "\n\n" + middle + "\n\n" + end, true},
		{"empty primary", "", lead + "\n\n" + end, "", lead + "\n\n" + end, true},
		{"headline left out", "", "Budget approved\n\n" + lead, "Budget approved", lead, true},
		{"too short a second opinion", "", "Closed today.", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, merged := mergeBodies(tt.primary, tt.second, tt.title)
			if got != tt.want || merged != tt.merged {
				t.Errorf("got %v %q,\nwant %v %q", merged, strings.ReplaceAll(got, "\n\n", " | "), tt.merged, strings.ReplaceAll(tt.want, "\n\n", " | "))
			}
		})
	}
}
