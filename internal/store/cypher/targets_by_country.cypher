// Projects targeting many countries, by country id.
UNWIND $ids AS id
MATCH (p:Project)-[r:TARGETS]->(c:Country {id: id})
RETURN id AS key, p.id AS from, c.id AS to, properties(r) AS props
ORDER BY key, coalesce(p.actualStart, p.plannedStart) DESC, p.title
