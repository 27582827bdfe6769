// One batch of the nodes of one kind (__LABEL__, from the dataset kinds) in key order after
// $after, with the relationships that a seed file writes in the node's row: __OUT__ and __IN__
// are pattern comprehensions over those types only (from the node and to it; [] when none), so
// that a node with many relationships of other types (a country's projects) reads none of them.
// With $since, only nodes changed after it, or whose such relationships changed (__CHANGED__:
// EXISTS subqueries over the same types, or false). __WHERE__ is the compiled project filter
// (values are parameters), or true.
MATCH (n:__LABEL__)
WHERE n.id > $after AND __WHERE__
  AND ($since IS NULL OR n.changedAt > $since OR __CHANGED__)
WITH n ORDER BY n.id LIMIT $batch
RETURN properties(n) AS props, __OUT__ AS out, __IN__ AS in
