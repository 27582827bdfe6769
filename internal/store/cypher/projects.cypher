// Projects, latest start first, optionally targeting one country and of one status.
MATCH (p:Project)
WHERE ($status IS NULL OR p.status = $status)
  AND ($country IS NULL OR EXISTS {
        MATCH (p)-[:TARGETS]->(c:Country) WHERE c.iso2 = $country OR c.iso3 = $country
      })
RETURN properties(p) AS props
ORDER BY coalesce(p.actualStart, p.plannedStart) DESC, p.title
LIMIT $first
