// The hits that search_collected kept, as n, score and rank for the page. Ends in a WHERE that the
// caller extends with AND.
UNWIND hits AS hit
WITH hit.n AS n, hit.score AS score, hit.rank AS rank
     WHERE true
