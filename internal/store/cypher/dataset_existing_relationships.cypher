// The relationships of $rows (key and both ends) the graph already holds, with their properties.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[r {key: row.key}]->(b:Entity {id: row.to})
RETURN row.key AS key, properties(r) AS props
