package harness

// Every dialect and its simulator wire register themselves.
import _ "github.com/wabcheck/wabcheck/internal/dialect/all"
