package speclint

import (
	"strings"
)

// checkCallbackExpr checks a callback key: a URL template whose {...}
// parts are OpenAPI runtime expressions (or a bare expression). It returns
// why it is invalid, or "".
func checkCallbackExpr(key string) string {
	if !strings.ContainsAny(key, "{}") {
		if strings.HasPrefix(key, "$") {
			return runtimeExpr(key)
		}
		return ""
	}
	rest := key
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		closeAt := strings.IndexByte(rest, '}')
		switch {
		case open < 0 && closeAt < 0:
			return ""
		case open < 0 || closeAt < open:
			return "unbalanced braces"
		}
		inner := rest[open+1:]
		end := strings.IndexByte(inner, '}')
		if end < 0 || strings.IndexByte(inner[:end], '{') >= 0 {
			return "unbalanced braces"
		}
		if why := runtimeExpr(inner[:end]); why != "" {
			return why
		}
		rest = inner[end+1:]
	}
	return ""
}

// runtimeExpr validates one runtime expression against the OpenAPI 3 ABNF:
// $url | $method | $statusCode | $request.<source> | $response.<source>.
func runtimeExpr(e string) string {
	switch e {
	case "$url", "$method", "$statusCode":
		return ""
	}
	for _, pre := range []string{"$request.", "$response."} {
		if src, ok := strings.CutPrefix(e, pre); ok {
			return exprSource(src)
		}
	}
	if name, ok := strings.CutPrefix(e, "$"); ok && name != "" && !strings.ContainsAny(name, ".#/") {
		return "`$" + name + "` is not a runtime expression (only $url, $method, $statusCode, $request.* and $response.* are); a URL taken from the request body is written {$request.body#/" + name + "}"
	}
	return "expected $url, $method, $statusCode, $request.<source> or $response.<source>, got " + quoteShort(e)
}

func exprSource(src string) string {
	switch {
	case strings.HasPrefix(src, "header."):
		tok := strings.TrimPrefix(src, "header.")
		if tok == "" || strings.IndexFunc(tok, func(r rune) bool { return !isTchar(r) }) >= 0 {
			return "header name " + quoteShort(tok) + " is not an HTTP token"
		}
	case strings.HasPrefix(src, "query."), strings.HasPrefix(src, "path."):
		if _, name, _ := strings.Cut(src, "."); name == "" {
			return "missing parameter name after " + quoteShort(src)
		}
	case src == "body":
	case strings.HasPrefix(src, "body#"):
		return jsonPointerSyntax(strings.TrimPrefix(src, "body#"))
	default:
		return "source " + quoteShort(src) + " must be header.<name>, query.<name>, path.<name> or body[#/pointer]"
	}
	return ""
}

func isTchar(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

func jsonPointerSyntax(p string) string {
	if p != "" && !strings.HasPrefix(p, "/") {
		return "JSON pointer " + quoteShort(p) + " must start with '/'"
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 >= len(p) || (p[i+1] != '0' && p[i+1] != '1')) {
			return "JSON pointer " + quoteShort(p) + " has '~' not followed by 0 or 1"
		}
	}
	return ""
}

func quoteShort(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "\"" + s + "\""
}
