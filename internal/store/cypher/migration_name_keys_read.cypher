// One batch of the nodes whose name keys migration 10 fills in: the names of the nodes after
// $after in key order (the id index gives that order), at most $batch of them.
MATCH (n:Entity) WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $batch
RETURN n.id AS id, {name: n.name, shortName: n.shortName, title: n.title, aliases: n.aliases} AS names
