package testsite

import (
	"html"
	"slices"
	"strings"
)

// Fixed copy of the hostile pages. It is hand-written rather than generated
// so the pages do not depend on Config and can never carry an article's
// unique word.

// slowArticle is trickled by /hostile/slow.
var slowArticle = plainArticle{
	charset:  "utf-8",
	title:    "Harbour authority delays decision on new ferry terminal",
	byline:   "By Tom Ashworth",
	date:     "November 16, 2026",
	datetime: "2026-11-16T08:30:00Z",
	paragraphs: []string{
		"The harbour authority has postponed its decision on a new ferry terminal for the third time this year, saying it needs more time to study the cost of dredging the eastern channel and the likely effect on the fishing fleet.",
		"Operators had hoped for an answer before the winter timetable was published. One said the delay left them unable to order new vessels, which take at least two years to build, and warned that fares could rise if the old terminal stayed in use.",
		"The authority said a final report would be published in the new year, followed by a public consultation lasting eight weeks.",
	},
}

// hugeArticle is streamed by /hostile/huge; its paragraphs repeat until the
// requested size is reached.
var hugeArticle = plainArticle{
	charset:  "utf-8",
	title:    "Live: the longest budget debate in the chamber's history",
	byline:   "By Political Staff",
	date:     "November 15, 2026",
	datetime: "2026-11-15T09:00:00Z",
	paragraphs: []string{
		"Members are still debating the budget, now well into its second day, as the opposition works through hundreds of amendments line by line.",
		"The speaker has again rejected a motion to limit the length of speeches, saying the rules of the chamber allow every member to be heard in full.",
		"Outside the building, a small crowd has gathered to follow the proceedings on a large screen set up by the council in the square.",
		"The finance minister told reporters during a short break that she remained confident the budget would pass before the end of the week.",
	},
}

// CharsetTitle is the headline of the /hostile/wrong-charset/ pages.
const CharsetTitle = "Café owners welcome “fair” rents"

// CharsetByline is the visible byline of the /hostile/wrong-charset/ pages.
const CharsetByline = "By Léa Brunner"

// charsetParagraphs use only characters windows-1252 can encode; several of
// them (“ ” — €) are absent from ISO-8859-1, so a crawler that trusts a
// wrong header visibly garbles them.
var charsetParagraphs = []string{
	"Café owners in the old town have welcomed a deal that caps commercial rents for five years, calling it the first “fair” settlement since the pandemic. Under the agreement, increases are limited to inflation plus one point, and landlords who refuse to sign lose access to a city renovation fund worth €4 million.",
	"“We were not naïve about it — we knew the landlords had the stronger hand,” said Marta Keller, who runs a small café near the station and chairs the traders’ association. She said the talks had lasted eleven months and nearly collapsed twice before the mayor stepped in during September.",
	"The model is borrowed from Zürich, where a similar scheme has kept ground-floor rents stable for almost a decade. Officials who visited the Swiss city in the spring said the key was a public register of leases, which lets tenants compare what their neighbours pay — something landlords had long resisted.",
	"Not everyone is convinced. The property owners’ federation called the cap “a blunt instrument” that would discourage investment, and warned that some buildings could be left empty rather than let at a loss. Its director said repairs worth €120,000 per building were now in doubt across the district.",
	"For customers, the effect may be modest at first. A cappuccino that costs €3.80 today is unlikely to get cheaper, café owners say, but they hope the deal will stop the steady closures that have left a dozen empty shopfronts on the main square since last winter.",
	"The council will vote on the final text next month. If it passes, the register opens in January, and the first disputes will go to a new mediation panel — three members, one chosen by each side and one by the city — whose decisions will bind both parties.",
}

// CharsetParagraphs returns the body paragraphs of the /hostile/wrong-charset/
// pages, as a reader sees them when the page is decoded correctly.
func CharsetParagraphs() []string { return slices.Clone(charsetParagraphs) }

// charsetArticle renders the wrong-charset article (as UTF-8 text; the
// routes encode it). meta is the <meta charset> value, "" for none: the
// mislabelled pages carry none, so only the bytes tell the truth.
func charsetArticle(meta string) plainArticle {
	return plainArticle{
		charset:    meta,
		title:      CharsetTitle,
		byline:     CharsetByline,
		date:       "November 18, 2026",
		datetime:   "2026-11-18T10:15:00Z",
		paragraphs: charsetParagraphs,
	}
}

// malformedParagraphs are the article paragraphs of /hostile/malformed as a
// browser shows them. In the page, some are left unclosed, one contains a
// link with unquoted attributes and one an entity.
var malformedParagraphs = []string{
	"Repairs to the harbour bridge will continue until at least the end of March, the city's transport department said on Monday, after engineers found more corrosion in the steel supports than an inspection last year had suggested.",
	"The bridge carries about forty thousand vehicles a day. Since September one lane in each direction has been closed, and traders on the north bank say business has fallen by a fifth as drivers avoid the area at peak times.",
	"Engineers from Hollis & Grant, the firm that designed the original structure, said the damage was serious but not dangerous, and that the bridge would stay open throughout the work as long as heavy lorries kept to the diversion.",
	"The department said the extra repairs would add roughly two million pounds to the cost of the project, which will be met from the road maintenance budget rather than from the fund set aside for new cycle lanes.",
	"Residents on the south side have asked for the night work to end earlier. At a meeting on Thursday several said the noise from the cutting equipment kept them awake until well after midnight on most days of the week.",
	"The council said it would review the working hours next month and publish a new schedule. It also promised more frequent updates on its website, where a map shows which lanes are open on each day of the repairs.",
	"A public inquiry into why the corrosion was missed will begin in the new year. Its chair said the inquiry would look at the inspection regime for all of the city's bridges and report within six months of its first hearing.",
}

// MalformedParagraphs returns the text of the article paragraphs on
// /hostile/malformed (its <p> elements without a class attribute), as an
// HTML5 parser sees it: entities decoded, whitespace trimmed, and without the
// NUL and invalid UTF-8 bytes, which sit between the paragraphs.
func MalformedParagraphs() []string { return slices.Clone(malformedParagraphs) }

// malformedPage renders /hostile/malformed. The breakage is deliberate and
// every piece is placed so that an HTML5 parser still yields exactly
// malformedParagraphs:
//   - unquoted attribute values throughout;
//   - unclosed <p> elements (closed implicitly by the next <p> or <div>);
//   - unclosed <div>s (the header and the ad box swallow what follows);
//   - a stray "</div></span>" (the </div> closes the story body early);
//   - a NUL byte and two invalid UTF-8 bytes between paragraphs;
//   - a <table> that is never closed;
//   - an unterminated comment that hides the rest of the page, including a
//     decoy paragraph a regexp-based extractor would wrongly keep.
func malformedPage() string {
	p := make([]string, len(malformedParagraphs))
	for i, t := range malformedParagraphs {
		p[i] = html.EscapeString(t)
	}
	// Paragraph 2 carries an inline link with unquoted attributes.
	p[1] = strings.Replace(p[1], "traders on the north bank", "traders on the <a href=/section/business class=inline>north bank</a>", 1)
	return strings.Join([]string{
		"<!DOCTYPE html>",
		"<html lang=en>",
		"<head>",
		"<meta charset=utf-8>",
		"<title>Harbour bridge repairs to run into spring | " + siteName + "</title>",
		"<link rel=stylesheet href=/static/site.css>",
		"</head>",
		"<body class=article>",
		"<div class=site-header><a class=logo href=/>" + siteName + "</a>",
		"<div class=main-nav><a href=/section/world>World</a> <a href=/section/business>Business</a></span>",
		"<div id=content class=story>",
		"<h1 class=headline>Harbour bridge repairs to run into spring</h1>",
		"<p class=byline>By Maria Lopez",
		"<p class=dateline>November 17, 2026",
		"<div class=story-body>",
		"<p>" + p[0],
		"<p>" + p[1],
		"</div></span>",
		"\x00",
		"<p>" + p[2] + "</p>",
		"\xff\xfe",
		"<p>" + p[3],
		"<div class=ad data-slot=inline><span class=ad-label>" + adLabel + "</span> <a href=https://ads.example/click?slot=inline rel=sponsored>" + adCopy[0] + "</a>",
		"<p>" + p[4],
		"<p>" + p[5],
		"<p>" + p[6],
		"<table class=related><tr><td><a href=/about>About us</a><td><a href=/contact>Contact us</a>",
		"<!-- analytics: the pageview pixel below was disabled on 2026-11-03",
		"<p>Subscribe today for unlimited access to every story, the daily puzzle and our award-winning newsletters.</p>",
		"</body>",
		"</html>",
		"",
	}, "\n")
}
