// Projects, latest start first, optionally targeting one country and of one status.
MATCH (n:Project)
WHERE ($status IS NULL OR n.status = $status)
  AND ($country IS NULL OR EXISTS {
        MATCH (n)-[:TARGETS]->(c:Country) WHERE c.iso2 = $country OR c.iso3 = $country
      })
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY coalesce(n.actualStart, n.plannedStart) DESC, n.title
LIMIT $first
