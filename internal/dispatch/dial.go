package dispatch

import (
	"net"
	"time"
)

// dialer is the built client's dialer: the attempt timeout, keep-alive and
// the optional DialControl hook (the simulator's refusal of link-local and
// cloud metadata addresses, checked after name resolution).
func (c Config) dialer() *net.Dialer {
	return &net.Dialer{Timeout: c.Timeout, KeepAlive: 30 * time.Second, Control: c.DialControl}
}
