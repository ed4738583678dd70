package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wabcheck/wabcheck/spec/internal/onpremseed"
)

// onpremSeedName is the file name of seed 003.
const onpremSeedName = "003_7ce61b42ce2c6a00.txt"

// TestOnpremSpecIsGenerated regenerates whatsapp-business-api-onprem.yaml
// from seed 003 with the committed program and requires the committed file
// to be exactly its output, so the file is reproducible and never edited by
// hand. It skips when the seed is absent ($WABCHECK_SEEDS, else
// ../shared/seeds from the repository root).
func TestOnpremSpecIsGenerated(t *testing.T) {
	dir := os.Getenv("WABCHECK_SEEDS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "seeds")
	}
	seed, err := os.ReadFile(filepath.Join(dir, onpremSeedName))
	if err != nil {
		t.Skipf("seed %s not available (set WABCHECK_SEEDS to the seeds directory): %v", onpremSeedName, err)
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
