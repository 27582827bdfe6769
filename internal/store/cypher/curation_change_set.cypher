// One change set by id.
MATCH (c:ChangeSet {id: $id})
RETURN properties(c) AS props
