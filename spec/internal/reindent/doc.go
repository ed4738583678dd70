// Package reindent restores the indentation of an OpenAPI 3.0 YAML document
// whose leading whitespace was stripped (every line flush left, no blank
// lines), such as seed 002, the YCloud API v2 spec as it reached us.
//
// The nesting is inferred from the structure of OpenAPI 3.0: each object
// type has known keys (an Operation has `parameters`, a Schema has
// `properties`, …) and each key a known kind of value (a scalar, an object of
// some type, a map of objects, a list). A parser walks the flat lines with
// that grammar: an object keeps taking entries while the next line is a key
// it accepts (not yet used, type-compatible, and whose value parses); a key it
// cannot take closes it and goes to the enclosing objects. Block scalars
// (`|-`, `>`) take every following line until one that an enclosing object
// or list would accept. Free-form values (`example`, `default`, `enum`
// items, `x-` extensions) end as soon as an enclosing object accepts a line.
//
// Only indentation changes: every line's text is kept byte for byte, in
// order. Reindent fails, naming the line, when the grammar cannot place a
// line.
package reindent
