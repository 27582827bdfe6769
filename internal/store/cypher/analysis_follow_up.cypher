// Regional activities per country, each with its theme, and the country's national projects with
// their themes, which could follow them up.
// The store fills the two anchor placeholders from its table: the membership anchor binds c, m
// (MEMBER_OF) and proc; the project anchor binds c, t (TARGETS) and rp. Values are parameters.
// An observer is no member: its membership starts no regional activity. A membership's end
// (until) does not matter: the dialogue took place.
CALL () {
  __MEMBERSHIP_ANCHOR__
  WHERE ($country IS NULL OR c.id = $country) AND ($includeEU OR c.euRelation <> 'MEMBER_STATE')
    AND coalesce(m.role, 'MEMBER') <> 'OBSERVER'
  MATCH (proc)-[:HAS_PILLAR]->(th:ThematicArea)
  WHERE $theme IS NULL OR th.id = $theme
  RETURN c, th, {kind: 'PROCESS_MEMBERSHIP', process: proc.id, memberFrom: m.from, launched: proc.launched,
                 sourceIds: m.sourceIds, sourceLocators: m.sourceLocators, sourceStatuses: m.sourceStatuses} AS activity
  UNION ALL
  __PROJECT_ANCHOR__
  WHERE rp.scope = 'REGIONAL' AND rp.status <> 'CANCELLED' AND ($country IS NULL OR c.id = $country)
    AND ($includeEU OR c.euRelation <> 'MEMBER_STATE')
    AND ($process IS NULL OR EXISTS { (rp)-[:SUPPORTS]->(s) WHERE s.id = $process })
  MATCH (rp)-[:ADDRESSES]->(th:ThematicArea)
  WHERE $theme IS NULL OR th.id = $theme
  RETURN c, th, {kind: 'REGIONAL_PROJECT', project: rp.id, projectStart: coalesce(rp.actualStart, rp.plannedStart),
                 sourceIds: t.sourceIds, sourceLocators: t.sourceLocators, sourceStatuses: t.sourceStatuses} AS activity
}
WITH c, collect(activity {.*, theme: th.id}) AS activities
CALL (c) {
  MATCH (c)<-[:TARGETS]-(np:Project)
  WHERE np.scope = 'NATIONAL' AND np.status <> 'CANCELLED' AND coalesce(np.actualStart, np.plannedStart) IS NOT NULL
  RETURN collect({project: np.id, start: coalesce(np.actualStart, np.plannedStart),
                  themes: [(np)-[:ADDRESSES]->(x:ThematicArea) | x.id]}) AS nationals
}
RETURN c.id AS country, activities, nationals
