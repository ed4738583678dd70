package onpremsim

import (
	"net/http"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// limits are the client's send limits: messages per second per business
// number, and per (business number, recipient) pair.
type limits struct {
	throughput *sim.Limiter
	pair       *sim.Limiter
}

func newLimits(o liveOptions) *limits {
	return &limits{throughput: sim.NewLimiter(o.throughput, o.throughputBurst),
		pair: sim.NewLimiterEvery(o.pairInterval, o.pairBurst)}
}

// limitsOff switches the client's send limits off when the simulator's
// rate limiting is (Config.RateLimit 0, as wabcheck probe starts it),
// unless an option sets them.
func limitsOff(o *options, cfg sim.Config) {
	if cfg.RateLimit != 0 {
		return
	}
	if _, set := cfg.Options[OptThroughput]; !set {
		o.throughput = 0
	}
	if _, set := cfg.Options[OptPairInterval]; !set {
		o.pairInterval = 0
	}
}

// admitSend takes a token of the business number's throughput and of the
// pair's; when one is out it answers 400 with error 130429 or 131056, as
// Meta documents both (Cloud API "Error Codes": 400 Bad Request), and
// returns false.
func (a *api) admitSend(w http.ResponseWriter, to string) bool {
	now, l := a.s.Now(), a.limits.Load()
	if ok, wait := l.throughput.Allow(a.business, now); !ok {
		if a.s.Hit(a.f.throughputNoBody) {
			a.writeJSON(w, http.StatusBadRequest, []byte(`{"meta":`+metaJSON+`}`))
			return false
		}
		a.writeError(w, http.StatusBadRequest, onprem.CodeThroughput, "Message failed to send because there were too many messages sent from this phone number in a short period of time (throughput "+
			itoa(a.live.Load().throughput)+" per second; next in "+wait.Round(time.Millisecond).String()+").")
		return false
	}
	if ok, wait := l.pair.Allow(a.business+">"+to, now); !ok {
		a.writeError(w, http.StatusBadRequest, onprem.CodePairRate, "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time (next in "+
			wait.Round(time.Millisecond).String()+").")
		return false
	}
	return true
}
