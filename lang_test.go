package newsline

import "testing"

func TestTSConfig(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"en", "english"},
		{"de", "german"},
		{"pt-BR", "portuguese"},
		{"en_GB", "english"},
		{"NB", "norwegian"},
		{"nn", "norwegian"},
		{"zh", "simple"},
		{"xx", "simple"},
		{"", "simple"},
		{"-en", "simple"},
	}
	for _, tt := range tests {
		if got := TSConfig(tt.lang); got != tt.want {
			t.Errorf("TSConfig(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}
