// Every source document, ordered by id.
MATCH (n:Source)
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY n.id
