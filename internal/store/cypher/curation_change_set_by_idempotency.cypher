// The change set created under an idempotency key after $since (the first, should there be two).
MATCH (c:ChangeSet {idempotency: $key})
WHERE c.createdAt > datetime($since)
RETURN properties(c) AS props
ORDER BY c.createdAt
LIMIT 1
