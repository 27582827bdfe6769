// Removes every node of the datasets $datasets, in small transactions, once their relationships
// are gone (dataset_remove_relationships). Nodes of any other dataset, or of none, stay.
MATCH (n:Entity)
WHERE n.dataset IN $datasets
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
