// Goroutine-ID and goroutine-local-storage libraries, imported in every spelling.
package imports

import (
	"fmt"
	"runtime/pprof"

	"github.com/cloudwego/localsession"   // want `import of github\.com/cloudwego/localsession, a library that gives goroutines IDs or goroutine-local storage: Go has no goroutine IDs or goroutine-local storage by design.*pass a context\.Context`
	notgls "github.com/example/glsx"      // a different module whose path merely starts alike
	gidutil "github.com/example/goid"     // same last element, different module: not the library
	routine2 "github.com/go-eden/routine" // want `import of github\.com/go-eden/routine`
	"github.com/google/uuid"
	tls "github.com/huandu/go-tls"  // want `import of github\.com/huandu/go-tls`
	_ "github.com/huandu/go-tls/g"  // want `import of github\.com/huandu/go-tls/g`
	gls "github.com/jtolds/gls"     // want `import of github\.com/jtolds/gls`
	mgls "github.com/modern-go/gls" // want `import of github\.com/modern-go/gls`
	"github.com/petermattis/goid"   // want `import of github\.com/petermattis/goid`
	"github.com/timandy/routine"    // want `import of github\.com/timandy/routine`
	"github.com/timandy/routine/g"  // want `import of github\.com/timandy/routine/g`
)

// Profiler labels are per-goroutine data meant for profiling; importing runtime/pprof is fine.
var _ = pprof.Labels

var _ = []any{fmt.Sprint, localsession.CurSession, routine2.Goid, uuid.New, tls.Get, gls.NewContextManager,
	mgls.GoID, goid.Get, routine.Goid, g.G, notgls.X, gidutil.Get}
