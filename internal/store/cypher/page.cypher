// One page of a list, for many parents at once (one list per `key`). The store replaces the match placeholder
// with a pattern from its tables that binds key, r (the relationship leading to n, or null), n
// (the listed node) and score; the where placeholder with the compiled filter on n; the order placeholder with sort
// expressions from its tables. Every value is a parameter. $after and $before are the positions
// of the cursors (exclusive), $first and $last the page size; the page is rows[start..high].
__MATCH__
WITH key, r, n, score WHERE __WHERE__
WITH key, r, n, score ORDER BY key, __ORDER__
WITH key, collect([r, n, score]) AS rows
WITH key, rows, size(rows) AS total
WITH key, rows, total,
     CASE WHEN $after IS NULL THEN 0 WHEN $after + 1 > total THEN total ELSE $after + 1 END AS low
WITH key, rows, total, low,
     CASE WHEN $before IS NULL OR $before > total THEN total WHEN $before < low THEN low ELSE $before END AS high0
WITH key, rows, total, low,
     CASE WHEN $first IS NOT NULL AND low + $first < high0 THEN low + $first ELSE high0 END AS high
WITH key, rows, total, high,
     CASE WHEN $last IS NOT NULL AND high - $last > low THEN high - $last ELSE low END AS start
UNWIND CASE WHEN start < high THEN rows[start..high] ELSE [null] END AS row
WITH key, total, start, high, row[0] AS r, row[1] AS n, row[2] AS score
RETURN key, total, start, high, type(r) AS relType, properties(r) AS rel, score,
       CASE WHEN n IS NULL THEN null ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END AS kind,
       properties(n) AS props,
       CASE WHEN n IS NULL THEN [] ELSE __NODE_REFS__ END AS refs
