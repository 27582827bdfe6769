// Deletes a node with the claims generated about it, when no relationship but those to its
// claims is left at it (the change set removed them first); returns whether it did.
MATCH (n:Entity {id: $id})
WHERE NOT EXISTS { MATCH (n)-[r]-() WHERE type(r) <> 'HAS_CLAIM' }
OPTIONAL MATCH (n)-[:HAS_CLAIM]->(c:Claim)
WHERE c.generated = true
DETACH DELETE c, n
RETURN count(DISTINCT n) AS deleted
