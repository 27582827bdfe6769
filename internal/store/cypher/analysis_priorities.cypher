// Priorities that apply to countries: stated by the country, or (when $viaProcesses) by the
// partner countries of a process the country is a member of (an observer is not; a membership's
// end does not matter) and that is no EU member state.
// The store puts `c:Entity {id: $country}` or `c:Country` in place of the country placeholder.
CALL () {
  MATCH (__COUNTRY__)-[:STATES]->(pr:Priority)
  WHERE c:Country
  RETURN c, pr, null AS via
  UNION
  MATCH (__COUNTRY__)-[m:MEMBER_OF]->(proc:RegionalProcess)-[:STATES]->(pr:Priority)
  WHERE $viaProcesses AND c:Country AND c.euRelation <> 'MEMBER_STATE' AND coalesce(m.role, 'MEMBER') <> 'OBSERVER'
  RETURN c, pr, proc.id AS via
}
OPTIONAL MATCH (pr)-[:ABOUT]->(th:ThematicArea)
RETURN c.id AS country, pr.id AS priority, th.id AS theme, via
ORDER BY country, priority
