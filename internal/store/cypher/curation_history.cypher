// Change sets that touched one node, newest first, seeking past the cursor ($beforeAt, $beforeId).
MATCH (t:ChangeTouch {node: $node})
WHERE $beforeAt IS NULL OR t.at < datetime($beforeAt) OR (t.at = datetime($beforeAt) AND t.changeSet < $beforeId)
WITH DISTINCT t.at AS at, t.changeSet AS id
ORDER BY at DESC, id DESC
LIMIT $limit
MATCH (c:ChangeSet {id: id})
RETURN properties(c) AS props
ORDER BY at DESC, id DESC
