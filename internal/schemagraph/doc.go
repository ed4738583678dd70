// Package schemagraph finds the schema cycles that break a spec: a schema
// that no finite value satisfies because it needs itself (Loop: {allOf:
// [Loop]}, or an object that requires a property of its own type), and a
// schema that refers to itself on the same value (through allOf, anyOf,
// oneOf, not, if/then/else, $ref), where checking a value never ends.
// Cycles through a part of the value (properties, items,
// additionalProperties, ...) are fine: a recursive tree is a normal
// schema.
//
// It works on an abstract Graph, so the spec loader can build one from the
// YAML of a document (before kin-openapi sees it) and the validator from
// kin-openapi's model. Every analysis is iterative and linear or close to
// it in the size of the graph: a hostile spec can make the graph large,
// never the stack deep.
//
// It also answers a question about kin-openapi itself: Schema.IsEmpty
// recurses without a visited set, so it never returns on a cycle of schemas
// that have none of the keywords it checks first (type, format, enum,
// required, min/max, ...). BareCycleReach says which schemas are exposed.
package schemagraph
