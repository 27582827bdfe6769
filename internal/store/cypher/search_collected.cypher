// Follows search_hits and search_rank when the number of hits is asked for too: the hits are read
// from the full-text index once, counted, and kept in the order of search (rank tier, score, key)
// for the page (search_collected_rows).
WITH n, score, rank ORDER BY rank, score DESC, n.id
WITH collect({n: n, score: score, rank: rank}) AS hits
RETURN size(hits) AS total, hits
