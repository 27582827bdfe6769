// Creates the nodes of one kind of a dataset no other shares (generated data); __LABEL__ is
// replaced from the store's allowlist of kinds. Returns each node's element id, by which the
// relationships of the same write find it without an index look-up.
// A project's `start` (its actual start date, else its planned one) is written with its dates: its
// default order and the start filter read it from an index. Other kinds have neither date.
UNWIND $rows AS row
CREATE (n:Entity:__LABEL__)
SET n = row, n.start = coalesce(row.actualStart, row.plannedStart), n.dataset = $dataset, n.datasets = [$dataset], n.versions = [], n.changedAt = $now
RETURN row.id AS id, elementId(n) AS element
