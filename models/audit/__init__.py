"""The audit trail: a hash-chained log of every change of a case, and its hand-over."""
