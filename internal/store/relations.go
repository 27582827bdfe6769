package store

// HasRelation tells whether the store can page through the list of that name ("Country.projects");
// the lists come from the relationship catalogue.
func HasRelation(name string) bool {
	_, ok := relations[name]
	return ok
}

// NestedKind is the kind of the nodes of the list of that name when it can be read inside the
// statement of the list above it (a list of one kind; see NestedList).
func NestedKind(name string) (kind string, ok bool) {
	rel, found := relations[name]
	return rel.kind, found && rel.kind != ""
}
