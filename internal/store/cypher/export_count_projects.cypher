// How many projects an export with $since covers: those matching the compiled `where` filter
// (__WHERE__, values are parameters) changed after $since, or whose relationships did (the
// predicate of export_projects). It reads only ids and change stamps, which prices the export.
MATCH (p:Project)
WHERE __WHERE__
  AND (p.changedAt > $since OR EXISTS { (p)-[r]-() WHERE r.changedAt > $since })
RETURN count(p) AS projects
