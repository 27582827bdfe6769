// All regional processes ordered by launch date, undated ones last.
MATCH (p:RegionalProcess)
RETURN properties(p) AS props
ORDER BY p.launched IS NULL, p.launched, p.shortName
