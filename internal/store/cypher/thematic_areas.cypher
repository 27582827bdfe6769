// The thematic vocabulary, ordered by name.
MATCH (n:ThematicArea)
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY n.name
