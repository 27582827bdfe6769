// Takes the curation lock: change sets apply one at a time, so that the versions an applying
// change set checks cannot change before it commits. The lock node is created on first use.
MERGE (l:CurationLock {id: 'curation'})
SET l.applied = coalesce(l.applied, 0) + 1
RETURN l.applied AS applied
