package store

// HasRelation tells whether the store can page through the list of that name ("Country.projects");
// the lists come from the relationship catalogue.
func HasRelation(name string) bool {
	_, ok := relations[name]
	return ok
}
