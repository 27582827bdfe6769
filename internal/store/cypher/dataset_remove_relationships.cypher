// Removes the relationships of every node of the datasets $datasets, in small transactions
// (relationships first, so that no transaction has to delete a node with thousands of them).
// Datasets never link to each other, so the outgoing relationships are all of them.
MATCH (n:Entity)-[r]->()
WHERE n.dataset IN $datasets
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
