package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIssue13Item6NoPasswordInFlagErrors: a malformed URL-ish flag value
// or argument carrying user:password@ used to be echoed whole in the error
// ("wabcheck: --target \"htps://acme:TargetPw123@…\""). Every command is
// run with such values; the password must appear nowhere: not on stdout,
// not on stderr, not in any file the run left behind. Each run must also
// have used the value (an error, or the masked value in its output), so
// no case passes by failing on something else first.
func TestIssue13Item6NoPasswordInFlagErrors(t *testing.T) {
	const secret = "Pw123"
	shapes := []string{
		"htps://acme:TargetPw123@127.0.0.1:1/rest/wab/v1",
		"acme:TargetPw123@127.0.0.1:1/rest/wab/v1",
		"//acme:TargetPw123@127.0.0.1:1",
		"http://acme:TargetPw123@127.0.0.1:99999/x",
		"acme%3ATargetPw123@127.0.0.1",
		"http://acme:Target Pw123@127.0.0.1/x",
	}
	target := "http://127.0.0.1:1/rest/wab/v1"
	conform := []string{"conform", "--target", target, "--user", "u", "--password", "p", "--tags", "@health"}
	load := []string{"load", "--profile", "send", "--duration", "1s", "--target", target}
	sim := []string{"sim", "--listen", "127.0.0.1:0"}
	for _, v := range shapes {
		for _, args := range [][]string{
			{"conform", "--target", v, "--user", "u", "--password", "p"},
			append(conform, "--callback-url", v),
			append(conform, "--callback-listen", v),
			{"conform", "--spec", v},
			{"load", "--profile", "send", "--duration", "1s", "--target", v},
			append(load, "--callback-url", v),
			append(load, "--callback-listen", v),
			{"load", "--profile", v},
			append(sim, "--status-callback-url", v),
			append(sim, "--reply-callback-url", v),
			{"sim", "--listen", v},
			{"sim", "receive", "--listen", v},
			{"spec", "lint", "--spec", v},
			{"spec", "diff", v, "embedded"},
			{"spec", "coverage", "--report", v},
		} {
			dir := t.TempDir()
			t.Chdir(dir) // default report folders land here
			args = append(args, reportDirFlag(args, dir)...)
			code, out, errOut := runRedactCase(args)
			if code == exitOK && !strings.Contains(out+errOut, "REDACTED") {
				t.Errorf("%q: exit 0 without showing the value, so it was not checked:\n%s%s", args, out, errOut)
			}
			for what, text := range map[string]string{"stdout": out, "stderr": errOut} {
				if strings.Contains(text, secret) {
					t.Errorf("%q: %s holds the password: %q", args, what, text)
				}
			}
			checkNoFileHolds(t, dir, secret, args)
		}
	}
}

// runRedactCase runs wabcheck like runCLI; a simulator (which serves until
// interrupted) gets a context that has already ended, so it stops as soon
// as it has checked its flags and started.
func runRedactCase(args []string) (int, string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	if args[0] == "sim" && args[1] != "receive" {
		cancel()
	}
	defer cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// reportDirFlag adds --report-dir inside dir to the commands that take it.
func reportDirFlag(args []string, dir string) []string {
	switch {
	case args[0] == "conform", args[0] == "load" && args[1] == "--profile", args[0] == "spec" && args[1] != "coverage":
		return []string{"--report-dir", filepath.Join(dir, "out")}
	}
	return nil
}

// checkNoFileHolds fails when a file under dir contains secret.
func checkNoFileHolds(t *testing.T, dir, secret string, args []string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), secret) {
			t.Errorf("%q: %s holds the password", args, p)
		}
		return nil
	})
}
