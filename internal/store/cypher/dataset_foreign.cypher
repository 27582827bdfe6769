// Counts the nodes that carry a label of the graph's model (__LABELS__: Entity and every node
// kind, from the store's allowlist) but belong to none of the datasets $known: data the loader
// did not write (imported datasets, named $imported + a name, are known), which would mix into the API's answers. One row per foreign dataset (null for
// nodes without a dataset property), with the smallest id as an example.
MATCH (n:__LABELS__)
WHERE n.dataset IS NULL OR NOT (n.dataset IN $known OR n.dataset STARTS WITH $imported)
RETURN n.dataset AS dataset, count(n) AS nodes, min(n.id) AS example
ORDER BY dataset
