// Removes the relationships of every node that is not of dataset $keep, in small transactions
// (relationships first, so that no transaction has to delete a node with thousands of them).
// Datasets never link to each other, so the outgoing relationships are all of them.
MATCH (n:Entity)-[r]->()
WHERE n.dataset IS NULL OR n.dataset <> $keep
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
