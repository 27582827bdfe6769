// Creates the relationships of one type of a dataset no other shares (generated data) between
// existing nodes; __TYPE__ is replaced from the store's allowlist of relationship types.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:__TYPE__]->(b)
SET r = row.props, r.key = row.key, r.dataset = $dataset, r.datasets = [$dataset], r.changedAt = $now
RETURN count(r) AS created
