package extract

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// kindPage builds a page with a headline, paragraphs and figures.
func kindPage(lang, title string, paras []string, figures int, caption string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="%s"><head><title>%s</title></head><body><article><h1>%s</h1>`, lang, title, title)
	for i := range figures {
		fmt.Fprintf(&b, `<figure><img src="/img/%d.jpg" alt=""><figcaption>%s</figcaption></figure>`, i, caption)
		if i < len(paras) {
			fmt.Fprintf(&b, "<p>%s</p>", paras[i])
		}
	}
	for _, p := range paras[min(figures, len(paras)):] {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

// repeat returns n paragraphs of s, each made distinct, since repeated
// paragraphs are removed as boilerplate.
func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("(%d) %s", i+1, s)
	}
	return out
}

func TestKindAnyScript(t *testing.T) {
	ja := "東京都は二十日、隅田川の護岸工事を来年春から始めると発表した。工事は三年間続き、総額は約百二十億円を見込む。" +
		"周辺の住民からは騒音や交通規制への懸念が出ており、都は説明会を開いて理解を求める方針だ。"
	zh := "市政府周三宣布，将从明年春天开始对河岸进行加固工程，工程预计持续三年，总投资约十二亿元。附近居民担心噪音和交通管制，政府表示将召开说明会。"
	th := "กรุงเทพมหานครประกาศว่าจะเริ่มงานซ่อมแซมเขื่อนริมแม่น้ำในฤดูใบไม้ผลิปีหน้า งานจะใช้เวลาสามปี และคาดว่าจะใช้งบประมาณประมาณหนึ่งหมื่นล้านบาท"
	en := "The council said on Wednesday that work on the river banks would start next spring and last three years, " +
		"at a cost of about 120 million, and residents worried about noise and closed roads will be invited to meetings."
	tests := []struct {
		name, url, page, want string
	}{
		{"japanese article", "https://news.example/national/2026/11/20/sumida", kindPage("ja", "隅田川の護岸工事、来春から", repeat(ja, 4), 0, ""), KindArticle},
		{"chinese article", "https://news.example/city/2026/11/20/river", kindPage("zh", "河岸加固工程明年开工", repeat(zh, 4), 0, ""), KindArticle},
		{"thai article", "https://news.example/local/2026/11/20/river", kindPage("th", "ซ่อมเขื่อนริมแม่น้ำ", repeat(th, 4), 0, ""), KindArticle},
		{"japanese stub", "https://news.example/national/2026/11/20/short", kindPage("ja", "速報", []string{"隅田川で増水。"}, 0, ""), KindStub},
		{"photo-led article", "https://news.example/world/2026/11/20/flood", kindPage("en", "Floods in pictures and words", repeat(en, 5), 8, "Water in the old town."), KindArticle},
		{"photo-led article at a gallery URL", "https://news.example/gallery/2026/flood", kindPage("en", "The flood", repeat(en, 5), 8, "Water in the old town."), KindArticle},
		{"gallery", "https://news.example/world/2026/11/20/flood-photos", kindPage("en", "The flood in photos", []string{en}, 8, "Water in the old town, seen from the bridge on Tuesday morning."), KindGallery},
	}
	x := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := x.Extract(context.Background(), tt.url, []byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != tt.want {
				t.Errorf("kind %q (%s; %d words), want %q", a.Kind, a.KindReason, a.WordCount, tt.want)
			}
		})
	}
}
