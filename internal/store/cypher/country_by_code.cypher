// One country by ISO 3166-1 alpha-2 or alpha-3 code (upper case).
MATCH (n:Country)
WHERE n.iso2 = $code OR n.iso3 = $code
RETURN properties(n) AS props, __NODE_REFS__ AS refs
LIMIT 1
