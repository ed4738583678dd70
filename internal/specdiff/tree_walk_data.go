package specdiff

import (
	"github.com/pb33f/libopenapi/what-changed/model"
)

func (w *walker) parameter(s scope, pc *model.ParameterChanges) {
	w.emit(s, changesOf(pc.PropertyChanges), parameterRule)
	w.schemaContent(s, pc.SchemaChanges, pc.ContentChanges, pc.ExamplesChanges, pc.ExtensionChanges)
}

// schemaContent walks what a parameter and a header have in common below
// their own properties: schema, content media types, named examples and
// extensions.
func (w *walker) schemaContent(s scope, sc *model.SchemaChanges, content map[string]*model.MediaTypeChanges,
	examples map[string]*model.ExampleChanges, ext *model.ExtensionChanges) {
	if sc != nil {
		w.schema(s.at("schema"), sc)
	}
	w.content(s, content)
	w.examples(s, examples)
	w.docs(s, ext)
}

// content walks each changed media type of a content map.
func (w *walker) content(s scope, content map[string]*model.MediaTypeChanges) {
	for mt, mc := range content {
		if mc != nil {
			w.mediaType(s.at("content", mt), mc)
		}
	}
}

// examples walks each changed entry of a named-examples map.
func (w *walker) examples(s scope, examples map[string]*model.ExampleChanges) {
	for name, ex := range examples {
		w.docs(s.at("examples", name), ex)
	}
}

func (w *walker) requestBody(s scope, rb *model.RequestBodyChanges) {
	w.emit(s, changesOf(rb.PropertyChanges), requestBodyRule)
	w.content(s, rb.ContentChanges)
	w.docs(s, rb.ExtensionChanges)
}

func (w *walker) mediaType(s scope, mc *model.MediaTypeChanges) {
	w.emit(s, changesOf(mc.PropertyChanges), mediaTypeRule)
	if mc.SchemaChanges != nil {
		w.schema(s.at("schema"), mc.SchemaChanges)
	}
	if mc.ItemSchemaChanges != nil {
		w.schema(s.at("itemSchema"), mc.ItemSchemaChanges)
	}
	w.examples(s, mc.ExampleChanges)
	for name, ec := range mc.EncodingChanges {
		if ec != nil {
			w.emit(s.at("encoding", name), ec.GetAllChanges(), encodingRule)
		}
	}
	for name, ec := range mc.ItemEncodingChanges {
		if ec != nil {
			w.emit(s.at("itemEncoding", name), ec.GetAllChanges(), encodingRule)
		}
	}
	w.docs(s, mc.ExtensionChanges)
}

func (w *walker) responses(s scope, rc *model.ResponsesChanges) {
	w.emit(s, changesOf(rc.PropertyChanges), responsesRule)
	for code, r := range rc.ResponseChanges {
		if r != nil {
			w.response(s.at(code), r)
		}
	}
	if rc.DefaultChanges != nil {
		w.response(s.at("default"), rc.DefaultChanges)
	}
	w.docs(s, rc.ExtensionChanges)
}

func (w *walker) response(s scope, rc *model.ResponseChanges) {
	w.emit(s, changesOf(rc.PropertyChanges), responseRule)
	for name, hc := range rc.HeadersChanges {
		if hc != nil {
			w.header(s.at("headers", name), hc)
		}
	}
	w.content(s, rc.ContentChanges)
	for name, lc := range rc.LinkChanges {
		w.docs(s.at("links", name), lc)
	}
	if rc.SchemaChanges != nil {
		w.schema(s.at("schema"), rc.SchemaChanges)
	}
	w.docs(s.at("examples"), rc.ExamplesChanges)
	w.docs(s, rc.ExtensionChanges)
}

func (w *walker) header(s scope, hc *model.HeaderChanges) {
	w.emit(s, changesOf(hc.PropertyChanges), headerRule)
	w.schemaContent(s, hc.SchemaChanges, hc.ContentChanges, hc.ExamplesChanges, hc.ExtensionChanges)
}

func (w *walker) components(s scope, cc *model.ComponentsChanges) {
	w.emit(s, changesOf(cc.PropertyChanges), componentsRule)
	for name, sc := range cc.SchemaChanges {
		if sc != nil {
			ss := s.at("schemas", name)
			ss.schema = name
			w.schema(ss, sc)
		}
	}
	for name, sc := range cc.SecuritySchemeChanges {
		if sc != nil {
			w.emit(s.at("securitySchemes", name), sc.GetAllChanges(), securitySchemeRule)
		}
	}
	w.docs(s, cc.ExtensionChanges)
}

// schema walks a schema's changes and its sub-schemas'.
func (w *walker) schema(s scope, sc *model.SchemaChanges) {
	w.emit(s, changesOf(sc.PropertyChanges), schemaRule)
	for name, p := range sc.SchemaPropertyChanges {
		if p != nil {
			w.schema(s.at("properties", name), p)
		}
	}
	single := map[string]*model.SchemaChanges{
		"items": sc.ItemsChanges, "not": sc.NotChanges, "additionalProperties": sc.AdditionalPropertiesChanges,
		"if": sc.IfChanges, "then": sc.ThenChanges, "else": sc.ElseChanges,
		"propertyNames": sc.PropertyNamesChanges, "contains": sc.ContainsChanges,
		"unevaluatedItems": sc.UnevaluatedItemsChanges, "unevaluatedProperties": sc.UnevaluatedPropertiesChanges,
		"contentSchema": sc.ContentSchemaChanges,
	}
	for kw, sub := range single {
		if sub != nil {
			w.schema(s.at(kw), sub)
		}
	}
	lists := map[string][]*model.SchemaChanges{
		"allOf": sc.AllOfChanges, "anyOf": sc.AnyOfChanges, "oneOf": sc.OneOfChanges, "prefixItems": sc.PrefixItemsChanges,
	}
	for kw, subs := range lists {
		for _, sub := range subs {
			if sub != nil {
				w.schema(s.at(kw), sub)
			}
		}
	}
	maps := map[string]map[string]*model.SchemaChanges{
		"patternProperties": sc.PatternPropertiesChanges, "dependentSchemas": sc.DependentSchemasChanges,
	}
	for kw, m := range maps {
		for k, sub := range m {
			if sub != nil {
				w.schema(s.at(kw, k), sub)
			}
		}
	}
	if sc.DiscriminatorChanges != nil {
		w.emit(s.at("discriminator"), sc.DiscriminatorChanges.GetAllChanges(), discriminatorRule)
	}
	w.emit(s, sc.DependentRequiredChanges, schemaRule)
	w.docs(s.at("externalDocs"), sc.ExternalDocChanges)
	w.docs(s.at("xml"), sc.XMLChanges)
	w.docs(s, sc.ExtensionChanges)
}
