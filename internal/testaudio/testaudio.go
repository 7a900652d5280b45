// Package testaudio lets tests that need the real speech programs say so:
// they skip where the programs are missing, unless NEWSLINE_REQUIRE_AUDIO
// is set (make test and CI set it, after scripts/install-audio.sh), where
// a missing program fails the test instead of hiding it.
package testaudio

import (
	"os"
	"os/exec"
	"testing"
)

// Festival's HTS voice, as Debian's festvox-us-slt-hts installs it.
const festivalVoiceDir = "/usr/share/festival/voices/us/cmu_us_slt_arctic_hts"

// Require skips or fails t unless every program is on PATH. "festival"
// also requires its HTS voice.
func Require(t testing.TB, programs ...string) {
	t.Helper()
	for _, p := range programs {
		_, err := exec.LookPath(p)
		if err == nil && p == "festival" {
			_, err = os.Stat(festivalVoiceDir)
		}
		if err == nil {
			continue
		}
		if os.Getenv("NEWSLINE_REQUIRE_AUDIO") != "" {
			t.Fatalf("%s is missing (%v) and NEWSLINE_REQUIRE_AUDIO is set: run scripts/install-audio.sh", p, err)
		}
		t.Skipf("%s is missing (%v); scripts/install-audio.sh installs it", p, err)
	}
}
