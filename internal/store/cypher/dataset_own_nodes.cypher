// Writes nodes of one kind whose values the writing dataset states: each row is the node's whole
// property map (the store's dataset bookkeeping included). __LABEL__ is replaced from the store's
// allowlist of kinds.
// A project's `start` (its actual start date, else its planned one) is written with its dates: its
// default order and the start filter read it from an index. Other kinds have neither date.
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n = row, n.start = coalesce(row.actualStart, row.plannedStart)
SET n:__LABEL__
RETURN count(n) AS written
