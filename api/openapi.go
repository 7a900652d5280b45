package api

import (
	_ "embed"
	"io"
	"net/http"
	"strconv"
)

// openAPIDocument describes every route of Handler; TestOpenAPI calls
// each against a running server and validates the answers with it.
//
//go:embed openapi.json
var openAPIDocument string

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPIDocument)))
	_, _ = io.WriteString(w, openAPIDocument)
}
