"""公文与台账: Word output of official documents (GB/T 9704-2012) and, later, ledgers."""
