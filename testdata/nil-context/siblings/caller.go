// Functions of sibling files are known by their declarations on disk. This
// file does not import the context package: the finding has no fix.

package siblings

func caller() {
	_ = fetch(nil, "https://example.com") // want `of fetch, which gets a context`
	notContext(nil, nil)
}
