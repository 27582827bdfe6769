// Nodes whose owner withdrew (marked by the withdrawing statements), with what the store needs
// to show the next dataset's values: their properties and their generated claims.
MATCH (n:Entity)
WHERE n.rehome = true
OPTIONAL MATCH (n)-[:HAS_CLAIM]->(c:Claim {generated: true})
RETURN n.id AS id, properties(n) AS props,
       collect(CASE WHEN c IS NULL THEN null ELSE {id: c.id, dataset: c.dataset, property: c.property, value: c.statedValue} END) AS claims
