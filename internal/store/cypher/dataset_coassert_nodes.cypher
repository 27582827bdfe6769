// Records the writing dataset among those asserting nodes whose values another dataset owns.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.changedAt = CASE WHEN row.changed THEN $now ELSE n.changedAt END,
    n.datasets = row.datasets, n.versions = row.versions, n.assertions = row.assertions,
    n.stamps = CASE WHEN row.stamp IS NULL OR row.stamp IN coalesce(n.stamps, []) THEN n.stamps ELSE coalesce(n.stamps, []) + row.stamp END
RETURN count(n) AS written
