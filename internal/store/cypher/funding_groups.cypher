// Fundings grouped by the requested dimensions and by currency. The store fills the base placeholder (the
// matching projects p with their fundings f from donors d), the matches placeholder (optional matches binding
// the requested dimensions), the dimensions placeholder (one column per dimension, null when not requested)
// and the order placeholder, all from its tables; values are parameters.
__BASE__
__MATCHES__
WITH p, f, __DIMENSIONS__
WITH donor, instrument, country, theme, year, f.currency AS currency,
     collect(DISTINCT f) AS fs, count(DISTINCT p) AS projects
WITH donor, instrument, country, theme, year, currency, projects, size(fs) AS fundings,
     CASE WHEN currency IS NULL THEN null ELSE reduce(s = 0.0, x IN fs | s + coalesce(x.amount, 0.0)) END AS total
ORDER BY __ORDER__
WITH collect({donor: donor, instrument: instrument, country: country, theme: theme, year: year,
              currency: currency, total: total, fundings: fundings, projects: projects}) AS groups
RETURN size(groups) AS groupCount, groups[0..$first] AS groups
