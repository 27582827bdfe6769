// Records the writing dataset among those asserting nodes whose values another dataset owns.
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.datasets = row.datasets, n.versions = row.versions, n.assertions = row.assertions
RETURN count(n) AS written
