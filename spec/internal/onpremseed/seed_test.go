package onpremseed

import (
	"os"
	"path/filepath"
	"testing"
)

// seedName is the file name of seed 003.
const seedName = "003_7ce61b42ce2c6a00.txt"

// readSeed reads seed 003 from $WABCHECK_SEEDS (the seeds directory, or
// seed 003's own file; another seed's file is ignored)
// or ../shared/seeds relative to the repository root, skipping when absent.
func readSeed(t *testing.T) []byte {
	t.Helper()
	var tried []string
	if env := os.Getenv("WABCHECK_SEEDS"); env != "" {
		if filepath.Base(env) == seedName {
			tried = append(tried, env)
		}
		tried = append(tried, filepath.Join(env, seedName))
	}
	tried = append(tried, filepath.Join("..", "..", "..", "..", "shared", "seeds", seedName))
	for _, p := range tried {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Skipf("seed %s not found (tried %v); set WABCHECK_SEEDS", seedName, tried)
	return nil
}

// TestSeed003 parses the real page: the counts are the page's, counted with
// grep (36 distinct paths in 55 "METHOD /path" lines, 22 parameter rows, 27
// request bodies, 144 schema name lines), and every JSON block survives
// rendering unchanged.
func TestSeed003(t *testing.T) {
	s, err := Parse(readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	ops, params, bodies := 0, 0, 0
	for _, p := range s.Paths {
		for _, o := range p.Ops {
			ops++
			params += len(o.Params)
			if o.Body != nil {
				bodies++
			}
		}
	}
	if len(s.Servers) != 2 || len(s.Paths) != 36 || ops != 55 || params != 22 || bodies != 27 || len(s.Schemas) != 144 {
		t.Errorf("servers %d, paths %d, operations %d, parameters %d, bodies %d, schemas %d; want 2, 36, 55, 22, 27, 144",
			len(s.Servers), len(s.Paths), ops, params, bodies, len(s.Schemas))
	}
	checkRoundTrip(t, s)
}
