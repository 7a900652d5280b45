package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWriteJSONEncodeFailure: a value JSON cannot carry is a logged 500
// with the error shape, never a 200 cut short.
func TestWriteJSONEncodeFailure(t *testing.T) {
	var logged bytes.Buffer
	s := &Server{Logger: slog.New(slog.NewTextHandler(&logged, nil))}
	rec := httptest.NewRecorder()
	s.writeJSON(rec, httptest.NewRequest("GET", "/api/v1/search?q=x", nil), 200, map[string]float64{"rank": math.NaN()})
	var e ErrorJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 500 || e.Error.Code != "internal" {
		t.Fatalf("%d %q: %v", rec.Code, rec.Body, err)
	}
	if !strings.Contains(logged.String(), "encode response") {
		t.Fatalf("not logged: %q", logged.String())
	}
}

func TestEncodeKeepsHTML(t *testing.T) {
	b, err := Encode(map[string]string{"headline": "<mark>harbour</mark> & more"})
	if err != nil || string(b) != `{"headline":"<mark>harbour</mark> & more"}`+"\n" {
		t.Fatalf("%s %v", b, err)
	}
}
