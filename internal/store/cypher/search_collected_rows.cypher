// The hits that search_collected kept, as n, score and rank for the page: the store fills the
// hits placeholder with all of them, or for a first page (no cursor, first) with the first
// $limit, which are the page since search_collected keeps them in order. Ends in a WHERE that the
// caller extends with AND.
UNWIND __HITS__ AS hit
WITH hit.n AS n, hit.score AS score, hit.rank AS rank
     WHERE true
