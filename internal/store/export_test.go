package store

// PageCursorForTest makes a cursor as the store does, for the plan tests.
var PageCursorForTest = encodeCursor
