// Follows search_hits and search_rank when the number of hits is asked for too: the hits are read
// from the full-text index once, counted, and kept for the page (search_collected_rows).
WITH collect({n: n, score: score, rank: rank}) AS hits
RETURN size(hits) AS total, hits
