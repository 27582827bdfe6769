// The graph's data version (no row before the first write that recorded one).
MATCH (v:GraphVersion {id: 'graph'})
RETURN v.version AS version, v.changedAt AS changedAt
