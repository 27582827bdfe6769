// What an importer resolves references against: every organisation, country, theme and
// instrument with the names, codes and identifiers it answers to, and the projects that carry an
// IATI identifier.
MATCH (n:Organisation|Country|ThematicArea|Instrument)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, n.name AS name, n.shortName AS shortName,
       coalesce(n.aliases, []) AS aliases, n.iatiIdentifier AS iatiIdentifier, n.iso2 AS iso2, n.iso3 AS iso3,
       coalesce(n.dacCodes, []) AS dacCodes, n.dataset AS dataset
UNION ALL
MATCH (p:Project)
WHERE p.iatiIdentifier IS NOT NULL
RETURN p.id AS id, 'Project' AS kind, p.title AS name, null AS shortName, [] AS aliases,
       p.iatiIdentifier AS iatiIdentifier, null AS iso2, null AS iso3, [] AS dacCodes, p.dataset AS dataset
