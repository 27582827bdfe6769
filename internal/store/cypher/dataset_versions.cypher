// The datasets asserting each node of $ids and the versions they recorded ("dataset=version").
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, n.datasets AS datasets, n.versions AS versions
