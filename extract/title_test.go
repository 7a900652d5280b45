package extract

import "testing"

func TestMetadataTitleCleaning(t *testing.T) {
	tests := []struct {
		name, pageURL, head, body, want string
	}{
		{"site suffix", testURL, `<title>River accord signed | Daily Planet</title><meta property="og:site_name" content="Daily Planet">`, "", "River accord signed"},
		{"site prefix", testURL, `<title>Daily Planet - River accord signed</title><meta property="og:site_name" content="Daily Planet">`, "", "River accord signed"},
		{"site with The", testURL, `<meta property="og:title" content="River accord signed — The Daily Planet"><meta property="og:site_name" content="Daily Planet">`, "", "River accord signed"},
		{"domain suffix", "https://www.nytimes.com/x", `<title>River accord signed - NYTimes.com</title>`, "", "River accord signed"},
		{"domain spelled out", "https://vortexcannon.org/x", `<title>About bugs – Vortex Cannon Entertainment</title>`, "", "About bugs"},
		{"site name after a colon", "https://www.thespacereview.com/x", `<title>The Space Review: Seeking a bigger role</title>`, "", "Seeking a bigger role"},
		{"topic colon kept", testURL, `<title>Brexit: What happens next</title>`, "", "Brexit: What happens next"},
		{"unrelated suffix kept", "https://blog.comwrap.com/x", `<title>Take C.A.R.E. - comwrap auf der DMEXCO 2018</title>`, "", "Take C.A.R.E. - comwrap auf der DMEXCO 2018"},
		{"section and site cut to the h1", testURL, `<title>River accord signed | World | Daily Planet</title><meta property="og:site_name" content="Daily Planet">`,
			`<h1>River accord signed</h1>`, "River accord signed"},
		{"URL headline skipped", testURL, `<meta property="og:title" content="River accord signed">`,
			`<a itemprop="headline" href="/">https://news.example/</a>`, "River accord signed"},
		{"no suffix without a site match", testURL, `<title>River accord signed | World</title>`, "", "River accord signed | World"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m := readTestMetadata(t, tt.pageURL, "", tt.head, tt.body); m.Title != tt.want {
				t.Errorf("title %q, want %q", m.Title, tt.want)
			}
		})
	}
}
