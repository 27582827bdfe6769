// What each source of $sources supports: one page per source ({key, query}) of the citations
// of it, one row per citation (a fact citing the source at two places has two), nodes first,
// then relationships, each by key, then by the citation's position among the fact's sources.
// The full-text indexes node_citations and relationship_citations (keyword analyzer over
// sourceIds; migration 10) find the citing facts; `query` is the source's key as one quoted
// Lucene term. The store fills the keyset seek past the cursor and the count (`RETURN null AS
// total` when totalCount is not asked). Each page is sorted and cut inside its own subquery.
UNWIND $sources AS source
CALL (source) { __TOTAL__ }
CALL (source) {
  CALL (source) {
    CALL db.index.fulltext.queryNodes('node_citations', source.query) YIELD node
    RETURN 0 AS part, node.id AS key, node AS fact
    UNION ALL
    CALL db.index.fulltext.queryRelationships('relationship_citations', source.query) YIELD relationship
    RETURN 1 AS part, coalesce(relationship.key, elementId(relationship)) AS key, relationship AS fact
  }
  UNWIND [i IN range(0, size(fact.sourceIds) - 1) WHERE fact.sourceIds[i] = source.key] AS i
  WITH part, key, i, fact WHERE __SEEK__
  WITH part, key, i, fact ORDER BY part, key, i LIMIT $limit
  RETURN collect({part: part, key: key, i: i, fact: fact}) AS rows
}
UNWIND CASE WHEN size(rows) = 0 THEN [null] ELSE rows END AS row
WITH source, total, row, row.fact AS fact
RETURN source.key AS source, total, row.part AS part, row.key AS key, row.i AS i,
       fact.sourceLocators[row.i] AS locator, fact.sourceStatuses[row.i] AS status,
       CASE row.part WHEN 1 THEN {from: startNode(fact).id, to: endNode(fact).id, type: type(fact), props: properties(fact)} END AS relationship
