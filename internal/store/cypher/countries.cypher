// Countries ordered by name, optionally of one region and one relation to the EU.
MATCH (c:Country)
WHERE ($region IS NULL OR toLower(c.region) = toLower($region))
  AND ($euRelation IS NULL OR c.euRelation = $euRelation)
RETURN properties(c) AS props
ORDER BY c.name
LIMIT $first
