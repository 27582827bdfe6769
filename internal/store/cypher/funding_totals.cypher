// Overall funding per currency over the projects and fundings of a funding summary (each funding
// counted once, in hundredths of the currency unit: integers, summed exactly), and the number of
// projects. The base placeholder as in funding_groups.cypher; the hundredths placeholder turns
// amount into hundredths.
__BASE__
WITH count(DISTINCT p) AS projects, collect(DISTINCT f) AS fs
UNWIND CASE WHEN size(fs) = 0 THEN [null] ELSE fs END AS f
WITH projects, f.currency AS currency, f.amount AS amount
RETURN projects, currency, sum(__HUNDREDTHS__) AS total
ORDER BY currency
