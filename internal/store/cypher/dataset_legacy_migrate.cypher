// Brings a dataset written before each item recorded the datasets asserting it up to date, in
// place: its nodes get their datasets list, its relationships their key (the form of
// dataset.Rel.Key: type, ends, role and pillar) and datasets, so that the next write finds them.
MATCH (n:Entity)
WHERE n.dataset = $dataset AND n.datasets IS NULL
SET n.datasets = [n.dataset], n.versions = coalesce(n.versions, [])
WITH count(n) AS nodes
MATCH (a:Entity)-[r]->(b:Entity)
WHERE a.dataset = $dataset AND r.key IS NULL
SET r.key = type(r) + '|' + a.id + '|' + b.id + '|' + coalesce(toString(r.role), '') + '|' + coalesce(toString(r.pillar), '') + '|',
    r.dataset = $dataset, r.datasets = [$dataset]
RETURN nodes, count(r) AS relationships
