// Members of many processes, by process id, ordered by member name.
UNWIND $ids AS id
MATCH (m:Entity)-[r:MEMBER_OF]->(p:RegionalProcess {id: id})
RETURN id AS key, m.id AS from, p.id AS to, properties(r) AS props
ORDER BY key, m.name
