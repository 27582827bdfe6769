// Follows search_hits: the rank tier of each hit, from the name keys the node keeps (nameKeys: its
// name, short name, title and aliases as dataset.NameKey folds them). 0 when one of them is
// $nameKey (the text folded the same way), 1 when one starts with it, else 2 (also for a node
// without names). Ends in a WHERE that the caller extends with AND.
WITH n, score, CASE
       WHEN $nameKey IN n.nameKeys THEN 0
       WHEN any(k IN n.nameKeys WHERE k STARTS WITH $nameKey) THEN 1
       ELSE 2
     END AS rank
     WHERE true
