// Package profiles holds wabcheck's load profiles: the Profile type
// (stages of constant or ramping rate, a weighted operation mix, payload,
// worker and timeout knobs, rate-limit checks, the in-process simulator's
// settings, thresholds), its YAML form parsed with one-line errors that name
// key and line, the --duration/--rate scaling, and the built-in profiles
// embedded from this folder: *.yaml serve every vendor, <vendor>/*.yaml are
// a vendor's own (one of the same name replaces the common one).
//
// A profile says what to run; package load runs it.
package profiles
