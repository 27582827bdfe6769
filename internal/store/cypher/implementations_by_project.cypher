// Implementers of many projects, by project id, lead first.
UNWIND $ids AS id
MATCH (o:Organisation)-[r:IMPLEMENTS]->(p:Project {id: id})
RETURN id AS key, o.id AS from, p.id AS to, properties(r) AS props
ORDER BY key, r.lead DESC, o.name
