// The finalizer must be nil or a function of exactly one non-variadic
// parameter that can receive the object; anything else is a fatal error.
package invalidfn

import (
	"fmt"
	rt "runtime"
)

type conn struct {
	id int
}

func (c *conn) finish() { fmt.Println("finished", c.id) }

func (c *conn) finishWith(reason string) { fmt.Println(c.id, reason) }

type finisher interface{ finish() }

func twoParameters(c *conn) {
	rt.SetFinalizer(c, func(a, b *conn) {}) // want `the finalizer must take exactly one parameter \(the object\); this one takes 2, so runtime\.SetFinalizer stops the program with a fatal error \(not a recoverable panic\): declare exactly one parameter, such as func\(c \*conn\)`
}

func noParameters(c *conn) {
	rt.SetFinalizer(c, func() { fmt.Println("gone") }) // want `this one takes 0`
}

func variadic(c *conn) {
	rt.SetFinalizer(c, func(cs ...*conn) {}) // want `a variadic finalizer cannot receive the object, so runtime\.SetFinalizer stops the program with a fatal error \(not a recoverable panic\): declare one parameter that is not variadic`
}

func valueParameter(c *conn) {
	rt.SetFinalizer(c, func(v conn) { fmt.Println(v.id) }) // want `the finalizer's parameter type conn cannot receive a pointer, so runtime\.SetFinalizer stops the program with a fatal error \(not a recoverable panic\): declare the parameter as \*conn`
}

func basicParameter(c *conn) {
	rt.SetFinalizer(c, func(n int) {}) // want `parameter type int cannot receive a pointer`
}

func notAFunction(c *conn) {
	rt.SetFinalizer(c, "cleanup") // want `the second argument of runtime\.SetFinalizer must be a function or nil; "cleanup" is not, so the call stops the program with a fatal error \(not a recoverable panic\)`
}

// A method value whose method takes no parameter.
func methodValueWithoutParameter(c *conn) {
	rt.SetFinalizer(c, c.finish) // want `the finalizer c\.finish takes 0 parameters; runtime\.SetFinalizer needs exactly one \(the object\), so the call stops the program with a fatal error \(not a recoverable panic\): pass the method expression \(\*conn\)\.finish instead`
}

// A method expression whose method has its own parameter as well.
func methodExpressionWithParameter(c *conn) {
	rt.SetFinalizer(c, (*conn).finishWith) // want `the finalizer \(\*conn\)\.finishWith takes 2 parameters`
}

// Not reported: valid finalizers.
func valid(c *conn) {
	rt.SetFinalizer(c, func(*conn) {})
	rt.SetFinalizer(c, func(x interface{}) {})
	rt.SetFinalizer(c, func(x any) {})
	rt.SetFinalizer(c, func(x finisher) {})
	rt.SetFinalizer(c, (*conn).finish)
	rt.SetFinalizer(c, nil)
	rt.SetFinalizer(c, func(c *conn) error { return nil })
}
