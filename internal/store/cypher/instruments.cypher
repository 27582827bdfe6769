// Instruments ordered by name, optionally of one kind.
MATCH (n:Instrument)
WHERE $kind IS NULL OR n.kind = $kind
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY n.name
