package extract

import "testing"

func TestCountWords(t *testing.T) {
	tests := []struct {
		name, text string
		want       int
	}{
		{"english", "The river rose by two metres overnight.", 7},
		{"punctuation is no word", "Yes — it did. “Really?” 2,500 people", 6},
		{"german", "Der Fluss stieg über Nacht um zwei Meter.", 8},
		{"russian", "Река поднялась за ночь на два метра.", 7},
		{"korean uses spaces", "강물이 밤사이 2미터 불어났다.", 4},
		{"japanese", "川の水位が一晩で二メートル上昇した。", 9},       // 17 letters
		{"chinese", "河水一夜之间上涨了两米。", 6},              // 11 letters
		{"thai", "แม่น้ำสูงขึ้นสองเมตร", 4},         // 13 letters, vowel marks aside
		{"mixed", "東京 (Reuters) 川の水位が上昇した。", 1 + 6}, // 11 letters, 1 word
		{"empty", "  ", 0},
	}
	for _, tt := range tests {
		if got := CountWords(tt.text); got != tt.want {
			t.Errorf("%s: CountWords(%q) = %d, want %d", tt.name, tt.text, got, tt.want)
		}
	}
}
