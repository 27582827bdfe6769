// The shortest paths between two nodes over at most __HOPS__ relationships of the types in
// __TYPES__ (both from the store's tables: a number, and type names from the schema's enum, or
// nothing for every type), in a stable order. The end is found inside a subquery so the two
// look-ups are not planned as a cartesian product.
MATCH (a:Entity {id: $from})
CALL (a) {
  MATCH (b:Entity {id: $to})
  RETURN b
}
MATCH path = allShortestPaths((a)-[__TYPES__*..__HOPS__]-(b))
WITH path, [n IN nodes(path) | n.id] AS keys
ORDER BY keys
LIMIT $first
RETURN keys, [r IN relationships(path) | {from: startNode(r).id, to: endNode(r).id, type: type(r), props: properties(r)}] AS edges
