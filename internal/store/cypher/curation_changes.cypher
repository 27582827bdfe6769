// Change sets whose status changed after $since, oldest change first, seeking past the cursor.
MATCH (c:ChangeSet)
WHERE c.changedAt > datetime($since)
  AND ($afterAt IS NULL OR c.changedAt > datetime($afterAt) OR (c.changedAt = datetime($afterAt) AND c.id > $afterId))
RETURN properties(c) AS props
ORDER BY c.changedAt, c.id
LIMIT $limit
