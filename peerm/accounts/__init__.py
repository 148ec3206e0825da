"""People, their memberships of co-operatives and their roles; logging in, invites, and the
person's own data (export and erasure). Models in `models`, verbs in `services`, pages in
`views`; who may do what is decided in `peerm.permissions` alone.
"""
