// Records the writing dataset among those asserting relationships another dataset owns.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[r {key: row.key}]->(b:Entity {id: row.to})
SET r.datasets = row.datasets
RETURN count(r) AS written
