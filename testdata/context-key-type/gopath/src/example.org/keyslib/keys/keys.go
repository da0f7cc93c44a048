// A GOPATH-style tree with no go.mod above it: there is no module, so no
// module index, and other packages' constants are not resolved.
package keys

const UserKey = "user"
