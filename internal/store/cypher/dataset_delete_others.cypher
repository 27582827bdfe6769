// Removes every node that is not of dataset $keep (with its relationships), in small
// transactions, so that datasets never mix and a large one never needs one huge transaction.
MATCH (n:Entity)
WHERE n.dataset IS NULL OR n.dataset <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS
