"""The give-away shop: things offered for free and things wanted, shared fairly, handed over at a
co-operative's pick-up point."""
