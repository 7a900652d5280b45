package extract

import "testing"

func TestMetadataMicrodata(t *testing.T) {
	body := `
		<div itemscope itemtype="https://schema.org/Comment">
			<span itemprop="author">Comment Writer</span>
			<time itemprop="datePublished" datetime="2026-11-22T10:00:00Z">yesterday</time>
		</div>
		<article itemscope itemtype="http://schema.org/NewsArticle">
			<h1 itemprop="headline">River accord signed</h1>
			<meta itemprop="dateModified" content="2026-11-20T08:00:00Z">
			<div itemprop="author" itemscope itemtype="http://schema.org/Person"><a href="/jane"><span itemprop="name">Jane Doe</span></a>, Staff Writer</div>
			<time itemprop="datePublished" datetime="2026-11-19T14:05:00Z">Nov. 19</time>
			<img itemprop="image" src="/img/river.jpg">
			<span itemprop="articleSection">World</span>
			<div itemprop="publisher" itemscope itemtype="http://schema.org/Organization"><meta itemprop="name" content="Daily Planet"></div>
		</article>`
	checkMeta(t, readTestMetadata(t, testURL, "", "", body), map[string]string{
		"title": "River accord signed", "src.title": "microdata",
		"authors": "Jane Doe", "src.authors": "microdata",
		"published": "2026-11-19T14:05:00Z", "src.published": "microdata",
		"modified": "2026-11-20T08:00:00Z", "src.modified": "microdata",
		"image": "https://news.example/img/river.jpg", "src.image": "microdata",
		"section": "World", "src.section": "microdata",
		"site_name": "Daily Planet", "src.site_name": "microdata",
	})
}

func TestMetadataMicrodataScopes(t *testing.T) {
	body := `<strong class="page-title"><a href="/" itemprop="headline">Blog - Latest News</a></strong>
		<span itemprop="author">Site Admin Person</span>
		<main itemscope itemtype="https://schema.org/BlogPosting">
			<h1 itemprop="headline"><a href="/post">River accord signed</a></h1>
			<a itemprop="author" href="/jane">Jane Doe</a> and <a itemprop="author" href="/john">John Roe</a>
		</main>`
	checkMeta(t, readTestMetadata(t, testURL, "", "", body), map[string]string{
		"title": "River accord signed", "authors": "Jane Doe; John Roe", "src.authors": "microdata",
	})
}
