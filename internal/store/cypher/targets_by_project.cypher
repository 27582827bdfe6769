// Countries targeted by many projects, by project id.
UNWIND $ids AS id
MATCH (p:Project {id: id})-[r:TARGETS]->(c:Country)
RETURN id AS key, p.id AS from, c.id AS to, properties(r) AS props
ORDER BY key, c.name
