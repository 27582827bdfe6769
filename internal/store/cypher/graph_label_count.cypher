// Number of nodes of one label (__LABEL__, from the store's allowlist of kinds, or Entity), from
// Neo4j's count store: constant time at any size.
MATCH (n:__LABEL__)
RETURN count(n) AS count
