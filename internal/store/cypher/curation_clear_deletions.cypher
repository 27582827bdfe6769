// Forgets every curation deletion, when the curation dataset is removed: dataset loads state
// those nodes and relationships again.
MATCH (d:CurationDeletion)
DELETE d
RETURN count(*) AS cleared
