// Package finite keeps NaN and infinities out of wabcheck's float inputs:
// a flag value type (Float, for every float flag of every command) and
// Check (for float fields of profiles and configuration). strconv.ParseFloat
// accepts "NaN", "Inf" and "infinity", and every range check written as
// `v < lo || v > hi` lets NaN through, so the check is made once, here.
package finite
