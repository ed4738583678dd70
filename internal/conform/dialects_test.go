package conform

// Every dialect and its simulator wire register themselves.
import (
	_ "github.com/wabcheck/wabcheck/internal/dialect/all"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

// modicaOptions are DefaultOptions for the Modica dialect and its spec.
func modicaOptions() Options {
	o := DefaultOptions()
	o.Dialect, o.Doc = modica.New(), modicaspec.MustDoc()
	return o
}
