package spec

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// This file checks the reconstruction of seed 003,
// whatsapp-business-api-onprem.yaml, against the spec the page was rendered
// from (../shared/reference/whatsapp-business-api-onprem.yaml, an EPL-2.0
// third-party file read at test time and never copied). On everything the
// page contains the two must agree, except for the page's own differences,
// which are pinned one by one; what the reference has beyond the page is
// listed and pinned too, so a regression in the reconstruction program
// (a dropped parameter, a lost property, a changed example) fails.

const (
	onpremSpecFile = "whatsapp-business-api-onprem.yaml"
	onpremRefName  = "whatsapp-business-api-onprem.yaml"
	onpremSchemas  = "#/components/schemas/"
)

// onpremReference reads the reference spec from $WABCHECK_REFERENCE (a
// directory) or ../../shared/reference, skipping the test when absent.
func onpremReference(t *testing.T) map[string]any {
	t.Helper()
	dir := os.Getenv("WABCHECK_REFERENCE")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "reference")
	}
	data, err := os.ReadFile(filepath.Join(dir, onpremRefName))
	if err != nil {
		t.Skipf("reference spec %s not available (set WABCHECK_REFERENCE to its directory): %v", onpremRefName, err)
	}
	return onpremYAML(t, data)
}

func onpremYAML(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	return m
}

func onpremReconstruction(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(onpremSpecFile)
	if err != nil {
		t.Fatal(err)
	}
	return onpremYAML(t, data)
}

// onpremGet walks v by keys; nil when absent.
func onpremGet(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func onpremMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

var onpremMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// onpremOps maps "METHOD /path" to the operation.
func onpremOps(doc map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for p, item := range onpremMap(doc["paths"]) {
		for _, m := range onpremMethods {
			if op := onpremMap(onpremGet(item, m)); op != nil {
				out[strings.ToUpper(m)+" "+p] = op
			}
		}
	}
	return out
}

// onpremInlineBodies replaces, in doc, each request body schema that is a
// $ref to a component the reference lacks by that component: the page's
// renderer hoisted the reference's inline body schemas into components
// (MediaUploadMediaRequest1, GroupsSetGroupIconRequest, ...). It returns the
// names it inlined.
func onpremInlineBodies(doc, ref map[string]any) map[string]bool {
	comps := onpremMap(onpremGet(doc, "components", "schemas"))
	refComps := onpremMap(onpremGet(ref, "components", "schemas"))
	inlined := map[string]bool{}
	for _, op := range onpremOps(doc) {
		for _, mt := range onpremMap(onpremGet(op, "requestBody", "content")) {
			r, _ := onpremGet(mt, "schema", "$ref").(string)
			name := strings.TrimPrefix(r, onpremSchemas)
			if _, inRef := refComps[name]; r == "" || inRef || comps[name] == nil {
				continue
			}
			onpremMap(mt)["schema"] = comps[name]
			inlined[name] = true
		}
	}
	return inlined
}

// onpremParams describes an operation's parameters (path-level and
// operation-level) as "in name required=B type=T".
func onpremParams(doc map[string]any, key string) []string {
	method, path, _ := strings.Cut(key, " ")
	item := onpremMap(onpremGet(doc, "paths", path))
	var out []string
	for _, list := range []any{item["parameters"], onpremGet(item, strings.ToLower(method), "parameters")} {
		ps, _ := list.([]any)
		for _, p := range ps {
			out = append(out, fmt.Sprintf("%v %v required=%v type=%v",
				onpremGet(p, "in"), onpremGet(p, "name"), onpremGet(p, "required") == true, onpremGet(p, "schema", "type")))
		}
	}
	sort.Strings(out)
	return out
}

// onpremBody describes a request body: its required flag, and each content
// type with the shape of its schema ($ref, type, properties, ...).
func onpremBody(op map[string]any) []string {
	rb := onpremMap(op["requestBody"])
	if rb == nil {
		return nil
	}
	shape := map[string]string{"required": fmt.Sprint(rb["required"] == true)}
	for ct, mt := range onpremMap(rb["content"]) {
		shape[ct] = "present"
		onpremShape(ct, onpremGet(mt, "schema"), shape)
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(shape)) {
		out = append(out, k+"="+shape[k])
	}
	return out
}

// onpremFacets are the schema keywords compared.
var onpremFacets = []string{"type", "$ref", "format", "required", "enum"}

// onpremShape flattens a schema into pointer#facet → value, recursing into
// properties, items, additionalProperties and the composition lists. Every
// property also records #present, so a property with no facet still counts.
// The order of `required` means nothing, so it is sorted.
func onpremShape(ptr string, v any, out map[string]string) {
	s := onpremMap(v)
	if s == nil {
		return
	}
	for _, f := range onpremFacets {
		if x, ok := s[f]; ok {
			out[ptr+"#"+f] = onpremValue(x, f == "required")
		}
	}
	for name, sub := range onpremMap(s["properties"]) {
		p := ptr + "/properties/" + name
		out[p+"#present"] = "yes"
		onpremShape(p, sub, out)
	}
	onpremShape(ptr+"/items", s["items"], out)
	onpremShape(ptr+"/additionalProperties", s["additionalProperties"], out)
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		list, _ := s[k].([]any)
		for i, sub := range list {
			onpremShape(fmt.Sprintf("%s/%s/%d", ptr, k, i), sub, out)
		}
	}
}

func onpremValue(x any, sorted bool) string {
	l, ok := x.([]any)
	if !ok {
		return fmt.Sprint(x)
	}
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = fmt.Sprint(e)
	}
	if sorted {
		sort.Strings(s)
	}
	return "[" + strings.Join(s, ",") + "]"
}

// onpremCompare lists the disagreements on what the page contains: the
// operations, their parameters and request bodies, and the shape of every
// component schema the reference has.
func onpremCompare(rec, ref map[string]any) []string {
	var diffs []string
	recOps, refOps := onpremOps(rec), onpremOps(ref)
	for _, k := range onpremUnion(recOps, refOps) {
		ro, fo := recOps[k], refOps[k]
		switch {
		case ro == nil:
			diffs = append(diffs, "operation missing: "+k)
		case fo == nil:
			diffs = append(diffs, "operation not in the reference: "+k)
		default:
			diffs = append(diffs, onpremSame(k+" parameters", onpremParams(rec, k), onpremParams(ref, k))...)
			diffs = append(diffs, onpremSame(k+" requestBody", onpremBody(ro), onpremBody(fo))...)
		}
	}
	recComps := onpremMap(onpremGet(rec, "components", "schemas"))
	for name, s := range onpremMap(onpremGet(ref, "components", "schemas")) {
		if _, ok := recComps[name]; !ok {
			diffs = append(diffs, "schema missing: "+name)
			continue
		}
		got, want := map[string]string{}, map[string]string{}
		onpremShape(name, recComps[name], got)
		onpremShape(name, s, want)
		for _, k := range onpremUnion(got, want) {
			if got[k] != want[k] {
				diffs = append(diffs, fmt.Sprintf("schema %s: reconstruction %q, reference %q", k, got[k], want[k]))
			}
		}
	}
	sort.Strings(diffs)
	return diffs
}

func onpremSame(what string, got, want []string) []string {
	if slices.Equal(got, want) {
		return nil
	}
	return []string{fmt.Sprintf("%s: reconstruction %q, reference %q", what, got, want)}
}

func onpremUnion[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// onpremLacks counts, by normalised pointer, the keys ref has and doc
// lacks (not descending below a missing key).
func onpremLacks(doc, ref any, ptr []string, out map[string]int) {
	switch r := ref.(type) {
	case map[string]any:
		m, _ := doc.(map[string]any)
		for k, v := range r {
			p := append(slices.Clone(ptr), k)
			if _, ok := m[k]; !ok {
				out[onpremPattern(p)]++
				continue
			}
			onpremLacks(m[k], v, p, out)
		}
	case []any:
		l, _ := doc.([]any)
		for i, v := range r {
			p := append(slices.Clone(ptr), fmt.Sprint(i))
			if i >= len(l) {
				out[onpremPattern(p)]++
				continue
			}
			onpremLacks(l[i], v, p, out)
		}
	}
}

// onpremPattern names a pointer by its kind: path templates, methods,
// component and property names and list indices become placeholders.
func onpremPattern(p []string) string {
	out := slices.Clone(p)
	for i := range out {
		switch {
		case i == 1 && out[0] == "paths":
			out[i] = "{path}"
		case i == 2 && out[0] == "paths" && slices.Contains(onpremMethods, out[i]):
			out[i] = "{method}"
		case i == 2 && out[0] == "components":
			out[i] = "{name}"
		case i > 0 && out[i-1] == "properties":
			out[i] = "{prop}"
		case out[i] != "" && strings.Trim(out[i], "0123456789") == "":
			out[i] = "*"
		default:
			out[i] = EscapeToken(out[i])
		}
	}
	return "/" + strings.Join(out, "/")
}

// onpremValueDiffs lists the pointers where both documents have a scalar
// and the scalars differ.
func onpremValueDiffs(doc, ref any, ptr string, out *[]string) {
	switch r := ref.(type) {
	case map[string]any:
		m, _ := doc.(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(r)) {
			if x, ok := m[k]; ok {
				onpremValueDiffs(x, r[k], ptr+"/"+EscapeToken(k), out)
			}
		}
	case []any:
		l, _ := doc.([]any)
		for i, v := range r {
			if i < len(l) {
				onpremValueDiffs(l[i], v, fmt.Sprintf("%s/%d", ptr, i), out)
			}
		}
	default:
		if fmt.Sprint(doc) != fmt.Sprint(ref) {
			*out = append(*out, fmt.Sprintf("%s: reconstruction %q, reference %q", ptr, fmt.Sprint(doc), fmt.Sprint(ref)))
		}
	}
}

// onpremPageDiffers are the places where the page itself differs from the
// reference: the page's renderer typed the int-valued string enums as
// strings, reformatted timestamps, and the page's examples carry an "X" the
// reference lacks; title, version, openapi and first server are the page's.
// The reconstruction keeps the page.
var onpremPageDiffers = []string{
	`/components/schemas/Contact/example/birthday: reconstruction "2012-08-18T00:00:00.000Z", reference "2012-08-18"`,
	`/components/schemas/Date-Time-Component/properties/day_of_week/type: reconstruction "string", reference "integer"`,
	`/components/schemas/DocumentById/example/id: reconstruction "<Media Id, from Media API>X", reference "<Media Id, from Media API>"`,
	`/components/schemas/Groups-Response/example/groups/0/id: reconstruction "your-group-idX", reference "your-group-id"`,
	`/components/schemas/ImageById/example/id: reconstruction "<Media Id, from Media API>X", reference "<Media Id, from Media API>"`,
	`/components/schemas/Message-Response/example/messages/0/id: reconstruction "gBEGkYiEB1VXAglK1ZEqA1YKPrUX", reference "gBEGkYiEB1VXAglK1ZEqA1YKPrU"`,
	`/components/schemas/Set-Shards-Request-Body/properties/shards/type: reconstruction "string", reference "integer"`,
	`/components/schemas/Upload-Media-Response/example/media/0/id: reconstruction "f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68X", reference "f043afd0-f0ae-4b9c-ab3d-696fb4c8cd68"`,
	`/components/schemas/User-Login-Response-Item/example/expires_after: reconstruction "2018-03-01T15:29:26.000Z", reference "2018-03-01 15:29:26+00:00"`,
	`/components/schemas/User-Login-Response/example/users/0/expires_after: reconstruction "2018-03-01T15:29:26.000Z", reference "2018-03-01 15:29:26+00:00"`,
	`/components/schemas/VideoById/example/id: reconstruction "<Media Id, from Media API>X", reference "<Media Id, from Media API>"`,
	`/components/schemas/Webhook-Message/example/id: reconstruction "ABGGFlA5FpafAgo6tHcNmNjXmuSfX", reference "ABGGFlA5FpafAgo6tHcNmNjXmuSf"`,
	`/components/schemas/Webhook-Video/example/id: reconstruction "media-idX", reference "media-id"`,
	`/components/schemas/Webhooks/properties/max_concurrent_requests/type: reconstruction "string", reference "integer"`,
	`/info/title: reconstruction "WhatsApp Business messaging API", reference "WhatsApp Business API"`,
	`/info/version: reconstruction "unstated", reference "1.0"`,
	`/openapi: reconstruction "3.0.3", reference "3.0.0"`,
	`/servers/0/url: reconstruction "http://whatsapp.local", reference "http://example.com/v1"`,
	`schema Date-Time-Component/properties/day_of_week#type: reconstruction "string", reference "integer"`,
	`schema Set-Shards-Request-Body/properties/shards#type: reconstruction "string", reference "integer"`,
	`schema Webhooks/properties/max_concurrent_requests#type: reconstruction "string", reference "integer"`,
}

// onpremSeedLacks is what the reference has and the page does not, by
// normalised pointer, with counts.
var onpremSeedLacks = map[string]int{
	"/paths/{path}/{method}/responses":                55, // every operation's responses
	"/paths/{path}/{method}/operationId":              55,
	"/paths/{path}/{method}/summary":                  55,
	"/paths/{path}/{method}/tags":                     54,
	"/paths/{path}/{method}/deprecated":               54, // all `deprecated: false`
	"/paths/{path}/{method}/security":                 1,  // HTTP Basic on the login
	"/paths/{path}/{method}/callbacks":                1,  // the webhook on PATCH /settings/application
	"/paths/{path}/{method}/parameters/*/description": 20, // all ''
	"/paths/{path}/{method}/parameters/*/example":     4,
	"/paths/{path}/{method}/parameters/*/explode":     16,
	"/paths/{path}/{method}/parameters/*/style":       16,
	"/components/securitySchemes":                     1,
	"/security":                                       1,
	"/tags":                                           1,
	"/info/contact":                                   1,
	"/info/description":                               1,
}

// onpremSeedExtra is what the reconstruction has and the reference does not.
var onpremSeedExtra = map[string]int{
	"/components/schemas/{name}": 31, // the renderer's hoisted inline schemas
	"/externalDocs":              1,  // the page's documentation link
	"/servers/*":                 1,  // the page's second server
}

// onpremResponseComponents are components the page lists that the reference
// has only inline in responses (the page has no responses to put them in).
var onpremResponseComponents = []string{
	"CertificatesDownloadCaCertificateResponse",
	"CertificatesDownloadWebhookCaCertificateResponse",
	"HealthGetAppStats200Response",
	"HealthGetAppStatsResponse",
	"HealthGetDbStats200Response",
	"HealthGetDbStatsResponse",
	"HealthGetMetricsData200Response",
	"HealthGetMetricsDataResponse",
	"HealthGetSupportInfoResponse",
	"MediaDownloadResponse",
	"ProfileGetPhotoResponse",
}

func TestOnpremMatchesReference(t *testing.T) {
	ref, rec := onpremReference(t), onpremReconstruction(t)
	inlined := onpremInlineBodies(rec, ref)
	diffs := onpremCompare(rec, ref)
	onpremValueDiffs(rec, ref, "", &diffs)
	sort.Strings(diffs)
	onpremExpectList(t, "differences on what the page contains", diffs, onpremPageDiffers)

	lacks, extra := map[string]int{}, map[string]int{}
	onpremLacks(rec, ref, nil, lacks)
	onpremLacks(ref, rec, nil, extra)
	onpremExpectCounts(t, "what the reference has and the page lacks", lacks, onpremSeedLacks)
	onpremExpectCounts(t, "what the page has and the reference lacks", extra, onpremSeedExtra)

	var others []string
	for name := range onpremMap(onpremGet(rec, "components", "schemas")) {
		if onpremGet(ref, "components", "schemas", name) == nil && !inlined[name] {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	t.Logf("%d request body schemas the page hoisted into components, checked inline", len(inlined))
	onpremExpectList(t, "page components that are inline response schemas in the reference", others, onpremResponseComponents)
}

func onpremExpectList(t *testing.T, what string, got, want []string) {
	t.Helper()
	t.Logf("%s (%d):\n  %s", what, len(got), strings.Join(got, "\n  "))
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

func onpremExpectCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(got)) {
		lines = append(lines, fmt.Sprintf("%s ×%d", k, got[k]))
	}
	t.Logf("%s:\n  %s", what, strings.Join(lines, "\n  "))
	if !maps.Equal(got, want) {
		for _, k := range onpremUnion(got, want) {
			if got[k] != want[k] {
				t.Errorf("%s: %s ×%d, want ×%d", what, k, got[k], want[k])
			}
		}
	}
}
