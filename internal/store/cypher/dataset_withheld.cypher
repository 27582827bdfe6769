// Which of $keys (node ids and relationship keys a dataset write states) a curator deleted: the
// write leaves them out.
UNWIND $keys AS key
MATCH (d:CurationDeletion {key: key})
RETURN d.key AS key
