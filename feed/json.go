package feed

const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

// The JSON Feed 1.1 document as encoding/json types, fields in the order of
// the specification.
type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url,omitempty"`
	FeedURL     string     `json:"feed_url,omitempty"`
	Description string     `json:"description,omitempty"`
	Icon        string     `json:"icon,omitempty"`
	Favicon     string     `json:"favicon,omitempty"`
	Language    string     `json:"language,omitempty"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID          string `json:"id"`
	URL         string `json:"url,omitempty"`
	Title       string `json:"title,omitempty"`
	ContentHTML string `json:"content_html,omitempty"`
	// A pointer: an item must carry content_html or content_text, so an
	// empty content_text is written when there is neither body nor summary.
	ContentText   *string      `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

// buildJSON maps a cleaned feed to a JSON Feed document. JSON Feed's icon is
// the large square image, its favicon the small one.
func buildJSON(f *Feed) *jsonFeed {
	j := &jsonFeed{
		Version:     jsonFeedVersion,
		Title:       f.Title,
		HomePageURL: f.SiteURL,
		FeedURL:     f.SelfURL,
		Description: f.Description,
		Icon:        f.ImageURL,
		Favicon:     f.IconURL,
		Language:    f.Language,
		Items:       make([]jsonItem, len(f.Items)),
	}
	for i := range f.Items {
		j.Items[i] = newJSONItem(&f.Items[i])
	}
	return j
}

func newJSONItem(it *Item) jsonItem {
	ji := jsonItem{
		ID:            it.id(),
		URL:           it.Link,
		Title:         it.Title,
		ContentHTML:   it.ContentHTML,
		Summary:       it.Summary,
		DatePublished: rfc3339(it.Published),
		DateModified:  rfc3339(it.Updated),
		Tags:          it.Categories,
	}
	if it.ContentHTML == "" {
		ji.ContentText = &it.Summary
	}
	if it.Image != nil {
		ji.Image = it.Image.URL
	}
	for _, name := range it.Authors {
		ji.Authors = append(ji.Authors, jsonAuthor{Name: name})
	}
	return ji
}
