package api

import (
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRecentWrites(t *testing.T) {
	var w recentWrites
	a, b := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))
	w.wrote(a, time.Now().Add(time.Minute))
	w.wrote(b, time.Now().Add(-time.Second))
	if !w.recent(a) {
		t.Error("a wrote a minute's worth ago: want its reads on the primary")
	}
	if w.recent(b) {
		t.Error("b's mark has expired: want its reads on the replica")
	}
	if _, ok := w.until[b]; ok {
		t.Error("an expired mark is kept after it was looked up")
	}
}

func TestCredentialKey(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if _, ok := credentialKey(r); ok {
		t.Error("a request without credentials has a key")
	}
	r.Header.Set("Authorization", "Bearer nl_tok")
	bearer, ok := credentialKey(r)
	r2 := httptest.NewRequest("GET", "/", nil)
	r2.AddCookie(&http.Cookie{Name: SessionCookie, Value: "nl_tok"})
	cookie, ok2 := credentialKey(r2)
	if !ok || !ok2 || bearer != cookie {
		t.Error("the same token as a header and as the session cookie must name the same client")
	}
}
