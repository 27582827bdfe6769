// Creates the nodes of one kind; __LABEL__ is replaced from the store's allowlist of kinds.
UNWIND $rows AS row
CREATE (n:Entity:__LABEL__)
SET n = row, n.dataset = $dataset
RETURN count(n) AS created
