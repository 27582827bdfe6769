// One batch of the projects a bulk export holds, in key order after $after, with every fact an
// exporter writes about each: its properties and sources, its funders (with the funding's
// amounts), implementers (with role), target countries (with share), themes, instruments and
// parent. __WHERE__ is the compiled `where` filter (values are parameters). With $since, only
// projects changed after it, or whose relationships did.
MATCH (p:Project)
WHERE p.id > $after AND __WHERE__
  AND ($since IS NULL OR p.changedAt > $since OR EXISTS { (p)-[r]-() WHERE r.changedAt > $since })
WITH p ORDER BY p.id LIMIT $batch
RETURN properties(p) AS project,
  [(p)<-[f:FUNDS]-(d:Organisation) | {org: properties(d), rel: properties(f)}] AS funders,
  [(p)<-[i:IMPLEMENTS]-(o:Organisation) | {org: properties(o), rel: properties(i)}] AS implementers,
  [(p)-[t:TARGETS]->(c:Country) | {iso2: c.iso2, id: c.id, name: c.name, rel: properties(t)}] AS countries,
  [(p)-[a:ADDRESSES]->(th:ThematicArea) | {id: th.id, name: th.name, dacCodes: th.dacCodes, rel: properties(a)}] AS themes,
  [(p)-[b:FINANCED_BY]->(ins:Instrument) | {id: ins.id, name: ins.name, rel: properties(b)}] AS instruments,
  [(p)-[r:PART_OF]->(parent:Project) | {id: parent.id, iatiIdentifier: parent.iatiIdentifier, rel: properties(r)}] AS parents,
  [(p)<-[r:PART_OF]-(child:Project) | {id: child.id, iatiIdentifier: child.iatiIdentifier}] AS children,
  COLLECT { UNWIND coalesce(p.sourceIds, []) AS sourceId MATCH (src:Entity {id: sourceId}) RETURN properties(src) } AS sources
