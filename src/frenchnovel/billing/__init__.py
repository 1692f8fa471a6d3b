"""Credits: pricing, the append-only ledger and its invariants."""
