// Records the writing dataset among those asserting relationships another dataset owns.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[r {key: row.key}]->(b:Entity {id: row.to})
SET r.changedAt = CASE WHEN row.changed THEN $now ELSE r.changedAt END,
    r.datasets = row.datasets,
    r.stamps = CASE WHEN row.stamp IS NULL OR row.stamp IN coalesce(r.stamps, []) THEN r.stamps ELSE coalesce(r.stamps, []) + row.stamp END
RETURN count(r) AS written
