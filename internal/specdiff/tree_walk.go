package specdiff

import (
	"strings"

	"github.com/pb33f/libopenapi/what-changed/model"
)

// document walks the whole change tree.
func (w *walker) document(dc *model.DocumentChanges) {
	top := scope{}
	w.emit(top, changesOf(dc.PropertyChanges), docRule)
	if dc.InfoChanges != nil {
		w.emit(top.at("info"), dc.InfoChanges.GetAllChanges(), docRule)
	}
	for _, t := range dc.TagChanges {
		if t != nil {
			w.emit(top.at("tags"), t.GetAllChanges(), tagRule)
		}
	}
	if dc.ExternalDocChanges != nil {
		w.emit(top.at("externalDocs"), dc.ExternalDocChanges.GetAllChanges(), docRule)
	}
	w.docs(top, dc.ExtensionChanges)
	w.servers(top, dc.ServerChanges)
	w.security(top, dc.SecurityRequirementChanges)
	if dc.PathsChanges != nil {
		w.paths(top.at("paths"), dc.PathsChanges)
	}
	for name, pic := range dc.WebhookChanges {
		if pic != nil {
			w.pathItem(scope{segs: []string{"webhooks", name}, flipped: true}, "webhook "+name, pic)
		}
	}
	if dc.ComponentsChanges != nil {
		w.components(top.at("components"), dc.ComponentsChanges)
	}
}

func (w *walker) paths(s scope, pc *model.PathsChanges) {
	w.emit(s, changesOf(pc.PropertyChanges), pathsRule)
	w.docs(s, pc.ExtensionChanges)
	for p, pic := range pc.PathItemsChanges {
		if pic != nil {
			w.pathItem(s.at(p), p, pic)
		}
	}
}

// pathItem walks one path item; label names it in operation labels.
func (w *walker) pathItem(s scope, label string, pic *model.PathItemChanges) {
	req, _ := flow(s.flipped)
	item := s
	item.dir = req // path-level parameters
	w.emit(item, changesOf(pic.PropertyChanges), pathItemRule)
	for _, p := range pic.ParameterChanges {
		if p != nil {
			w.parameter(item.at("parameters", p.Name), p)
		}
	}
	w.servers(s, pic.ServerChanges)
	w.docs(s, pic.ExtensionChanges)
	ops := map[string]*model.OperationChanges{
		"get": pic.GetChanges, "put": pic.PutChanges, "post": pic.PostChanges, "delete": pic.DeleteChanges,
		"options": pic.OptionsChanges, "head": pic.HeadChanges, "patch": pic.PatchChanges,
		"trace": pic.TraceChanges, "query": pic.QueryChanges,
	}
	for m, oc := range pic.AdditionalOperationChanges {
		ops[m] = oc
	}
	for m, oc := range ops {
		if oc == nil {
			continue
		}
		os := s.at(m)
		os.op = opLabel(s, label, m)
		w.operation(os, oc)
	}
}

// opLabel names an operation: "POST /messages", or for a callback
// "POST /messages callback messageCallback POST {$statusCallbackUrl}".
func opLabel(s scope, label, method string) string {
	own := strings.ToUpper(method) + " " + label
	if s.op != "" {
		return s.op + " callback " + own
	}
	return own
}

func (w *walker) operation(s scope, oc *model.OperationChanges) {
	req, resp := flow(s.flipped)
	s.dir = req
	w.emit(s, changesOf(oc.PropertyChanges), operationRule)
	for _, p := range oc.ParameterChanges {
		if p != nil {
			w.parameter(s.at("parameters", p.Name), p)
		}
	}
	if oc.RequestBodyChanges != nil {
		w.requestBody(s.at("requestBody"), oc.RequestBodyChanges)
	}
	if oc.ResponsesChanges != nil {
		rs := s.at("responses")
		rs.dir = resp
		w.responses(rs, oc.ResponsesChanges)
	}
	w.security(s, oc.SecurityRequirementChanges)
	w.servers(s, oc.ServerChanges)
	w.docs(s.at("externalDocs"), oc.ExternalDocChanges)
	w.docs(s, oc.ExtensionChanges)
	for name, cc := range oc.CallbackChanges {
		if cc == nil {
			continue
		}
		cs := s.at("callbacks", name)
		cs.flipped = !s.flipped
		w.emit(cs, changesOf(cc.PropertyChanges), callbackRule)
		w.docs(cs, cc.ExtensionChanges)
		for expr, pic := range cc.ExpressionChanges {
			if pic != nil {
				w.pathItem(cs.at(expr), expr, pic)
			}
		}
	}
}

// servers emits each changed server of a servers list.
func (w *walker) servers(s scope, scs []*model.ServerChanges) {
	for _, sc := range scs {
		if sc != nil {
			w.emit(s.at("servers"), sc.GetAllChanges(), serverRule)
		}
	}
}

// security emits each changed requirement of a security list.
func (w *walker) security(s scope, srs []*model.SecurityRequirementChanges) {
	for _, sr := range srs {
		if sr != nil {
			w.emit(s.at("security"), sr.GetAllChanges(), securityRule)
		}
	}
}

// docs emits the changes of a documentation-only node (nil-safe).
func (w *walker) docs(s scope, c changed) {
	if c == nil || isNilChange(c) {
		return
	}
	w.emit(s, c.GetAllChanges(), docRule)
}

func isNilChange(c changed) bool {
	switch v := c.(type) {
	case *model.ExtensionChanges:
		return v == nil
	case *model.ExternalDocChanges:
		return v == nil
	case *model.XMLChanges:
		return v == nil
	case *model.ExampleChanges:
		return v == nil
	case *model.LinkChanges:
		return v == nil
	case *model.EncodingChanges:
		return v == nil
	case *model.ExamplesChanges:
		return v == nil
	}
	return false
}
