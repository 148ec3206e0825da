"""The neighbourhood tool library: a catalogue per co-operative, reservations in a queue, and a
counter that lends and takes back tools, also with no signal."""
