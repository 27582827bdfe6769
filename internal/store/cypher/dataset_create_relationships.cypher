// Creates the relationships of one type of a dataset no other shares (generated data) between
// nodes the same write created, found by their element ids (row.from, row.to); __TYPE__ is
// replaced from the store's allowlist of relationship types. row.props holds every property,
// the write's bookkeeping (key, dataset, datasets, changedAt) included.
UNWIND $rows AS row
MATCH (a) WHERE elementId(a) = row.from
MATCH (b) WHERE elementId(b) = row.to
CREATE (a)-[r:__TYPE__]->(b)
SET r = row.props
RETURN count(r) AS created
