"""The needs board: what each co-operative needs, and the answers of people who can help."""
