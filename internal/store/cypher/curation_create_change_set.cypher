// Records a change set and which nodes it touches (one ChangeTouch each, for history).
CREATE (c:ChangeSet)
SET c = $props, c.createdAt = datetime($createdAt), c.changedAt = datetime($createdAt)
WITH c
UNWIND $touched AS node
CREATE (:ChangeTouch {node: node, at: c.createdAt, changeSet: c.id})
RETURN count(*) AS touched
