// Projects funded by many organisations, by organisation id.
UNWIND $ids AS id
MATCH (o:Organisation {id: id})-[r:FUNDS]->(p:Project)
RETURN id AS key, o.id AS from, p.id AS to, properties(r) AS props
ORDER BY key, coalesce(p.actualStart, p.plannedStart) DESC, p.title
