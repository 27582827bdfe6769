// Organisations that fund at least one project, with the number of projects they fund.
MATCH (o:Organisation)-[:FUNDS]->(p:Project)
WITH o, count(DISTINCT p) AS projects
RETURN o.id AS id, projects
ORDER BY o.name
