package crawler

import (
	"strings"
	"testing"
)

func TestDecodeHTML(t *testing.T) {
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"utf-8 kept", "", []byte("<p>Grüße</p>"), "<p>Grüße</p>"},
		{"meta latin-1", "", []byte("<meta charset=\"iso-8859-1\"><p>Gr\xfc\xdfe</p>"), "<meta charset=\"iso-8859-1\"><p>Grüße</p>"},
		{"header windows-1250", "text/html; charset=windows-1250", []byte("<p>\xb9</p>"), "<p>ą</p>"},
		{"no declaration is windows-1252", "", []byte("<p>\x93quoted\x94</p>"), "<p>“quoted”</p>"},
		{"false utf-8 header", "text/html; charset=utf-8", []byte("<p>caf\xe9</p>"), "<p>café</p>"},
		{"false utf-8 meta", "", []byte("<meta charset=utf-8><p>caf\xe9</p>"), "<meta charset=utf-8><p>caf\uFFFD</p>"},
	}
	for _, tt := range tests {
		if got := string(DecodeHTML(tt.body, tt.contentType)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDecodeHTMLLateMeta(t *testing.T) {
	head := "<html><head>" + strings.Repeat("<!-- toolbar -->", 100)
	body := []byte(head + `<meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>` + "\xd2\xbb\xb8\xf6</body></html>")
	got := string(DecodeHTML(body, ""))
	if !strings.Contains(got, "一个") {
		t.Errorf("late gb2312 meta: %q", got[len(got)-40:])
	}
}
