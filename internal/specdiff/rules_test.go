package specdiff

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

const (
	pMedia    = "/paths/~1media"
	pMessages = "/paths/~1messages"
	pSchemas  = "/components/schemas"
	pBodies   = "/components/requestBodies"
	pResps    = "/components/responses"
	pHeaders  = "/components/headers"
	// the media_id query parameter of GET /media, and its schema
	pMediaID  = pMedia + "/get/parameters/0"
	pPatchSch = pBodies + "/RequestMessagesPatch/content/application~1json/schema"
	pPostResp = pResps + "/ResponseMessagesPost/content/application~1json/schema"
)

// want is one expected change: its code, whether it is breaking, and a
// substring of its path.
type want struct {
	code     string
	breaking bool
	path     string
}

type ruleCase struct {
	name  string
	base  []edit // applied to both OLD and NEW
	edits []edit // applied to NEW only
	want  []want // exactly these changes, in any order
}

// ruleCases covers every rule in docs/diff-rules.md on variants of the
// embedded Modica spec.
var ruleCases = []ruleCase{
	// paths and operations
	{name: "path removed", edits: []edit{del("/paths/~1source")},
		want: []want{{"path-removed", true, "paths./source"}}},
	{name: "path added", edits: []edit{set("/paths/~1ping", `{get: {operationId: Ping, responses: {'200': {description: OK}}}}`)},
		want: []want{{"path-added", false, "paths./ping"}}},
	{name: "operation removed", edits: []edit{del(pMessages + "/patch")},
		want: []want{{"operation-removed", true, "paths./messages.patch"}}},
	{name: "operation added", edits: []edit{set(pMedia+"/delete", `{operationId: DeleteMedia, responses: {'204': {description: gone}}}`)},
		want: []want{{"operation-added", false, "paths./media.delete"}}},
	{name: "operationId changed", edits: []edit{set(pMessages+"/get/operationId", "GetMessage")},
		want: []want{{"operation-id-changed", false, "paths./messages.get.operationId"}}},
	{name: "operation deprecated", edits: []edit{set(pMessages+"/get/deprecated", "true")},
		want: []want{{"deprecation-added", false, "paths./messages.get.deprecated"}}},
	{name: "operation description", edits: []edit{set(pMessages+"/get/description", "Fetch one message")},
		want: []want{{"description-changed", false, "paths./messages.get.description"}}},
	// parameters
	{name: "required parameter added", edits: []edit{add(pMedia+"/get/parameters", `{name: size, in: query, required: true, schema: {type: string}}`)},
		want: []want{{"request-required-parameter-added", true, "paths./media.get.parameters.size"}}},
	{name: "optional parameter added", edits: []edit{add(pMedia+"/get/parameters", `{name: size, in: query, schema: {type: string}}`)},
		want: []want{{"request-parameter-added", false, "paths./media.get.parameters.size"}}},
	{name: "parameter removed", edits: []edit{del(pMessages + "/get/parameters/0")},
		want: []want{{"request-parameter-removed", true, "paths./messages.get.parameters"}}},
	{name: "one of several parameters removed", base: []edit{add(pMessages+"/get/parameters", `{name: page, in: query, schema: {type: integer}}`)},
		edits: []edit{del(pMessages + "/get/parameters/1")},
		want:  []want{{"request-parameter-removed", true, "paths./messages.get.parameters.page"}}},
	{name: "parameter became optional", edits: []edit{set(pMediaID+"/required", "false")},
		want: []want{{"request-parameter-became-optional", false, "parameters.media_id.required"}}},
	{name: "parameter became required",
		base:  []edit{set(pMediaID+"/required", "false")},
		edits: []edit{set(pMediaID+"/required", "true")},
		want:  []want{{"request-parameter-became-required", true, "parameters.media_id.required"}}},
	{name: "parameter moved", edits: []edit{set(pMediaID+"/in", "header")},
		want: []want{{"request-parameter-location-changed", true, "parameters.media_id.in"}}},
	{name: "parameter style", edits: []edit{set(pMediaID+"/style", "spaceDelimited")},
		want: []want{{"request-parameter-serialization-changed", true, "parameters.media_id.style"}}},
	{name: "parameter maxLength decreased", edits: []edit{set(pMediaID+"/schema/maxLength", "64")},
		want: []want{{"request-max-length-decreased", true, "parameters.media_id.schema.maxLength"}}},
	{name: "parameter maxLength increased", edits: []edit{set(pMediaID+"/schema/maxLength", "512")},
		want: []want{{"request-max-length-increased", false, "parameters.media_id.schema.maxLength"}}},
	{name: "parameter pattern changed", edits: []edit{set(pMediaID+"/schema/pattern", "'^[a-z0-9]+$'")},
		want: []want{{"request-pattern-changed", true, "media_id.schema.pattern"}}},
	{name: "parameter pattern removed", edits: []edit{del(pMediaID + "/schema/pattern")},
		want: []want{{"request-pattern-removed", false, "media_id.schema.pattern"}}},
	{name: "parameter minLength added", edits: []edit{set(pMediaID+"/schema/minLength", "8")},
		want: []want{{"request-min-length-added", true, "media_id.schema.minLength"}}},
	{name: "parameter format added", edits: []edit{set(pMediaID+"/schema/format", "uuid")},
		want: []want{{"request-format-added", true, "media_id.schema.format"}}},
	{name: "parameter enum added", edits: []edit{set(pMediaID+"/schema/enum", "[abc]")},
		want: []want{{"request-enum-added", true, "media_id.schema.enum"}}},
	{name: "parameter type narrowed", edits: []edit{set(pMediaID+"/schema/type", "integer")},
		want: []want{{"request-type-changed", true, "media_id.schema.type"}}},
	// request bodies
	{name: "request body removed", edits: []edit{del(pMessages + "/patch/requestBody")},
		want: []want{{"request-body-removed", true, "paths./messages.patch.requestBody"}}},
	{name: "required request body added", edits: []edit{set(pMessages+"/get/requestBody", `{required: true, content: {application/json: {schema: {type: object}}}}`)},
		want: []want{{"request-required-body-added", true, "paths./messages.get.requestBody"}}},
	{name: "optional request body added", edits: []edit{set(pMessages+"/get/requestBody", `{content: {application/json: {schema: {type: object}}}}`)},
		want: []want{{"request-body-added", false, "paths./messages.get.requestBody"}}},
	{name: "request body became required", edits: []edit{set(pBodies+"/RequestMessagesPatch/required", "true")},
		want: []want{{"request-body-became-required", true, "patch.requestBody.required"}}},
	{name: "request body became optional",
		base:  []edit{set(pBodies+"/RequestMessagesPatch/required", "true")},
		edits: []edit{set(pBodies+"/RequestMessagesPatch/required", "false")},
		want:  []want{{"request-body-became-optional", false, "patch.requestBody.required"}}},
	{name: "request media type removed", edits: []edit{del(pBodies + "/RequestMessagesPatch/content/application~1json"),
		set(pBodies+"/RequestMessagesPatch/content/text~1plain", `{schema: {type: string}}`)},
		want: []want{{"request-media-type-removed", true, "content.application/json"}, {"request-media-type-added", false, "content.text/plain"}}},
	// request schema properties
	{name: "new required request property",
		edits: []edit{set(pPatchSch+"/properties/note", "{type: string}"), add(pPatchSch+"/required", "note")},
		want:  []want{{"request-property-required-added", true, "patch.requestBody"}, {"request-property-added", false, "properties.note"}}},
	{name: "new optional request property", edits: []edit{set(pPatchSch+"/properties/note", "{type: string}")},
		want: []want{{"request-property-added", false, "paths./messages.patch.requestBody.content.application/json.schema.properties.note"}}},
	{name: "request property removed", edits: []edit{del(pSchemas + "/MessageCommon/properties/scheduled")},
		want: []want{{"request-property-removed", true, "MessageCommon.properties.scheduled"}}},
	{name: "request property no longer required", edits: []edit{del(pSchemas + "/MessageCommon/required/0")},
		want: []want{{"request-property-required-removed", false, "MessageCommon.required"}}},
	{name: "request enum value removed", edits: []edit{del(pSchemas + "/MessageCommon/properties/type/enum/2")},
		want: []want{{"request-enum-value-removed", true, "MessageCommon.properties.type.enum"}}},
	{name: "request enum value added", edits: []edit{add(pSchemas+"/MessageCommon/properties/type/enum", "location")},
		want: []want{{"request-enum-value-added", false, "MessageCommon.properties.type.enum"}}},
	{name: "request enum dropped", edits: []edit{del(pSchemas + "/MessageCommon/properties/type/enum")},
		want: []want{{"request-enum-removed", false, "type.enum"}, {"request-enum-removed", false, "type.enum"}, {"request-enum-removed", false, "type.enum"}}},
	{name: "request maxLength decreased", edits: []edit{set(pSchemas+"/MessageDestination/properties/to/maxLength", "12")},
		want: []want{{"request-max-length-decreased", true, "MessageDestination.properties.to.maxLength"}}},
	{name: "request maxLength removed", edits: []edit{del(pSchemas + "/MessageDestination/properties/to/maxLength")},
		want: []want{{"request-max-length-removed", false, "MessageDestination.properties.to.maxLength"}}},
	{name: "request maxItems decreased", edits: []edit{set(pSchemas+"/BroadcastMessageDestination/properties/destination/maxItems", "100")},
		want: []want{{"request-max-items-decreased", true, "destination.maxItems"}}},
	{name: "request minItems added", edits: []edit{set(pSchemas+"/BroadcastMessageDestination/properties/destination/minItems", "2")},
		want: []want{{"request-min-items-added", true, "destination.minItems"}}},
	{name: "request uniqueItems", edits: []edit{set(pSchemas+"/BroadcastMessageDestination/properties/destination/uniqueItems", "true")},
		want: []want{{"request-unique-items-added", true, "destination.uniqueItems"}}},
	{name: "request nullable", edits: []edit{set(pSchemas+"/MessageCommon/properties/reference/nullable", "true")},
		want: []want{{"request-nullable-added", false, "reference.nullable"}}},
	{name: "request readOnly", edits: []edit{set(pSchemas+"/MessageCommon/properties/reference/readOnly", "true")},
		want: []want{{"request-read-only-added", true, "reference.readOnly"}}},
	{name: "request default changed",
		base:  []edit{set(pSchemas+"/MessageCommon/properties/reference/default", "a")},
		edits: []edit{set(pSchemas+"/MessageCommon/properties/reference/default", "b")},
		want:  []want{{"request-default-changed", true, "reference.default"}}},
	{name: "request additionalProperties forbidden", edits: []edit{set(pSchemas+"/MessageCommon/additionalProperties", "false")},
		want: []want{{"request-additional-properties-added", true, "MessageCommon.additionalProperties"}}},
	{name: "request oneOf member removed", edits: []edit{del(pBodies + "/RequestMessagesPost/content/application~1json/schema/oneOf/2")},
		want: []want{{"request-one-of-removed", true, "schema.oneOf"}}},
	{name: "request oneOf member added", edits: []edit{add(pBodies+"/RequestMessagesPost/content/application~1json/schema/oneOf", `{$ref: '#/components/schemas/MessageCommon'}`)},
		want: []want{{"request-one-of-added", false, "schema.oneOf"}}},
	{name: "request allOf member added", edits: []edit{add(pSchemas+"/MessageText/allOf", `{type: object, properties: {x: {type: string}}}`)},
		want: []want{{"request-all-of-added", true, "MessageText.allOf"}}},
	{name: "request ref changed", edits: []edit{set(pBodies+"/RequestSourcePost/content/application~1json/schema", `{$ref: '#/components/schemas/MessageCommon'}`)},
		want: []want{{"request-schema-ref-changed", true, "paths./source.post.requestBody.content.application/json.schema"}}},
	{name: "request multipleOf added", edits: []edit{set(pMediaID+"/schema/multipleOf", "2")},
		want: []want{{"request-multiple-of-added", true, "media_id.schema.multipleOf"}}},
	// responses
	{name: "success status removed", edits: []edit{del(pMessages + "/patch/responses/200"),
		set(pMessages+"/patch/responses/204", "{description: done}")},
		want: []want{{"response-success-status-removed", true, "patch.responses.200"}, {"response-status-added", false, "patch.responses.204"}}},
	{name: "error status removed", edits: []edit{del(pMessages + "/get/responses/429")},
		want: []want{{"response-status-removed", false, "get.responses.429"}}},
	{name: "response media type removed", edits: []edit{del(pResps + "/ResponseMessageGet/content/application~1json"),
		set(pResps+"/ResponseMessageGet/content/text~1plain", "{schema: {type: string}}")},
		want: []want{{"response-media-type-removed", true, "get.responses.200.content.application/json"}, {"response-media-type-added", false, "text/plain"}}},
	{name: "response header removed", edits: []edit{del(pMessages + "/patch/responses/200/headers/X-RateLimit-Limit")},
		want: []want{{"response-header-removed", true, "patch.responses.200.headers.X-RateLimit-Limit"}}},
	{name: "response header added", edits: []edit{set(pMessages+"/patch/responses/200/headers/X-Request-Id", "{schema: {type: string}}")},
		want: []want{{"response-header-added", false, "patch.responses.200.headers.X-Request-Id"}}},
	{name: "response header became optional",
		base:  []edit{set(pMessages+"/patch/responses/200/headers/X-Request-Id", "{required: true, schema: {type: string}}")},
		edits: []edit{set(pMessages+"/patch/responses/200/headers/X-Request-Id", "{required: false, schema: {type: string}}")},
		want:  []want{{"response-header-became-optional", true, "X-Request-Id.required"}}},
	{name: "response property removed", edits: []edit{del(pPostResp + "/properties/status")},
		want: []want{{"response-property-removed", true, "paths./messages.post.responses.202.content.application/json.schema.properties.status"}}},
	{name: "response property added", edits: []edit{set(pPostResp+"/properties/queued_at", "{type: string}")},
		want: []want{{"response-property-added", false, "properties.queued_at"}}},
	{name: "response property no longer required",
		base:  []edit{set(pPostResp+"/required", "[message_id, status]")},
		edits: []edit{set(pPostResp+"/required", "[message_id]")},
		want:  []want{{"response-property-required-removed", true, "202.content.application/json.schema.required"}}},
	{name: "response property now required", edits: []edit{set(pPostResp+"/required", "[message_id]")},
		want: []want{{"response-property-required-added", false, "202.content.application/json.schema.required"}}},
	{name: "response enum value added", edits: []edit{add(pPostResp+"/properties/status/enum", "queued")},
		want: []want{{"response-enum-value-added", true, "properties.status.enum"}}},
	{name: "response enum value removed",
		base:  []edit{add(pPostResp+"/properties/status/enum", "queued")},
		edits: []edit{del(pPostResp + "/properties/status/enum/1")},
		want:  []want{{"response-enum-value-removed", false, "properties.status.enum"}}},
	{name: "response maxLength increased",
		base:  []edit{set(pPostResp+"/properties/status/maxLength", "10")},
		edits: []edit{set(pPostResp+"/properties/status/maxLength", "20")},
		want:  []want{{"response-max-length-increased", true, "properties.status.maxLength"}}},
	{name: "response maxLength decreased",
		base:  []edit{set(pPostResp+"/properties/status/maxLength", "10")},
		edits: []edit{set(pPostResp+"/properties/status/maxLength", "8")},
		want:  []want{{"response-max-length-decreased", false, "properties.status.maxLength"}}},
	{name: "response nullable", edits: []edit{set(pPostResp+"/properties/status/nullable", "true")},
		want: []want{{"response-nullable-added", true, "properties.status.nullable"}}},
	{name: "response type changed", edits: []edit{set(pPostResp+"/properties/status/type", "integer")},
		want: []want{{"response-type-changed", true, "properties.status.type"}}},
	{name: "response additionalProperties allowed",
		base:  []edit{set(pPostResp+"/additionalProperties", "false")},
		edits: []edit{del(pPostResp + "/additionalProperties")},
		want:  []want{{"response-additional-properties-removed", false, "schema.additionalProperties"}}},
	{name: "response writeOnly", edits: []edit{set(pPostResp+"/properties/status/writeOnly", "true")},
		want: []want{{"response-write-only-added", true, "properties.status.writeOnly"}}},
	// APIError is also used by the error responses clients return to
	// callbacks, so it is judged both ways.
	{name: "error schema maxItems decreased", edits: []edit{set(pSchemas+"/APIErrorResponse/properties/errors/maxItems", "10")},
		want: []want{{"response-max-items-decreased", false, "errors.maxItems"}, {"request-max-items-decreased", true, "errors.maxItems"}}},
	{name: "error schema property no longer required", edits: []edit{del(pSchemas + "/APIError/required/2")},
		want: []want{{"response-property-required-removed", true, "APIError.required"}, {"request-property-required-removed", false, "APIError.required"}}},
	// a shared header changed once is reported once, naming every operation
	{name: "shared header integer widened to number", edits: []edit{set(pHeaders+"/X-RateLimit-Limit/schema/type", "number")},
		want: []want{{"response-type-changed", true, "components.headers.X-RateLimit-Limit.schema.type"}, {"request-type-changed", false, "components.headers.X-RateLimit-Limit.schema.type"}}},
	{name: "shared header maximum decreased", edits: []edit{set(pHeaders+"/X-RateLimit-Limit/schema/maximum", "50")},
		want: []want{{"response-maximum-decreased", false, "X-RateLimit-Limit.schema.maximum"}, {"request-maximum-decreased", true, "X-RateLimit-Limit.schema.maximum"}}},
	// a schema used both ways is judged both ways
	{name: "shared schema tightened", edits: []edit{set(pSchemas+"/Uuid/maxLength", "32")},
		want: []want{{"request-max-length-decreased", true, "Uuid.maxLength"}, {"response-max-length-decreased", false, "Uuid.maxLength"}}},
	{name: "shared schema pattern changed", edits: []edit{set(pSchemas+"/Uuid/pattern", "'^[0-9a-f-]{36}$'")},
		want: []want{{"request-pattern-changed", true, "Uuid.pattern"}, {"response-pattern-changed", true, "Uuid.pattern"}}},
	// callbacks flip directions: the API sends the callback request
	{name: "callback property removed", edits: []edit{del(pSchemas + "/StatusCallback/properties/reference")},
		want: []want{{"response-property-removed", true, "StatusCallback.properties.reference"}}},
	{name: "callback enum value added", edits: []edit{add(pSchemas+"/StatusCallback/properties/status/enum", "deleted")},
		want: []want{{"response-enum-value-added", true, "StatusCallback.properties.status.enum"}}},
	{name: "callback removed", edits: []edit{del(pMessages + "/post/callbacks/messageCallback")},
		want: []want{{"callback-removed", true, "paths./messages.post.callbacks"}}},
	{name: "callback operation removed", edits: []edit{del(pMessages + "/post/callbacks/messageCallback/{$replyCallbackUrl}")},
		want: []want{{"callback-removed", true, "callbacks.messageCallback"}}},
	// unused schemas break nobody
	{name: "unused schema changed",
		base:  []edit{set(pSchemas+"/Spare", "{type: string, maxLength: 10}")},
		edits: []edit{set(pSchemas+"/Spare/maxLength", "5")},
		want:  []want{{"schema-max-length-decreased", false, "components.schemas.Spare.maxLength"}}},
	{name: "schema component added", edits: []edit{set(pSchemas+"/Spare", "{type: string}")},
		want: []want{{"component-schema-added", false, "components.schemas.Spare"}}},
	// document level
	{name: "server url changed", edits: []edit{set("/servers/0/url", "https://api.example.com/rest/wab/v2")},
		want: []want{{"server-removed", true, "servers"}, {"server-added", false, "servers"}}},
	{name: "server added", edits: []edit{add("/servers", "{url: 'https://sandbox.example.com'}")},
		want: []want{{"server-added", false, "servers"}}},
	{name: "info version", edits: []edit{set("/info/version", "1.3.0")},
		want: []want{{"version-changed", false, "info.version"}}},
	{name: "tag added", edits: []edit{add("/tags", "{name: source, description: Sources}")},
		want: []want{{"tag-added", false, "tags"}}},
	{name: "security scheme changed", edits: []edit{set("/components/securitySchemes/BasicAuth/scheme", "bearer")},
		want: []want{{"security-scheme-changed", true, "securitySchemes.BasicAuth.scheme"}}},
	{name: "security requirement added", edits: []edit{set(pMessages+"/get/security", "[{ApiKey: []}]"),
		set("/components/securitySchemes/ApiKey", "{type: apiKey, in: header, name: X-Key}")},
		want: []want{{"security-requirement-added", true, "paths./messages.get.security"}, {"component-security-scheme-added", false, "securitySchemes"}}},
}

func TestRules(t *testing.T) {
	base := modicaspec.Published()
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			oldData := apply(t, base, tc.base...)
			newData := apply(t, base, append(append([]edit(nil), tc.base...), tc.edits...)...)
			r, err := Diff(Input{Name: "old.yaml", Data: oldData}, Input{Name: "new.yaml", Data: newData})
			if err != nil {
				t.Fatal(err)
			}
			checkWants(t, r, tc.want)
		})
	}
}

func checkWants(t *testing.T, r *Report, wants []want) {
	t.Helper()
	var got, exp []string
	for _, c := range r.Changes {
		got = append(got, fmt.Sprintf("%s/%v", c.Code, c.Breaking))
	}
	for _, w := range wants {
		exp = append(exp, fmt.Sprintf("%s/%v", w.code, w.breaking))
		if !slices.ContainsFunc(r.Changes, func(c Change) bool {
			return c.Code == w.code && c.Breaking == w.breaking && strings.Contains(c.Path, w.path)
		}) {
			t.Errorf("no %s (breaking %v) at a path containing %q", w.code, w.breaking, w.path)
		}
	}
	slices.Sort(got)
	slices.Sort(exp)
	if !slices.Equal(got, exp) {
		var b strings.Builder
		for _, c := range r.Changes {
			fmt.Fprintf(&b, "\n  %s", c)
		}
		t.Errorf("changes: got %v, want %v%s", got, exp, b.String())
	}
}
