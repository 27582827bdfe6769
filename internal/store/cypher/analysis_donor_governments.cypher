// For each donor: its kind, the highest organisation of kind GOVERNMENT at or above it through
// PART_OF, and the country that government (else the donor) is based in.
UNWIND $donors AS key
MATCH (d:Entity {id: key})
OPTIONAL MATCH path = (d)-[:PART_OF*0..6]->(g:Organisation)
WHERE g.kind = 'GOVERNMENT'
WITH d, g ORDER BY length(path) DESC
WITH d, collect(g)[0] AS government
OPTIONAL MATCH (government)-[:BASED_IN]->(governmentHome:Country)
OPTIONAL MATCH (d)-[:BASED_IN]->(home:Country)
RETURN d.id AS donor, d.kind AS kind, government.id AS government, coalesce(governmentHome.id, home.id) AS country
