// Fundings grouped by the requested dimensions and by currency. The store fills the base placeholder (the
// matching projects p with their fundings f from donors d), the matches placeholder (optional matches binding
// the requested dimensions), the dimensions placeholder (one column per dimension, null when not requested)
// and the order placeholder, all from its tables; values are parameters. The weight placeholder is
// the part of each funding a group counts ({num, den}: the whole, or a country's share with
// allocation BY_SHARE), the funding placeholder what a group collects of each funding (the
// funding f itself when counted whole, else {f, w}), the part placeholder the counted part of one
// collected funding x in hundredths of its currency unit (integers, so the total is exact); the
// regional placeholder counts the group's projects targeting several countries (or is 0 when
// not asked).
__BASE__
__MATCHES__
WITH p, f, __WEIGHT__ AS w, __DIMENSIONS__
WITH donor, instrument, country, theme, year, f.currency AS currency,
     collect(DISTINCT CASE WHEN f IS NULL THEN null ELSE __FUNDING__ END) AS fs, count(DISTINCT p) AS projects,
     __REGIONAL__ AS regional
WITH donor, instrument, country, theme, year, currency, projects, regional, size(fs) AS fundings,
     CASE WHEN currency IS NULL THEN null ELSE reduce(s = 0, x IN fs | s + __PART__) END AS total
ORDER BY __ORDER__
WITH collect({donor: donor, instrument: instrument, country: country, theme: theme, year: year,
              currency: currency, total: total, fundings: fundings, projects: projects, regional: regional}) AS groups
RETURN size(groups) AS groupCount, groups[0..$first] AS groups
