// runtime.SetFinalizer stops the program with a fatal error when its first
// argument is not a pointer to an allocated object.
package invalidobj

import "runtime"

type record struct {
	id int
}

func compositeWithoutAddress() {
	runtime.SetFinalizer(record{id: 1}, func(*record) {}) // want `the first argument of runtime\.SetFinalizer must be a pointer to a heap-allocated object; record\{\.\.\.\} is a value, so the call stops the program with a fatal error \(not a recoverable panic\): pass &record\{\.\.\.\} or a pointer variable`
}

func sliceLiteral() {
	runtime.SetFinalizer([]int{1, 2}, nil) // want `\[\]int\{\.\.\.\} is a value, so the call stops the program`
}

func stringConstant() {
	runtime.SetFinalizer("name", nil) // want `"name" is a constant, so the call stops the program with a fatal error`
}

func numberConstant() {
	runtime.SetFinalizer(42, nil) // want `42 is a constant`
}

func nilObject() {
	runtime.SetFinalizer(nil, func(*record) {}) // want `the first argument of runtime\.SetFinalizer must be a pointer to a heap-allocated object; nil is not, so the call stops the program with a fatal error \(not a recoverable panic\)`
}

func functionLiteral() {
	runtime.SetFinalizer(func() {}, nil) // want `a function literal is a value`
}

// Not reported: pointers of every usual kind.
func pointers(existing *record) {
	runtime.SetFinalizer(&record{id: 2}, func(*record) {})
	runtime.SetFinalizer(new(record), nil)
	runtime.SetFinalizer(existing, nil)
	var local record
	runtime.SetFinalizer(&local, func(*record) {})
}
