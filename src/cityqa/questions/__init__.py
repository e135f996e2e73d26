"""Questions: reading a question in its conversation (kind, items and terms named, follow-ups) before any search."""
