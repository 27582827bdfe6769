// Follows search_hits: the rank tier of each hit. 0 when a name, short name, title or alias, in
// canonical decomposition, matches $exactName (the whole text), 1 when one matches $namePrefix
// (starts with the text), else 2. Ends in a WHERE that the caller extends with AND.
WITH n, score, [x IN [n.name, n.shortName, n.title] + coalesce(n.aliases, []) WHERE x IS NOT NULL | normalize(x, NFD)] AS names
WITH n, score, CASE
       WHEN any(x IN names WHERE x =~ $exactName) THEN 0
       WHEN any(x IN names WHERE x =~ $namePrefix) THEN 1
       ELSE 2
     END AS rank
     WHERE true
