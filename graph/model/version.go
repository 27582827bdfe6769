package model

// Versioned gives a node its `version` (store.VersionOf: a digest of all of its facts), worked
// out only when a query asks for it: the digest costs more than the rest of reading a node, and
// most reads do not select it.
type Versioned struct {
	digest func() string
}

// VersionedBy is the version that digest works out.
func VersionedBy(digest func() string) Versioned { return Versioned{digest: digest} }

// Version is the node's version ("" for a node made without one).
func (v Versioned) Version() string {
	if v.digest == nil {
		return ""
	}
	return v.digest()
}
