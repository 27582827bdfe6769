// Stated priorities, ordered by holder and date.
MATCH (holder:Entity)-[:STATES]->(n:Priority)
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY holder.id, n.stated, n.id
