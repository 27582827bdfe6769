// Records a review (or a revert) of a change set.
MATCH (c:ChangeSet {id: $id})
SET c.status = $status, c.changedAt = datetime($at), c += $props
RETURN c.id AS id
