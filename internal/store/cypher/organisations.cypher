// Organisations ordered by name, optionally of one kind.
MATCH (o:Organisation)
WHERE $kind IS NULL OR o.kind = $kind
RETURN properties(o) AS props
ORDER BY o.name
