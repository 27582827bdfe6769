// Number of nodes of each kind.
MATCH (n:Entity)
WITH [l IN labels(n) WHERE l <> 'Entity'][0] AS kind
RETURN kind, count(*) AS count
ORDER BY kind
