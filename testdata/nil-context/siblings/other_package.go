// A file of another package in the same directory does not count.

package other

func fetch(v any, url string) error { return nil }

func caller() {
	_ = fetch(nil, "x")
}
