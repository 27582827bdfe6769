// Creates the nodes of one kind of a dataset no other shares (generated data); __LABEL__ is
// replaced from the store's allowlist of kinds.
UNWIND $rows AS row
CREATE (n:Entity:__LABEL__)
SET n = row, n.dataset = $dataset, n.datasets = [$dataset], n.versions = [], n.changedAt = $now
RETURN count(n) AS created
