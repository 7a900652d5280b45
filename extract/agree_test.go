package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestPruneBySecond(t *testing.T) {
	lead := "The council approved the budget on Tuesday after a long debate about roads and schools."
	middle := "Opposition members said the plan left out the northern districts, which have waited years for repairs."
	end := "The budget takes effect in January and will be reviewed by the auditors in the spring."
	long := "A long paragraph that only readability kept stays, because a reader misses a real paragraph of the story far more than a stray line of a widget around it, and this one runs well past thirty words."
	both := lead + "\n\n" + middle + "\n\n" + end
	tests := []struct {
		name, body, second, want string
	}{
		{"short stray only readability kept",
			"<p>" + lead + "</p><p>Was this article useful?</p><p>" + middle + "</p><p>" + end + "</p>", both, both},
		{"trailing stray under 30 words",
			"<p>" + lead + "</p><p>" + middle + "</p><p>" + end + "</p><p>Our shop has everything you need for the garden, from seeds to tools, delivered within two days.</p>", both, both},
		{"long paragraph only readability kept stays",
			"<p>" + lead + "</p><p>" + long + "</p><p>" + middle + "</p><p>" + end + "</p>", both,
			lead + "\n\n" + long + "\n\n" + middle + "\n\n" + end},
		{"link teaser dropped even when both kept",
			"<p>" + lead + "</p><p>Read also: <a href=/x>Council fights over the roads budget again this year</a></p><p>" + middle + "</p><p>" + end + "</p>",
			lead + "\n\nRead also: Council fights over the roads budget again this year\n\n" + middle + "\n\n" + end, both},
		{"heading over shared text stays",
			"<p>" + lead + "</p><h2>Next steps</h2><p>" + middle + "</p><p>" + end + "</p>", both,
			lead + "\n\nNext steps\n\n" + middle + "\n\n" + end},
		{"too short a second opinion changes nothing",
			"<p>" + lead + "</p><p>Was this article useful?</p>", "Closed today.", lead + "\n\nWas this article useful?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader("<div>" + tt.body + "</div>"))
			if err != nil {
				t.Fatal(err)
			}
			pruneBySecond(doc, tt.second)
			if got := blockText(doc); got != tt.want {
				t.Errorf("got  %q,\nwant %q", strings.ReplaceAll(got, "\n\n", " | "), strings.ReplaceAll(tt.want, "\n\n", " | "))
			}
		})
	}
}
