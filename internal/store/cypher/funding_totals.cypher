// Overall funding per currency over the projects and fundings of a funding summary (each funding
// counted once), and the number of projects. the base placeholder as in funding_groups.cypher.
__BASE__
WITH count(DISTINCT p) AS projects, collect(DISTINCT f) AS fs
UNWIND CASE WHEN size(fs) = 0 THEN [null] ELSE fs END AS f
WITH projects, f.currency AS currency, f.amount AS amount
RETURN projects, currency, sum(amount) AS total
ORDER BY currency
