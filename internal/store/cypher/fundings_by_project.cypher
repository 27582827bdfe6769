// Donors of many projects, by project id.
UNWIND $ids AS id
MATCH (o:Organisation)-[r:FUNDS]->(p:Project {id: id})
RETURN id AS key, o.id AS from, p.id AS to, properties(r) AS props
ORDER BY key, r.amount DESC, o.name
