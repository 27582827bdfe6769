// Countries ordered by name, optionally of one region and one relation to the EU.
MATCH (n:Country)
WHERE ($region IS NULL OR toLower(n.region) = toLower($region))
  AND ($euRelation IS NULL OR n.euRelation = $euRelation)
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY n.name
LIMIT $first
