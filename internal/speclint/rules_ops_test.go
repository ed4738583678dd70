package speclint

func opDoc(op string) string {
	return wrap("  /things/{id}:\n    post:\n"+indent(op, 6), "  schemas: {}")
}

const idParam = "parameters:\n  - {name: id, in: path, required: true, schema: {type: string}}\n"

func operationCases() []ruleCase {
	base := "operationId: postThing\nsummary: Post\n" + idParam
	ok := "responses:\n  '200': {description: OK}\n  '4XX': {description: Bad}\n"
	cb := func(expr string) string {
		return opDoc(base + ok + "callbacks:\n  onDone:\n    '" + expr + "':\n      post:\n        operationId: cbDone\n        summary: Done\n        responses:\n          '200': {description: OK}\n          '400': {description: Bad}\n")
	}
	withTags := func(top, used string) string {
		return "tags: [" + top + "]\n" + opDoc(base+ok+"tags: ["+used+"]\n")
	}
	return []ruleCase{
		{"no-4xx", "missing-4xx-response", opDoc(base + "responses:\n  '200': {description: OK}\n  '401': {description: No}\n"), true, "/paths/~1things~1{id}/post/responses"},
		{"has-4XX", "missing-4xx-response", opDoc(base + ok), false, ""},
		{"optional", "request-body-not-required", opDoc(base + ok + "requestBody:\n  content:\n    text/plain: {schema: {type: string}}\n"), true, ""},
		{"required", "request-body-not-required", opDoc(base + ok + "requestBody:\n  required: true\n  content:\n    text/plain: {schema: {type: string}}\n"), false, ""},
		{"missing", "operation-id-missing", opDoc("summary: Post\n" + idParam + ok), true, ""},
		{"present", "operation-id-missing", opDoc(base + ok), false, ""},
		{"twice", "operation-id-duplicate", wrap("  /a:\n    get:\n      operationId: x\n      summary: A\n"+indent(ok, 6)+"\n  /b:\n    get:\n      operationId: x\n      summary: B\n"+indent(ok, 6), "  schemas: {}"), true, "/paths/~1b/get/operationId"},
		{"unique", "operation-id-duplicate", opDoc(base + ok), false, ""},
		{"path-summary-only", "operation-summary-missing", wrap("  /a:\n    summary: A path\n    get:\n      operationId: getA\n"+indent(ok, 6), "  schemas: {}"), true, ""},
		{"has-summary", "operation-summary-missing", opDoc(base + ok), false, ""},
		{"undeclared", "tag-undeclared", withTags("{name: a}", "b"), true, ""},
		{"declared", "tag-undeclared", withTags("{name: a}", "a"), false, ""},
		{"unused", "tag-unused", withTags("{name: a}, {name: z}", "a"), true, "/tags/1"},
		{"all-used", "tag-unused", withTags("{name: a}", "a"), false, ""},
		{"dollar-name", "callback-expression-invalid", cb("{$statusCallbackUrl}"), true, ""},
		{"bad-source", "callback-expression-invalid", cb("{$request.cookie.x}"), true, ""},
		{"bad-pointer", "callback-expression-invalid", cb("{$request.body#url}"), true, ""},
		{"body-pointer", "callback-expression-invalid", cb("{$request.body#/callbackUrl}"), false, ""},
		{"template", "callback-expression-invalid", cb("https://hooks.example.com/{$request.header.X-Tenant}/done?m={$method}"), false, ""},
		{"no-description", "security-scheme-no-description", wrap(okOp, "  securitySchemes:\n    basic: {type: http, scheme: basic}"), true, "/components/securitySchemes/basic"},
		{"described", "security-scheme-no-description", wrap(okOp, "  securitySchemes:\n    basic: {type: http, scheme: basic, description: Use your API key}"), false, ""},
		{"undefined", "security-scheme-undefined", "security: [{nope: []}]\n" + wrap(okOp, "  schemas: {}"), true, "/security/0/nope"},
		{"defined", "security-scheme-undefined", "security: [{basic: []}]\n" + wrap(okOp, "  securitySchemes:\n    basic: {type: http, scheme: basic, description: d}"), false, ""},
		{"none", "servers-missing", "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n" + okOp, true, ""},
		{"declared", "servers-missing", wrap(okOp, "  schemas: {}"), false, ""},
		{"undeclared", "path-param-undeclared", opDoc("operationId: p\nsummary: P\n" + ok), true, ""},
		{"declared", "path-param-undeclared", opDoc(base + ok), false, ""},
		{"extra", "path-param-unused", opDoc(base + "  - {name: other, in: path, required: true, schema: {type: string}}\n" + ok), true, ""},
		{"matching", "path-param-unused", opDoc(base + ok), false, ""},
		{"snake-among-camel", "operation-id-style", wrap("  /a:\n    get: {operationId: getA, summary: A, responses: {'400': {description: x}}}\n  /b:\n    get: {operationId: getB, summary: B, responses: {'400': {description: x}}}\n  /c:\n    get: {operationId: listAllCs, summary: C, responses: {'400': {description: x}}}\n  /d:\n    get: {operationId: get_d, summary: D, responses: {'400': {description: x}}}\n", "  schemas: {}"), true, "/paths/~1d/get/operationId"},
		{"consistent", "operation-id-style", opDoc(base + ok), false, ""},
		{"twice", "tag-duplicate", withTags("{name: a}, {name: a}", "a"), true, ""},
		{"once", "tag-duplicate", withTags("{name: a}", "a"), false, ""},
	}
}
