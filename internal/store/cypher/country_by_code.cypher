// One country by ISO 3166-1 alpha-2 or alpha-3 code (upper case).
MATCH (c:Country)
WHERE c.iso2 = $code OR c.iso3 = $code
RETURN properties(c) AS props
LIMIT 1
