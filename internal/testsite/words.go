package testsite

// Constant word lists. These package-level slices are read-only: nothing in
// the package ever mutates them.

// Grammar categories for body text, most frequent first (sampled with a
// Zipf-like distribution). Entries may be multi-word phrases.
var (
	detSingular = []string{"the", "a", "this", "its", "their", "another", "every"}
	detPlural   = []string{"the", "their", "some", "many", "several", "its", "these", "both", "other"}

	nounsSingular = []string{
		"government", "minister", "company", "country", "city", "council", "president", "bank",
		"report", "plan", "court", "party", "market", "economy", "budget", "agency", "committee",
		"union", "deal", "agreement", "proposal", "decision", "election", "campaign", "law", "bill",
		"policy", "crisis", "conflict", "region", "industry", "sector", "project", "programme",
		"investigation", "inquiry", "review", "study", "survey", "strike", "summit", "vote",
		"ruling", "trial", "team", "club", "league", "coach", "match", "season", "hospital",
		"university", "school", "airport", "factory", "network", "platform", "mission", "rocket",
		"satellite", "vaccine", "virus", "storm", "drought", "river", "coast", "forest", "ocean",
		"currency", "debt", "tax", "price", "rate", "ceasefire", "treaty", "accord", "border",
		"capital", "district", "province", "village", "community", "statement", "spokesman",
		"spokeswoman", "mayor", "judge", "chairman", "board", "executive", "leader", "coalition",
		"opposition", "record", "title", "victory", "defeat", "injury", "contract", "transfer",
		"deadline", "warning", "response", "recovery", "decline", "increase", "surge", "impact",
		"future", "development", "infrastructure", "environment", "technology", "internet",
		"evidence", "pressure", "funding", "growth", "inflation", "trade", "energy",
		"electricity", "pollution", "transport", "tourism", "security", "defence", "health",
		"education", "privacy", "stadium", "bridge", "telescope", "quarter", "forecast",
		"announcement", "interview", "conference", "measure", "standard", "document", "letter",
	}
	nounsPlural = []string{
		"officials", "ministers", "people", "workers", "investors", "analysts", "critics",
		"supporters", "experts", "residents", "families", "children", "students", "teachers",
		"doctors", "patients", "farmers", "voters", "protesters", "lawmakers", "leaders",
		"scientists", "researchers", "economists", "unions", "companies", "banks", "markets",
		"prices", "rates", "taxes", "jobs", "shares", "stocks", "bonds", "profits", "losses",
		"sales", "exports", "imports", "tariffs", "emissions", "floods", "crops", "homes", "rents",
		"schools", "hospitals", "flights", "trains", "roads", "streets", "troops", "refugees",
		"talks", "rules", "standards", "measures", "changes", "costs", "risks", "concerns", "fears",
		"hopes", "figures", "results", "documents", "sources", "charges", "rights", "fans",
		"players", "goals", "members", "customers", "consumers", "retailers", "users", "chips",
		"species", "negotiators", "regulators", "diplomats", "engineers", "passengers", "owners",
	}
	// measurables are plural nouns that can rise or fall by a percentage.
	measurables = []string{
		"prices", "shares", "sales", "exports", "imports", "profits", "emissions", "rents",
		"wages", "costs", "revenues", "earnings", "orders", "applications", "arrivals",
	}
	adjectives = []string{
		"new", "major", "key", "senior", "former", "local", "national", "international", "global",
		"public", "private", "economic", "political", "financial", "social", "federal", "official",
		"independent", "historic", "controversial", "unexpected", "recent", "significant",
		"strong", "weak", "annual", "regional", "digital", "environmental", "latest", "biggest",
		"largest", "long", "difficult", "early", "higher", "lower", "further", "possible",
		"current", "rural", "urban", "military", "legal", "medical", "joint", "temporary",
	}
	verbsPast = []string{
		"approved", "rejected", "signed", "backed", "blocked", "delayed", "announced", "launched",
		"reviewed", "raised", "cut", "increased", "reduced", "proposed", "defended", "welcomed",
		"questioned", "expanded", "criticised", "introduced", "suspended", "extended", "unveiled",
		"released", "published", "opened", "closed", "won", "lost", "faced", "met", "visited",
		"passed", "promised", "accepted", "challenged", "revised", "cancelled", "ordered",
		"received", "completed", "funded", "supported", "opposed", "warned", "urged", "praised",
	}
	verbsBase = []string{
		"approve", "reject", "sign", "back", "block", "delay", "announce", "launch", "review",
		"raise", "cut", "increase", "reduce", "propose", "defend", "expand", "introduce",
		"suspend", "extend", "unveil", "release", "publish", "open", "close", "win", "lose",
		"face", "meet", "visit", "pass", "accept", "challenge", "revise", "cancel", "complete",
		"fund", "support", "oppose",
	}
	modals = []string{
		"would", "could", "will", "may", "should", "might", "is expected to", "plans to",
		"hopes to", "has pledged to", "is likely to", "was forced to",
	}
	reportingVerbs = []string{
		"said", "told reporters", "added", "warned", "noted", "argued", "insisted", "confirmed",
		"claimed", "suggested", "acknowledged", "explained", "said in a statement",
	}
	reportingTail = []string{"said", "added", "warned", "noted", "argued", "insisted", "told reporters"}
	movementVerbs = []string{"rose", "fell", "climbed", "dropped", "jumped", "slipped", "grew", "declined"}
	prepositions  = []string{
		"in", "on", "for", "with", "after", "before", "during", "over", "under", "against",
		"from", "across", "without", "amid", "despite", "at",
	}
	conjunctions = []string{"while", "after", "because", "as", "although", "before", "since", "when"}
	timePhrases  = []string{
		"on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week",
		"this week", "last month", "this year", "earlier this month", "on Saturday", "on Sunday",
		"in recent weeks", "since January", "by the end of the year", "next month",
		"late on Friday", "in the coming days",
	}
	places = []string{
		"Brussels", "Washington", "London", "Geneva", "Nairobi", "Singapore", "Berlin", "Madrid",
		"Ottawa", "Canberra", "the capital", "the region", "the north", "the south",
	}
	fixedSentences = []string{
		"Officials declined to comment.", "The talks are set to continue.",
		"No date has been set.", "Details were not disclosed.", "The outcome remains uncertain.",
	}
)

var firstNames = []string{
	"Jane", "John", "Maria", "David", "Aisha", "Tom", "Priya", "Lucas", "Sofia", "Daniel",
	"Hannah", "Omar", "Grace", "Kenji", "Elena", "Samuel", "Chloe", "Mateo", "Fatima", "Oliver",
	"Ingrid", "Kwame", "Laura", "Ravi", "Nadia", "Peter", "Yuki", "Carmen", "Felix", "Amara",
}

var lastNames = []string{
	"Doe", "Roe", "Okafor", "Lindqvist", "Moreno", "Chen", "Patel", "Novak", "Haddad", "Whitaker",
	"Brennan", "Kowalski", "Tanaka", "Alvarez", "Mensah", "Fischer", "Sorensen", "Ibrahim", "Castillo", "Dubois",
	"Rossi", "Nakamura", "Adeyemi", "Harper", "Quinn", "Bauer", "Silva", "Kaur", "Petrov", "Walsh",
}

// titleSubjects: singular subjects first, then plural ones (see
// titlePluralFrom).
var titleSubjects = []string{
	"Minister", "Government", "Central bank", "City council", "Tech giant", "Energy firm",
	"Prime minister", "Opposition", "Supreme court", "Airline", "Carmaker", "Coach", "Captain",
	"Senate", "Mayor", "Startup", "Shipping group", "Climate panel", "Treasury", "Election board",
	"Space agency", "Rail operator", "Trade envoy",
	// plural
	"Regulators", "Lawmakers", "Union leaders", "Scientists", "Health officials", "Investors",
	"Researchers", "Farmers", "Teachers", "Police", "Economists", "Retailers", "Hospital chiefs",
}

const titlePluralFrom = 23 // index of the first plural subject

// titleVerbs holds {singular, plural} present-tense forms.
var titleVerbs = [][2]string{
	{"signs", "sign"}, {"rejects", "reject"}, {"backs", "back"}, {"delays", "delay"},
	{"unveils", "unveil"}, {"defends", "defend"}, {"scraps", "scrap"}, {"approves", "approve"},
	{"questions", "question"}, {"warns over", "warn over"}, {"pushes for", "push for"},
	{"calls for", "call for"}, {"blocks", "block"}, {"weighs", "weigh"}, {"announces", "announce"},
	{"reviews", "review"}, {"cuts", "cut"}, {"expands", "expand"}, {"launches", "launch"},
	{"probes", "probe"}, {"criticises", "criticise"}, {"revives", "revive"}, {"halts", "halt"},
	{"wins", "win"}, {"loses", "lose"}, {"secures", "secure"}, {"faces", "face"}, {"plans", "plan"},
	{"challenges", "challenge"}, {"confirms", "confirm"}, {"drops", "drop"}, {"targets", "target"},
}

var titleObjects = []string{
	"river accord", "tax plan", "budget deal", "rate rise", "housing reform", "trade pact",
	"data rules", "chip factory", "vaccine rollout", "rail strike", "wind farm",
	"pension changes", "school funding", "merger bid", "border checks", "fishing quotas",
	"AI safety code", "water charges", "election timetable", "stadium project",
	"drug pricing", "mining licence", "space mission", "flood defences", "bank bailout",
	"fuel subsidies", "cup final", "transfer deal", "coaching overhaul", "title race",
	"port expansion", "emissions target", "ceasefire proposal", "hospital closures",
	"broadband plan", "grain exports", "wage offer", "privacy probe", "satellite launch",
	"ocean survey", "forest protections", "airport runway", "bus fares", "rent controls",
	"steel tariffs", "league reform", "solar subsidies", "court ruling", "aid package",
	"telescope funding",
}

var titleSuffixes = []string{
	"amid protests", "after late talks", "despite warnings", "as deadline nears",
	"in surprise move", "after long delay", "ahead of vote", "as costs soar",
	"in landmark ruling", "after review", "under pressure", "for second time",
	"as talks stall", "after heated debate", "in boost for region",
}

var titlePrefixes = []string{"Analysis: ", "Explainer: ", "Exclusive: ", "Live: "}

var commentTexts = []string{
	"Great reporting, thanks for covering this.",
	"I wish the article had said more about the costs.",
	"This has been coming for years.",
	"Does anyone know when this takes effect?",
	"Finally some common sense.",
	"Not convinced this will change anything.",
	"Well written and balanced.",
	"The headline is a bit misleading in my view.",
	"My town has been dealing with this for a long time.",
	"Who is actually going to pay for all of this?",
	"Interesting read, shared it with my family.",
	"We need more coverage like this.",
	"I remember when this was first proposed.",
	"The numbers in the third paragraph seem off.",
	"Good to see someone asking the hard questions.",
	"Same old story, different year.",
}

var commenters = []string{
	"riverwatcher", "J. Mendes", "northern_light", "Paul K", "citizen42", "M. Osei",
	"early_bird", "Lena from Leeds", "quietreader", "T. Brandt", "harbourview", "sam_b",
}

// syllable material for made-up unique words.
const (
	uniqueConsonants = "bdfgklmnprstvxz"
	uniqueVowels     = "aeiou"
	uniqueCodas      = "lnrsx"
	uniqueRare       = "xzvk" // made-up words need at least two of these
)
