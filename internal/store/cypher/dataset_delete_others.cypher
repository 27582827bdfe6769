// Removes every node that is not of dataset $keep, in small transactions, once their
// relationships are gone (dataset_delete_others_relationships), so that datasets never mix and
// a large one never needs one huge transaction.
MATCH (n:Entity)
WHERE n.dataset IS NULL OR n.dataset <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
