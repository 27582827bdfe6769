// Process memberships of many countries or organisations, by member id.
UNWIND $ids AS id
MATCH (m:Entity {id: id})-[r:MEMBER_OF]->(p:RegionalProcess)
RETURN id AS key, m.id AS from, p.id AS to, properties(r) AS props
ORDER BY key, p.launched, p.shortName
