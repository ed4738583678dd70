package sim

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"sync"
)

// ID is a message id: 16 random bytes (a version 4 UUID), so the store's
// keys need no allocation. Wires format it as the vendor does.
type ID [16]byte

// rngPool hands out ChaCha8 generators seeded from crypto/rand, one per
// concurrent caller, so id generation needs neither a lock nor a syscall.
var rngPool = sync.Pool{New: func() any {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		panic("sim: crypto/rand: " + err.Error())
	}
	return rand.NewChaCha8(seed)
}}

// NewID returns a random id (a version 4 UUID).
func NewID() ID {
	g := rngPool.Get().(*rand.ChaCha8)
	var u ID
	binary.LittleEndian.PutUint64(u[:8], g.Uint64())
	binary.LittleEndian.PutUint64(u[8:], g.Uint64())
	rngPool.Put(g)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

const hexDigits = "0123456789abcdef"

// AppendUUID appends the canonical lower-case UUID form (36 bytes).
func (u ID) AppendUUID(b []byte) []byte {
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return b
}

// String returns the canonical lower-case UUID form.
func (u ID) String() string {
	var buf [36]byte
	return string(u.AppendUUID(buf[:0]))
}

// AppendHex appends the 32 lower-case hex digits of u.
func (u ID) AppendHex(b []byte) []byte {
	for _, c := range u {
		b = append(b, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return b
}

// ParseUUID parses the canonical UUID form, upper or lower case.
func ParseUUID(s string) (ID, bool) {
	var u ID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	j := 0
	for i := 0; i < 36; {
		if s[i] == '-' {
			i++
			continue
		}
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// NewMediaID returns a random alphanumeric id (24 characters, about 143
// bits), as media ids are.
func NewMediaID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	g := rngPool.Get().(*rand.ChaCha8)
	defer rngPool.Put(g)
	b := make([]byte, 24)
	for i := range b {
		b[i] = alphabet[g.Uint64()%uint64(len(alphabet))]
	}
	return string(b)
}

// ParseHex parses 32 hex digits (AppendHex's form).
func ParseHex(s string) (ID, bool) {
	var u ID
	if len(s) != 32 {
		return u, false
	}
	for j := range u {
		hi, ok1 := unhex(s[2*j])
		lo, ok2 := unhex(s[2*j+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[j] = hi<<4 | lo
	}
	return u, true
}
