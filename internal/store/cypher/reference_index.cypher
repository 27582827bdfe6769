// The nodes references name by key, code or name: every country, process, instrument,
// organisation, theme and source (named by its title), with the names and codes it answers to.
MATCH (n:Country|RegionalProcess|Instrument|Organisation|ThematicArea|Source)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, coalesce(n.name, n.title) AS name, n.shortName AS shortName,
       coalesce(n.aliases, []) AS aliases, n.iso2 AS iso2, n.iso3 AS iso3
