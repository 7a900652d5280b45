package api

import (
	"net/http"
	"strconv"

	"github.com/newsline/newsline/internal/artwork"
)

// Icon sizes: JSON Feed asks for a 512 px icon; browsers for a small one.
const (
	iconSize    = 512
	faviconSize = 64
)

// iconRoutes serve Newsline's mark, drawn once at start.
func iconRoutes() []route {
	var rs []route
	for _, icon := range []struct {
		pattern string
		size    int
	}{{"GET /icon.png", iconSize}, {"GET /favicon.ico", faviconSize}} {
		body, err := artwork.PNG(icon.size)
		if err != nil {
			panic(err) // sizes are constants within range
		}
		rs = append(rs, route{icon.pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Header().Set("Cache-Control", "public, max-age=86400")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
		}})
	}
	return rs
}
