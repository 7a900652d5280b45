package suggest

import "testing"

func TestClosest(t *testing.T) {
	hosts := []string{"www.theguardian.com", "www.bbc.co.uk", "news.example"}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"guardian", hosts, "www.theguardian.com"},
		{"www.bbc.co.k", hosts, "www.bbc.co.uk"},
		{"NEWS.EXAMPLE", hosts, "news.example"},
		{"nothing-like-it", hosts, ""},
		{"", hosts, ""},
		{"jane-do", []string{"jane-austen", "jane-doe", "john-doe"}, "jane-doe"},
		{"jnae-doe", []string{"jane-austen", "jane-doe", "john-doe"}, "jane-doe"},
		{"serv", []string{"serve", "search", "sites"}, "serve"},
		{"x", nil, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"müller", "muller", 1}, {"jane", "jane", 0},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestHint(t *testing.T) {
	if got := Hint("jane-doe"); got != "; did you mean jane-doe?" {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint(""); got != "" {
		t.Errorf("Hint(\"\") = %q", got)
	}
}
