// Instruments financing many projects, by project id.
UNWIND $ids AS id
MATCH (p:Project {id: id})-[r:FINANCED_BY]->(i:Instrument)
RETURN id AS key, p.id AS from, i.id AS to, properties(r) AS props
ORDER BY key, i.name
