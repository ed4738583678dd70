package sim

import (
	"errors"
	"fmt"
	"net"

	"github.com/wabcheck/wabcheck/internal/netguard"
)

// ErrExposedDefaultCredentials is wrapped by CheckExposure's error: the
// simulator would serve beyond loopback with the password everyone can
// read in docs/simulator.md.
var ErrExposedDefaultCredentials = errors.New("the published default password would guard the simulator (and its admin API) beyond loopback")

// DefaultCredentials reports whether cfg uses the published default
// password or API key, with which anyone who reaches the port can use the
// admin API (set callback URLs, switch faults on). The CLI leaves the
// credential a vendor does not use empty.
func (c Config) DefaultCredentials() bool {
	return c.Password == DefaultPassword || c.APIKey == DefaultAPIKey
}

// CheckExposure refuses to serve on addr when it is not loopback and the
// password is the published default, unless cfg.AllowRemote insists.
func CheckExposure(addr net.Addr, cfg Config) error {
	if cfg.AllowRemote || !cfg.DefaultCredentials() || netguard.IsLoopbackAddr(addr) {
		return nil
	}
	return fmt.Errorf("sim: serve on %s: %w", addr, ErrExposedDefaultCredentials)
}
