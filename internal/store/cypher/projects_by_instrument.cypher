// Projects financed through many instruments, by instrument id.
UNWIND $ids AS id
MATCH (p:Project)-[r:FINANCED_BY]->(i:Instrument {id: id})
RETURN id AS key, p.id AS from, i.id AS to, properties(r) AS props
ORDER BY key, coalesce(p.actualStart, p.plannedStart) DESC, p.title
