package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wabcheck/wabcheck/spec/internal/onpremseed"
)

// onpremReadSeed reads seed 003 from $WABCHECK_SEEDS (the seeds directory,
// or seed 003's own file; another seed's file is ignored), else from
// ../shared/seeds relative to the repository root. It returns nil and the
// paths it tried when none is readable.
func onpremReadSeed() ([]byte, []string) {
	var tried []string
	if env := os.Getenv("WABCHECK_SEEDS"); env != "" {
		if filepath.Base(env) == onpremSeedName {
			tried = append(tried, env)
		}
		tried = append(tried, filepath.Join(env, onpremSeedName))
	}
	tried = append(tried, filepath.Join("..", "..", "shared", "seeds", onpremSeedName))
	for _, p := range tried {
		if b, err := os.ReadFile(p); err == nil {
			return b, nil
		}
	}
	return nil, tried
}

// onpremSeedName is the file name of seed 003.
const onpremSeedName = "003_7ce61b42ce2c6a00.txt"

// TestOnpremSpecIsGenerated regenerates whatsapp-business-api-onprem.yaml
// from seed 003 with the committed program and requires the committed file
// to be exactly its output, so the file is reproducible and never edited by
// hand. It skips when the seed is absent.
func TestOnpremSpecIsGenerated(t *testing.T) {
	seed, tried := onpremReadSeed()
	if seed == nil {
		t.Skipf("seed %s not found (tried %v); set WABCHECK_SEEDS to the seeds directory", onpremSeedName, tried)
	}
	s, err := onpremseed.Parse(seed)
	if err != nil {
		t.Fatal(err)
	}
	want, err := onpremseed.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(onpremSpecFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the output of onpremseed for seed 003; regenerate it:\n"+
			"  go run ./spec/internal/onpremseed/cmd/onpremseed -seed ../shared/seeds/%s -out spec/%s",
			onpremSpecFile, onpremSeedName, onpremSpecFile)
	}
}
