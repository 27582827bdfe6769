// Instruments ordered by name, optionally of one kind.
MATCH (i:Instrument)
WHERE $kind IS NULL OR i.kind = $kind
RETURN properties(i) AS props
ORDER BY i.name
