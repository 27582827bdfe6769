// The id of the node of one kind with a natural key: ISO alpha-2 code of a country, IATI
// identifier of a project or organisation, otherwise its id. $kind is checked by the caller.
MATCH (n:Entity)
WHERE $kind IN labels(n) AND (n.id = $key OR ($kind = 'Country' AND n.iso2 = $key) OR
      ($kind IN ['Project', 'Organisation'] AND n.iatiIdentifier = $key))
RETURN n.id AS id
ORDER BY n.id
LIMIT 2
