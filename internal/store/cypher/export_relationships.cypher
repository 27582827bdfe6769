// One batch of the relationships of one type (__TYPE__, from the dataset types), read by their
// anchor end (__ANCHOR__ labels: the project end where there is one, so that a batch holds a few
// relationships per node) in key order after $after; __OTHER__ are the far end's labels and
// __PATTERN__ the relationship from a to b or from b to a. With $since, only relationships
// changed after it. __WHERE_A__ and __WHERE_B__ are the compiled project filters, or true.
MATCH (a:__ANCHOR__)
WHERE a.id > $after AND __WHERE_A__
WITH a ORDER BY a.id LIMIT $batch
RETURN a.id AS anchor,
  [__PATTERN__ WHERE ($since IS NULL OR r.changedAt > $since) AND __WHERE_B__ |
   {from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels
