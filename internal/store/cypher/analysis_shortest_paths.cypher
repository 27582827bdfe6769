// The shortest paths between two nodes of at most __HOPS__ relationships (a number from the
// store's table) of the given types (all when $types is null), in a stable order.
MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
MATCH path = allShortestPaths((a)-[*..__HOPS__]-(b))
WHERE $types IS NULL OR all(r IN relationships(path) WHERE type(r) IN $types)
WITH path, [n IN nodes(path) | n.id] AS keys
ORDER BY keys
LIMIT $first
RETURN keys, [r IN relationships(path) | {from: startNode(r).id, to: endNode(r).id, type: type(r), props: properties(r)}] AS edges
