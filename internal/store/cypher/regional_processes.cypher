// All regional processes ordered by launch date, undated ones last.
MATCH (n:RegionalProcess)
RETURN properties(n) AS props, __NODE_REFS__ AS refs
ORDER BY n.launched IS NULL, n.launched, n.shortName
