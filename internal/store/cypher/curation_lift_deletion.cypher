// Lifts the curation deletion of a node or relationship a change set creates again (a revert of
// the deletion, or a new statement of it): dataset loads state it again from then on.
OPTIONAL MATCH (d:CurationDeletion {key: $key})
DELETE d
RETURN count(d) AS lifted
