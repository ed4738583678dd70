package onpremsim

import (
	"encoding/base64"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// Message ids look like Meta's: 20 bytes in base64 without padding, 27
// characters, starting "gBGG" for messages the business sent and "ABGG"
// for messages it received (Meta's examples gBGGEgZHMlEfAgkM1RBkhDRr7t8
// and ABGGFlA5FpafAgo6tHcNmNjXmuSf decode to 0x80 or 0x00, 0x11, 0x86,
// …). The simulator's 16-byte id follows a 4-byte prefix; the URL-safe
// alphabet keeps ids usable in PUT /messages/{id} (Meta's alphabet is not
// documented). The id's last bit says the direction, so FormatID, which
// only sees the id, picks the prefix.
const (
	dirOut byte = 0x80
	dirIn  byte = 0x00
)

var idEncoding = base64.RawURLEncoding

// outboundID is a new id of a message the business sends.
func outboundID() sim.ID {
	id := sim.NewID()
	id[15] &^= 1
	return id
}

// inboundID is a new id of a message the business receives.
func inboundID() sim.ID {
	id := sim.NewID()
	id[15] |= 1
	return id
}

func isInbound(id sim.ID) bool { return id[15]&1 == 1 }

// FormatID implements sim.Wire.
func (*api) FormatID(id sim.ID) string {
	var raw [20]byte
	raw[0], raw[1], raw[2], raw[3] = dirOut, 0x11, 0x86, 0x02
	if isInbound(id) {
		raw[0] = dirIn
	}
	copy(raw[4:], id[:])
	return idEncoding.EncodeToString(raw[:])
}

// ParseID implements sim.Wire.
func (*api) ParseID(s string) (sim.ID, bool) {
	var id sim.ID
	if len(s) != 27 {
		return id, false
	}
	var raw [20]byte
	n, err := idEncoding.Decode(raw[:], []byte(s))
	if err != nil || n != 20 || raw[1] != 0x11 || raw[2] != 0x86 || raw[3] != 0x02 {
		return id, false
	}
	copy(id[:], raw[4:])
	if (raw[0] == dirIn) != isInbound(id) || (raw[0] != dirIn && raw[0] != dirOut) {
		return id, false
	}
	return id, true
}
