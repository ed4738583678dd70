// Package speclint finds defects in an OpenAPI 3.x document itself: examples
// that fail their own schemas, regex patterns that do not compile or that
// mean different things in Go (RE2) and in ECMA-262 (JavaScript, ajv),
// unknown or ill-typed formats, equivalent fields with conflicting limits,
// enums that disagree, error responses that accept any body, missing 4XX
// responses, tags, operationIds, callback runtime expressions, dangling
// $refs and more (docs/lint-rules.md lists every rule).
//
// Lint works on the YAML node tree of the published bytes, so every Finding
// carries a file:line:col in the file as published, a JSON pointer, a stable
// kebab-case code, a severity and a one-line message. It does not need the
// spec to build as a kin-openapi model: a spec with a dangling $ref is
// linted, not rejected. When an errata overlay is given, each finding that
// an erratum fixes says so.
package speclint
