package password

import (
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not in the PHC format with the default parameters", h)
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
		{"correct horse battery ", false},
	} {
		ok, err := Check(tt.pw, h)
		if err != nil || ok != tt.want {
			t.Errorf("Check(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	h2, _ := Hash("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if NeedsRehash(h) {
		t.Error("a default hash needs a rehash")
	}
}

func TestCheckOtherParams(t *testing.T) {
	cheap := Params{Memory: 64, Time: 1, Threads: 1}
	h, err := HashWith("pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Check("pw", h); !ok || err != nil {
		t.Fatalf("Check = %v, %v", ok, err)
	}
	if !NeedsRehash(h) {
		t.Error("a hash with other parameters does not need a rehash")
	}
}

func TestMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$2a$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5a2V5a2V5a2V5a2V5"} {
		if _, err := Check("pw", h); err != ErrMalformed {
			t.Errorf("Check(%q) error %v, want ErrMalformed", h, err)
		}
	}
}

// BenchmarkHash is what one login or sign-up costs the server
// (go test -bench Hash ./internal/password/).
func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}
