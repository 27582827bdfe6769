// Locks a change set for a review and returns it.
MATCH (c:ChangeSet {id: $id})
SET c.reviewLock = true
REMOVE c.reviewLock
RETURN properties(c) AS props
