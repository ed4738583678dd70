package compare

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/wabcheck/wabcheck/internal/report"
	"github.com/wabcheck/wabcheck/internal/validate"
)

// FindingCount is one kind of finding (code and where) and how often a
// run found it.
type FindingCount struct {
	Code  string `json:"code"`
	Where string `json:"where"`
	Count int    `json:"count"`
}

// String is "code (where) ×count".
func (f FindingCount) String() string {
	s := f.Code
	if f.Where != "" {
		s += " (" + f.Where + ")"
	}
	return s + " ×" + strconv.Itoa(f.Count)
}

// IsRateLimitFinding reports whether a finding concerns rate limiting: it
// was found on a 429 response (Too Many Requests), or in a rate-limit
// header — Retry-After, or any header whose name begins with
// X-RateLimit-, X-Rate-Limit- or RateLimit- (the common conventions and
// the IETF draft's names). status is the response's status, 0 for a
// callback.
func IsRateLimitFinding(f validate.Finding, status int) bool {
	if status == http.StatusTooManyRequests || f.Status == http.StatusTooManyRequests {
		return true
	}
	name, ok := strings.CutPrefix(f.Where, "header ")
	if !ok {
		return false
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "retry-after" {
		return true
	}
	for _, p := range []string{"x-ratelimit-", "x-rate-limit-", "ratelimit-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// rateLimitFindings tallies the run's rate-limit findings by code and
// where, most frequent first, and counts all its findings.
func rateLimitFindings(run *report.Run) ([]FindingCount, int) {
	tally := map[FindingCount]int{}
	total := 0
	add := func(fs []validate.Finding, status int) {
		for _, f := range fs {
			total++
			if IsRateLimitFinding(f, status) {
				tally[FindingCount{Code: f.Code, Where: f.Where}]++
			}
		}
	}
	for _, f := range run.Features {
		for _, s := range f.Scenarios {
			for _, x := range s.Exchanges {
				add(x.Findings, x.Status)
			}
			for _, m := range s.Messages {
				for _, c := range m.Callbacks {
					add(c.Findings, 0)
				}
			}
			for _, c := range s.Replies {
				add(c.Findings, 0)
			}
		}
	}
	for _, c := range run.UnknownCallbacks {
		add(c.Findings, 0)
	}
	return sortedFindings(tally), total
}

func sortedFindings(tally map[FindingCount]int) []FindingCount {
	out := make([]FindingCount, 0, len(tally))
	for k, n := range tally {
		k.Count = n
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Code+a.Where < b.Code+b.Where
	})
	return out
}
