package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/newsline/newsline"
)

// maxJSONBody bounds a request's JSON body: the largest Newsline takes (a
// site with its URLs and patterns) is a few KB.
const maxJSONBody = 64 << 10

// decodeJSON reads r's body, one JSON object, into v. A body that is not
// JSON, is too large, has a field v does not know or a value of the wrong
// type is an EINVALID error that says which.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return newsline.Errorf(newsline.EINVALID, "send the body as JSON, with Content-Type: application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newsline.Errorf(newsline.EINVALID, "the body must hold one JSON object and nothing after it")
	}
	return nil
}

// bodyError says what is wrong with a JSON body, without echoing it.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return newsline.Errorf(newsline.EINVALID, "the body is larger than %d bytes", maxJSONBody)
	case errors.Is(err, io.EOF):
		return newsline.Errorf(newsline.EINVALID, "the body is empty; send a JSON object")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return newsline.Errorf(newsline.EINVALID, "the body is not valid JSON")
	case errors.As(err, &typ):
		if typ.Field != "" {
			return newsline.Errorf(newsline.EINVALID, "field %q must be %s", typ.Field, typ.Type.String())
		}
		return newsline.Errorf(newsline.EINVALID, "the body must be a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return newsline.Errorf(newsline.EINVALID, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return newsline.Errorf(newsline.EINVALID, "the body is not valid JSON")
}
